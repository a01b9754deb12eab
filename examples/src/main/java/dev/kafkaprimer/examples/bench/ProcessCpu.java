package dev.kafkaprimer.examples.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * The CPU time this JVM has used, on all its threads: the sending or polling thread, the clients' network
 * threads and, with the embedded default, the broker's. Throughput depends on what else the machine is doing;
 * CPU per record much less, so it shows what one side costs even when the rates are noisy.
 */
final class ProcessCpu {

    private static final OperatingSystemMXBean OS = ManagementFactory.getOperatingSystemMXBean();

    private ProcessCpu() {
    }

    /** CPU nanoseconds used so far, or -1 where the JVM does not tell (it is HotSpot's extension). */
    static long nanos() {
        return OS instanceof com.sun.management.OperatingSystemMXBean hotSpot ? hotSpot.getProcessCpuTime() : -1;
    }

    /** CPU nanoseconds used since {@code start}, a value of {@link #nanos()}; -1 if unknown. */
    static long since(long start) {
        long now = nanos();
        return start < 0 || now < 0 ? -1 : now - start;
    }
}
