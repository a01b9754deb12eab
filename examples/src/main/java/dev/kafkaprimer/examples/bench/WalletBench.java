package dev.kafkaprimer.examples.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.kafkaprimer.examples.wallet.NotifierBound;

/**
 * The wallet example and its notifier's bound, each in a new JVM against the bench's cluster, each measured on
 * its second pass in that JVM: the wallet runs twice ({@link WarmedWallet}), on fresh topics and SQLite files,
 * with the flags given (with {@code --produce-first} its events are written before the group starts, so that
 * the consuming side alone is timed, as the bare notifier loop is); the bound times its second pass too
 * ({@link NotifierBound}), in each of a few new JVMs.
 */
final class WalletBench {

    /** A summary line, the warm-up's ({@code warm-up: wallet: OK …}) or the timed run's. */
    private static final Pattern SUMMARY =
            Pattern.compile("(?m)^(warm-up: )?wallet: OK .*\\bevents=(\\d+) .*\\bseconds=([\\d.,]+)");
    /** New JVMs the bound is measured in; the median counts. */
    static final int BOUND_JVMS = 3;
    private static final Pattern BOUND = Pattern.compile("(?m)^" + NotifierBound.OUTPUT_KEY + "=(\\d+)$");

    /**
     * One configuration's events per second.
     *
     * @param firstRun the warm-up run, in a JVM that had not run anything yet
     * @param warmed   the timed run after it, in the same JVM
     */
    record EventsPerSecond(double firstRun, double warmed) {
    }

    private WalletBench() {
    }

    /** Runs the wallet with {@code events} events and {@code flags} besides, twice in one new JVM. */
    static EventsPerSecond eventsPerSecond(String bootstrapServers, Optional<String> commandConfig,
                                           BenchTopics topics, int events, List<String> flags, PrintStream out)
            throws Exception {
        Path dir = Files.createTempDirectory("kafka-primer-bench-wallet-");
        String topic = topics.prefix() + "wallet";
        String warmUpTopic = topic + "-warm-up";
        // At least 100 events/s, or something is wrong: give up then rather than wait forever.
        int timeoutSeconds = 60 + events / 100;
        try {
            List<String> args = new ArrayList<>(List.of(warmUpTopic, dir.resolve("warm-up.db").toString(),
                    "wallet", "--bootstrap-server", bootstrapServers, "--events", Integer.toString(events),
                    "--topic", topic, "--db", dir.resolve("wallet.db").toString(),
                    "--timeout", Integer.toString(timeoutSeconds)));
            args.addAll(flags);
            // The same security settings as this run (environment variables reach the child by themselves).
            commandConfig.ifPresent(file -> args.addAll(List.of("--command-config", file)));
            ChildJvm.Result run = ChildJvm.run(Duration.ofSeconds(2L * timeoutSeconds + 60), WarmedWallet.class, args);
            Matcher summaries = SUMMARY.matcher(run.out());
            double firstRun = nextEventsPerSecond(summaries, true, run, out);
            return new EventsPerSecond(firstRun, nextEventsPerSecond(summaries, false, run, out));
        } finally {
            for (String each : List.of(topic, warmUpTopic)) {
                topics.delete(each);
                topics.delete(each + ".DLT");
            }
            deleteTree(dir);
        }
    }

    /** Events per second from the next summary line, which must be the warm-up's if {@code warmUp}; printed. */
    private static double nextEventsPerSecond(Matcher summaries, boolean warmUp, ChildJvm.Result run,
                                              PrintStream out) {
        if (run.exitCode() != 0 || !summaries.find() || (summaries.group(1) != null) != warmUp) {
            throw new IllegalStateException("./primer wallet failed (exit " + run.exitCode() + "):\n" + run.tail());
        }
        out.println("   " + summaries.group());
        // The wallet prints its seconds in the default locale: 12.3 or 12,3.
        return Long.parseLong(summaries.group(2)) / Double.parseDouble(summaries.group(3).replace(',', '.'));
    }

    /**
     * The notifier's bound: {@link NotifierBound#callsPerSecond} (calls per second of its second pass) in each of
     * {@value #BOUND_JVMS} new JVMs one after the other, as each wallet run has a new JVM; their median. From one
     * new JVM to the next it moved by a fifth on this project's 2-core machine (how the JIT happened to compile
     * the JDK's HTTP client and server), far more than the wallet's own figure did.
     */
    static double notifierCallsPerSecond(int clients, int events, double failureRate, Duration deadline,
                                         PrintStream out) throws Exception {
        List<Double> each = new ArrayList<>();
        for (int jvm = 0; jvm < BOUND_JVMS; jvm++) {
            ChildJvm.Result run = ChildJvm.run(deadline.plusSeconds(60), NotifierBound.class, List.of(
                    Integer.toString(clients), Integer.toString(events), Double.toString(failureRate),
                    Long.toString(deadline.toSeconds())));
            Matcher bound = BOUND.matcher(run.out());
            if (run.exitCode() != 0 || !bound.find()) {
                throw new IllegalStateException("the notifier's bound failed (exit " + run.exitCode() + "):\n"
                        + run.tail());
            }
            each.add(Double.parseDouble(bound.group(1)));
        }
        out.println("   the bound in " + BOUND_JVMS + " new JVMs: " + each.stream()
                .map(calls -> String.format("%,.0f", calls)).collect(Collectors.joining(", ")) + " calls/s");
        return Stats.median(each);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
