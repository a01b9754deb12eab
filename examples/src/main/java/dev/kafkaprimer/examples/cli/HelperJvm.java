package dev.kafkaprimer.examples.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.kafkaprimer.core.config.ClientSecurity;

/**
 * An example's helper program in a JVM of its own, the way examples crash things for real: started with this
 * JVM's class path, watched through the lines it prints, ended with SIGKILL (a crash) or SIGTERM (a clean stop).
 * The security settings reach it on standard input, not on its command line, which any user of the machine can
 * read. Its standard error is discarded. Not thread-safe: the example's thread only.
 */
public final class HelperJvm {

    private final Process process;
    private final BufferedReader lines;

    private HelperJvm(Process process) {
        this.process = process;
        this.lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /**
     * Starts {@code main} with {@code args}, and hands it {@code security} as properties on its standard input.
     *
     * @throws IOException if the JVM cannot be started or given its settings (it is killed then)
     */
    public static HelperJvm start(Class<?> main, List<String> args, ClientSecurity security) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (OutputStream in = process.getOutputStream()) {
            ClientPropertiesText.store(security.clientProperties(), in);
        } catch (IOException e) {
            process.destroyForcibly();
            throw e;
        }
        return new HelperJvm(process);
    }

    /**
     * The next line the child prints, waiting until {@code giveUpAtNanos} ({@link System#nanoTime()}) at most.
     *
     * @return the line; null if the deadline passed or the child ended first
     */
    public String nextLine(long giveUpAtNanos) throws IOException, InterruptedException {
        while (System.nanoTime() < giveUpAtNanos) {
            if (lines.ready()) {
                return lines.readLine();
            }
            if (!process.isAlive()) {
                return lines.ready() ? lines.readLine() : null;
            }
            process.waitFor(10, TimeUnit.MILLISECONDS);  // nothing printed yet; look again shortly
        }
        return null;
    }

    /** Whether the JVM still runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code of a JVM that has ended. */
    public int exitValue() {
        return process.exitValue();
    }

    /** SIGKILL: the JVM dies at once, in the middle of whatever it does, exactly like a crash. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /**
     * SIGTERM: the child's shutdown hooks run (a loop closes, commits and leaves).
     *
     * @return true if it ended within {@code timeoutMillis}; else it is killed
     */
    public boolean stop(long timeoutMillis) throws InterruptedException {
        process.destroy();
        if (process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
            return true;
        }
        kill();
        return false;
    }

    /** The process id, for the example's story. */
    public long pid() {
        return process.pid();
    }
}
