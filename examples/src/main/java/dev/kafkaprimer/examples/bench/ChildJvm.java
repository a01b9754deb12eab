package dev.kafkaprimer.examples.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.kafkaprimer.examples.cli.KafkaConnection;
import dev.kafkaprimer.examples.cli.Primer;

/**
 * Runs {@code ./primer ARGS} (or another main class) in a new JVM with this JVM's class path, as a learner's
 * shell would: a cold JVM, nothing loaded, nothing compiled. {@value KafkaConnection#ENV} is removed from its
 * environment, so only the arguments say which cluster it uses.
 */
final class ChildJvm {

    /**
     * @param exitCode the child's exit code
     * @param out      what it printed on standard output
     * @param err      what it printed on standard error
     */
    record Result(int exitCode, String out, String err) {

        /** The last lines of the child's output, to put into an error message. */
        String tail() {
            String all = out + err;
            return all.substring(Math.max(0, all.length() - 2_000));
        }
    }

    private ChildJvm() {
    }

    /**
     * Runs the example and waits for it at most {@code deadline}.
     *
     * @throws IllegalStateException if it has not ended by then (it is killed first)
     */
    static Result primer(Duration deadline, List<String> args) throws IOException, InterruptedException {
        return run(deadline, Primer.class, args);
    }

    /**
     * Runs {@code mainClass} with {@code args} and waits for it at most {@code deadline}.
     *
     * @throws IllegalStateException if it has not ended by then (it is killed first)
     */
    static Result run(Duration deadline, Class<?> mainClass, List<String> args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                mainClass.getName()));
        command.addAll(args);
        // Files, not pipes: a child that prints a lot never blocks on a pipe nobody is reading yet.
        Path out = Files.createTempFile("kafka-primer-bench-", ".out");
        Path err = Files.createTempFile("kafka-primer-bench-", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            builder.environment().remove(KafkaConnection.ENV);
            Process process = builder.start();
            if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException(mainClass.getSimpleName() + " " + String.join(" ", args)
                        + " did not end within " + deadline.toSeconds() + " s; killed it");
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
