package dev.kafkaprimer.examples.queue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.kafkaprimer.core.config.ClientSecurity;
import dev.kafkaprimer.examples.cli.ClientPropertiesText;
import dev.kafkaprimer.examples.cli.ExampleFailedException;

/**
 * A {@link HoldingMember} JVM, seen from the example: started with this JVM's class path, watched through the
 * {@code holding ...} lines it prints, ended with SIGKILL. The security settings reach it on standard input,
 * not on its command line, which any user of the machine can read. Not thread-safe: the example's thread only.
 */
final class HoldingMemberProcess {

    private final Process process;
    private final BufferedReader lines;
    private final List<String> held = new ArrayList<>();

    private HoldingMemberProcess(Process process) {
        this.process = process;
        this.lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    static HoldingMemberProcess start(String bootstrapServers, ClientSecurity security, String topic, String group,
                                      int hold) throws IOException {
        Process process = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                HoldingMember.class.getName(), bootstrapServers, topic, group, Integer.toString(hold)))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try (OutputStream in = process.getOutputStream()) {
            ClientPropertiesText.store(security.clientProperties(), in);
        } catch (IOException e) {
            process.destroyForcibly();
            throw e;
        }
        return new HoldingMemberProcess(process);
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
            if (!process.isAlive()) {
                throw new ExampleFailedException("the holding member (pid " + pid() + ") ended by itself with exit "
                        + "code " + process.exitValue() + " holding " + held.size() + " records");
            }
            if (System.nanoTime() > giveUpAt) {
                throw new ExampleFailedException("the holding member (pid " + pid() + ") held only " + held.size()
                        + " of " + records + " records within " + deadline.toSeconds() + " s");
            }
            if (!lines.ready()) {
                process.waitFor(10, TimeUnit.MILLISECONDS); // nothing printed yet; look again shortly
                continue;
            }
            String line = lines.readLine();
            if (line != null && line.startsWith("holding ")) {
                held.add(line.substring("holding ".length()));
            }
        }
        return List.copyOf(held);
    }

    /** SIGKILL: no close(), no acknowledgement; returns once the JVM is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }
}
