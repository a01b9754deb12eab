package dev.kafkaprimer.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import dev.kafkaprimer.examples.cli.Primer;
import dev.kafkaprimer.testkit.Await;

/**
 * {@code ./primer ARGS} in a JVM of its own, as a user starts it on another machine: so a test can kill it with
 * SIGKILL, or stop it with SIGTERM, and read what it printed (standard output and error, in a file).
 */
public final class PrimerProcess implements AutoCloseable {

    private final Process process;
    private final Path output;
    private final String name;

    private PrimerProcess(Process process, Path output, String name) {
        this.process = process;
        this.output = output;
        this.name = name;
    }

    /** Starts {@code ./primer ARGS} with this JVM's class path; what it prints goes to {@code output}. */
    public static PrimerProcess start(Path output, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Primer.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        // Only what the command line says: not a cluster from the machine this test runs on.
        builder.environment().remove("KAFKA_BOOTSTRAP_SERVERS");
        return new PrimerProcess(builder.start(), output, output.getFileName().toString());
    }

    /** What it printed so far. */
    public String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until what it printed passes {@code accept}; fails naming {@code description} and the output. */
    public void awaitOutput(Duration timeout, String description, Predicate<String> accept) {
        // Stops early if the process ends: then it will never print it.
        Await.until(timeout, name + " to print " + description, this::output,
                text -> accept.test(text) || !process.isAlive());
        if (!accept.test(output())) {
            throw new AssertionError(name + " ended before printing " + description + ":\n" + output());
        }
    }

    /** SIGKILL: no clean-up at all. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), name + " did not die of SIGKILL");
    }

    /** Waits for it to end on its own; its exit code. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        assertTrue(process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS),
                name + " did not end within " + timeout.toSeconds() + " s:\n" + output());
        return process.exitValue();
    }

    public long pid() {
        return process.pid();
    }

    /** Kills it if it still runs (a test that failed half way leaves no process behind). */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + "):\n" + output();
    }
}
