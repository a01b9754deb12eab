package dev.kafkaprimer.examples.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The wallet example end to end, in a new JVM against the bench's cluster, on a fresh SQLite file: its own
 * summary line gives the events and the seconds from the first send to the last event consumed.
 */
final class WalletBench {

    private static final Pattern SUMMARY = Pattern.compile("wallet: OK .*\\bevents=(\\d+) .*\\bseconds=([\\d.,]+)");

    private WalletBench() {
    }

    /** Runs the wallet with {@code events} events and its default flags; its events per second. */
    static double eventsPerSecond(String bootstrapServers, java.util.Optional<String> commandConfig,
                                  BenchTopics topics, int events, PrintStream out)
            throws Exception {
        return eventsPerSecond(bootstrapServers, commandConfig, topics, events, List.of(), out);
    }

    /** Runs the wallet with {@code events} events and {@code flags} besides; its events per second. */
    static double eventsPerSecond(String bootstrapServers, java.util.Optional<String> commandConfig,
                                  BenchTopics topics, int events, List<String> flags, PrintStream out)
            throws Exception {
        Path dir = Files.createTempDirectory("kafka-primer-bench-wallet-");
        String topic = topics.prefix() + "wallet";
        // At least 100 events/s, or something is wrong: give up then rather than wait forever.
        int timeoutSeconds = 60 + events / 100;
        try {
            List<String> args = new java.util.ArrayList<>(List.of("wallet",
                    "--bootstrap-server", bootstrapServers, "--events", Integer.toString(events),
                    "--topic", topic, "--db", dir.resolve("wallet.db").toString(),
                    "--timeout", Integer.toString(timeoutSeconds)));
            args.addAll(flags);
            // The same security settings as this run (environment variables reach the child by themselves).
            commandConfig.ifPresent(file -> args.addAll(List.of("--command-config", file)));
            ChildJvm.Result run = ChildJvm.primer(Duration.ofSeconds(timeoutSeconds + 60), args);
            Matcher summary = SUMMARY.matcher(run.out());
            if (run.exitCode() != 0 || !summary.find()) {
                throw new IllegalStateException("./primer wallet failed (exit " + run.exitCode() + "):\n" + run.tail());
            }
            long counted = Long.parseLong(summary.group(1));
            // The wallet prints its seconds in the default locale: 12.3 or 12,3.
            double seconds = Double.parseDouble(summary.group(2).replace(',', '.'));
            out.println("   " + summary.group());
            return counted / seconds;
        } finally {
            topics.delete(topic);
            topics.delete(topic + ".DLT");
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
