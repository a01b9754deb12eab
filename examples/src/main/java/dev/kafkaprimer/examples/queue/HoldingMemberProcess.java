package dev.kafkaprimer.examples.queue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.kafkaprimer.core.config.ClientSecurity;
import dev.kafkaprimer.examples.cli.ExampleFailedException;
import dev.kafkaprimer.examples.cli.HelperJvm;

/**
 * A {@link HoldingMember} JVM, seen from the example: the records it holds, read from its {@code holding ...}
 * lines, and its end by SIGKILL. Not thread-safe: the example's thread only.
 */
final class HoldingMemberProcess {

    private final HelperJvm jvm;
    private final List<String> held = new ArrayList<>();

    private HoldingMemberProcess(HelperJvm jvm) {
        this.jvm = jvm;
    }

    static HoldingMemberProcess start(String bootstrapServers, ClientSecurity security, String topic, String group,
                                      int hold) throws IOException {
        return new HoldingMemberProcess(HelperJvm.start(HoldingMember.class,
                List.of(bootstrapServers, topic, group, Integer.toString(hold)), security));
    }

    /**
     * Waits until the member holds {@code records} records, reading its lines.
     *
     * @return the {@code holding ...} lines, one per record held
     * @throws ExampleFailedException if it ends, or the deadline passes, first
     */
    List<String> awaitHolding(int records, Duration deadline) throws IOException, InterruptedException {
        long giveUpAt = System.nanoTime() + deadline.toNanos();
        while (held.size() < records) {
            String line = jvm.nextLine(giveUpAt);
            if (line == null && !jvm.isAlive()) {
                throw new ExampleFailedException("the holding member (pid " + pid() + ") ended by itself with exit "
                        + "code " + jvm.exitValue() + " holding " + held.size() + " records");
            }
            if (line == null) {
                throw new ExampleFailedException("the holding member (pid " + pid() + ") held only " + held.size()
                        + " of " + records + " records within " + deadline.toSeconds() + " s");
            }
            if (line.startsWith("holding ")) {
                held.add(line.substring("holding ".length()));
            }
        }
        return List.copyOf(held);
    }

    /** SIGKILL: no close(), no acknowledgement; returns once the JVM is gone. */
    void kill() throws InterruptedException {
        jvm.kill();
    }

    boolean isAlive() {
        return jvm.isAlive();
    }

    long pid() {
        return jvm.pid();
    }
}
