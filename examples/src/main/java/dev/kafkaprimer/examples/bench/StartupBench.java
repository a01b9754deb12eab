package dev.kafkaprimer.examples.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.kafkaprimer.testkit.EmbeddedKafkaCluster;

/**
 * How long a learner waits: the embedded cluster's start in this (warm) JVM, and {@code ./primer hello} in a
 * cold JVM, from the JVM's start to the first record consumed, as hello itself reports it.
 */
final class StartupBench {

    private static final Duration HELLO_DEADLINE = Duration.ofSeconds(120);
    private static final Pattern FIRST_RECORD = Pattern.compile("first record read (\\d+) ms after the JVM started");
    private static final Pattern BROKER_UP = Pattern.compile("Embedded Kafka is up in (\\d+) ms");

    /**
     * @param firstRecordMs JVM start to the first record read, median of the runs
     * @param brokerUpMs    of that, the embedded broker's start, median of the runs
     */
    record Hello(double firstRecordMs, double brokerUpMs) {
    }

    private StartupBench() {
    }

    /** Starts and closes a cluster of {@code nodes} nodes {@code repeats} times; the median start time in ms. */
    static double clusterStartMillis(int nodes, int repeats, PrintStream out) {
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
            try (EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.builder().nodes(nodes).start()) {
                millis.add((double) cluster.startupTime().toMillis());
            }
        }
        out.println("   embedded cluster of " + nodes + (nodes == 1 ? " node" : " nodes") + ": " + show(millis));
        return Stats.median(millis);
    }

    /** Runs {@code ./primer hello} in {@code repeats} child JVMs (each with its own embedded broker). */
    static Hello hello(int repeats, PrintStream out) throws Exception {
        List<Double> firstRecord = new ArrayList<>();
        List<Double> brokerUp = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
            ChildJvm.Result run = ChildJvm.primer(HELLO_DEADLINE, List.of("hello"));
            if (run.exitCode() != 0) {
                throw new IllegalStateException("./primer hello failed (exit " + run.exitCode() + "):\n" + run.tail());
            }
            firstRecord.add(number(FIRST_RECORD, run));
            brokerUp.add(number(BROKER_UP, run));
        }
        out.println("   ./primer hello in a new JVM, JVM start to first record read: " + show(firstRecord)
                + " (of which starting its broker: " + show(brokerUp) + ")");
        return new Hello(Stats.median(firstRecord), Stats.median(brokerUp));
    }

    private static double number(Pattern pattern, ChildJvm.Result run) {
        Matcher found = pattern.matcher(run.out());
        if (!found.find()) {
            throw new IllegalStateException("./primer hello did not print '" + pattern.pattern() + "':\n" + run.tail());
        }
        return Double.parseDouble(found.group(1));
    }

    private static String show(List<Double> millis) {
        return millis.stream().map(ms -> String.format("%,.0f ms", ms)).toList().toString();
    }
}
