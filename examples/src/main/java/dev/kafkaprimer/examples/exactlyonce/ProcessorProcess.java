package dev.kafkaprimer.examples.exactlyonce;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.kafkaprimer.core.config.ClientSecurity;
import dev.kafkaprimer.examples.cli.ClientPropertiesText;
import dev.kafkaprimer.examples.cli.ExampleFailedException;

/**
 * A {@link BalanceProcessor} JVM, seen from the example: started with this JVM's class path, watched through the
 * lines it prints, and ended with SIGKILL (a crash) or SIGTERM (a clean stop). The security settings reach it on
 * standard input, not on its command line, which any user of the machine can read.
 */
final class ProcessorProcess {

    /** What {@link BalanceProcessor#main} is started with. */
    record Settings(String bootstrapServers, ClientSecurity security, String input, String output, String group,
                    String instance, String mode) {
    }

    private final Process process;
    private final BufferedReader lines;
    private long handled;

    private ProcessorProcess(Process process) {
        this.process = process;
        this.lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    static ProcessorProcess start(Settings settings) throws IOException {
        Process process = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                BalanceProcessor.class.getName(),
                settings.bootstrapServers(), settings.input(), settings.output(), settings.group(),
                settings.instance(), settings.mode()))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try (OutputStream in = process.getOutputStream()) {
            ClientPropertiesText.store(settings.security().clientProperties(), in);
        } catch (IOException e) {
            process.destroyForcibly();
            throw e;
        }
        return new ProcessorProcess(process);
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
            if (!process.isAlive()) {
                throw new ExampleFailedException("the processor (pid " + pid() + ") ended by itself with exit code "
                        + process.exitValue() + " after handling " + handled + " events");
            }
            if (System.nanoTime() > giveUpAt) {
                throw new ExampleFailedException("the processor (pid " + pid() + ") handled only " + handled
                        + " events within " + deadline.toSeconds() + " s");
            }
            if (!lines.ready()) {
                process.waitFor(10, TimeUnit.MILLISECONDS);  // nothing printed yet; look again shortly
                continue;
            }
            String line = lines.readLine();
            if (line != null && line.startsWith("handled ")) {
                handled = Long.parseLong(line.substring("handled ".length()).trim());
            }
        }
        return handled;
    }

    /** Whether the JVM still runs (a processor that failed has ended by itself). */
    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: the JVM dies at once, in the middle of whatever transaction it has open. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /**
     * SIGTERM: the processor's shutdown hook closes its loop, which commits the open transaction and leaves.
     *
     * @return true if it ended within {@code deadline}; else it is killed
     */
    boolean stop(Duration deadline) throws InterruptedException {
        process.destroy();
        if (process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
            return true;
        }
        kill();
        return false;
    }

    long pid() {
        return process.pid();
    }
}
