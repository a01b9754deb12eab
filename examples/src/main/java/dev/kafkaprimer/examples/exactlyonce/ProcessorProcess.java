package dev.kafkaprimer.examples.exactlyonce;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import dev.kafkaprimer.core.config.ClientSecurity;
import dev.kafkaprimer.examples.cli.ExampleFailedException;
import dev.kafkaprimer.examples.cli.HelperJvm;

/**
 * A {@link BalanceProcessor} JVM, seen from the example: how many events it has handled, read from its
 * {@code handled N} lines, and how it ends: SIGKILL (a crash) or SIGTERM (a clean stop). Not thread-safe.
 */
final class ProcessorProcess {

    /** What {@link BalanceProcessor#main} is started with. */
    record Settings(String bootstrapServers, ClientSecurity security, String input, String output, String group,
                    String instance, String mode) {
    }

    private final HelperJvm jvm;
    private long handled;

    private ProcessorProcess(HelperJvm jvm) {
        this.jvm = jvm;
    }

    static ProcessorProcess start(Settings settings) throws IOException {
        return new ProcessorProcess(HelperJvm.start(BalanceProcessor.class, List.of(settings.bootstrapServers(),
                settings.input(), settings.output(), settings.group(), settings.instance(), settings.mode()),
                settings.security()));
    }

    /**
     * Waits until the processor has handled at least {@code events} events since it started.
     *
     * @return how many it had reported
     * @throws ExampleFailedException if it ends, or the deadline passes, first
     */
    long awaitHandled(long events, Duration deadline) throws IOException, InterruptedException {
        long giveUpAt = System.nanoTime() + deadline.toNanos();
        while (handled < events) {
            String line = jvm.nextLine(giveUpAt);
            if (line == null && !jvm.isAlive()) {
                throw new ExampleFailedException("the processor (pid " + pid() + ") ended by itself with exit code "
                        + jvm.exitValue() + " after handling " + handled + " events");
            }
            if (line == null) {
                throw new ExampleFailedException("the processor (pid " + pid() + ") handled only " + handled
                        + " events within " + deadline.toSeconds() + " s");
            }
            if (line.startsWith("handled ")) {
                handled = Long.parseLong(line.substring("handled ".length()).trim());
            }
        }
        return handled;
    }

    /** Whether the JVM still runs (a processor that failed has ended by itself). */
    boolean isAlive() {
        return jvm.isAlive();
    }

    /** SIGKILL: the JVM dies at once, in the middle of whatever transaction it has open. */
    void kill() throws InterruptedException {
        jvm.kill();
    }

    /**
     * SIGTERM: the processor's shutdown hook closes its loop, which commits the open transaction and leaves.
     *
     * @return true if it ended within {@code deadline}; else it is killed
     */
    boolean stop(Duration deadline) throws InterruptedException {
        return jvm.stop(deadline.toMillis());
    }

    long pid() {
        return jvm.pid();
    }
}
