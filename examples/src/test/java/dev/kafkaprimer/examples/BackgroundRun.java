package dev.kafkaprimer.examples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.kafkaprimer.examples.cli.Primer;
import dev.kafkaprimer.testkit.Await;

/**
 * {@code ./primer ARGS} running in this JVM on a thread of its own, so that a test can act while it runs: read
 * what it has printed so far, wait for a line, then take its exit code.
 */
public final class BackgroundRun {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final CompletableFuture<Integer> exit;

    private BackgroundRun(String... args) {
        PrintStream printOut = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream printErr = new PrintStream(err, true, StandardCharsets.UTF_8);
        exit = CompletableFuture.supplyAsync(() -> Primer.run(args, Map.of(), printOut, printErr));
    }

    /** Starts the run, ignoring the machine's environment. */
    public static BackgroundRun start(String... args) {
        return new BackgroundRun(args);
    }

    /** What it printed so far (a ByteArrayOutputStream may be read while another thread writes to it). */
    public String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** What it printed to standard error so far. */
    public String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /**
     * Waits until the output matches {@code pattern}, and returns group {@code group} of the first match.
     *
     * @throws AssertionError if the run ends, or {@code timeout} passes, first
     */
    public String await(Pattern pattern, int group, Duration timeout) {
        String found = Await.until(timeout, "'" + pattern + "' printed", () -> {
            Matcher matcher = pattern.matcher(out());
            return matcher.find() ? matcher.group(group) : null;
        }, value -> value != null || exit.isDone());
        if (found == null) {
            throw new AssertionError("the run ended without printing '" + pattern + "':\n" + this);
        }
        return found;
    }

    /** The first match's group {@code group} in what was printed so far, or null. */
    public String find(Pattern pattern, int group) {
        Matcher matcher = pattern.matcher(out());
        return matcher.find() ? matcher.group(group) : null;
    }

    /** Waits at most {@code timeout} for the run to end, and returns its exit code. */
    public int exitCode(Duration timeout) throws Exception {
        return exit.get(timeout.toSeconds(), TimeUnit.SECONDS);
    }

    @Override
    public String toString() {
        return (exit.isDone() ? "exit " + exit.join() : "running") + "\n--- out ---\n" + out() + "--- err ---\n"
                + err();
    }
}
