package dev.kafkaprimer.examples.exactlyonce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.tools.TransactionsCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kafkaprimer.examples.PrimerRun;
import dev.kafkaprimer.testkit.KafkaCluster;
import dev.kafkaprimer.testkit.TestTopics;
import dev.kafkaprimer.testkit.WithKafkaCluster;

/**
 * {@code ./primer exactly-once} on a real broker: a processor JVM killed with SIGKILL in the middle of its
 * transactions leaves no duplicate and no gap for a {@code read_committed} reader, and Kafka's own
 * {@code kafka-transactions} tool finds no transaction left open; without transactions the same crashes leave
 * duplicates.
 */
@WithKafkaCluster
class ExactlyOnceExampleTest {

    private static final Pattern END_LINE = Pattern.compile(
            "exactly-once: OK inputs=800 outputs=800 duplicates=0 aborted-visible-to-read_uncommitted=(\\d+)");

    @TempDir
    Path dir;

    @Test
    void shouldWriteOneOutputPerInputThroughProcessorsKilledMidTransaction(KafkaCluster kafka, TestTopics topics)
            throws Exception {
        String topic = topics.next();
        PrimerRun run = PrimerRun.of(Map.of(), "exactly-once", "--bootstrap-server", kafka.bootstrapServers(),
                "--topic", topic, "--events", "800", "--users", "20", "--crashes", "2", "--timeout", "120");

        assertEquals(0, run.exitCode(), run::toString);
        Matcher end = END_LINE.matcher(run.out());
        assertTrue(end.find(), run::toString);
        // Two runs were killed: each after handling its share, 800 / 3 = 266 events, rounded up to a report
        assertEquals(2, Pattern.compile("killed with SIGKILL after it had handled \\d+ events").matcher(run.out())
                .results().count(), run::toString);
        assertTrue(run.out().contains("read_committed:   800 outputs for 800 events, 0 duplicates, 0 missing"),
                run::toString);
        assertTrue(run.out().contains("Balances of 20 users against a ledger computed from the events in order: "
                + "all equal"), run::toString);
        assertTrue(run.out().contains("transactions left open on the output: 0."), run::toString);

        // And Kafka's own tool, with no grace (a transaction open for any time counts as hanging), finds none
        String hanging = kafkaTransactions(kafka, "find-hanging", "--topic", topic + ".balances",
                "--max-transaction-timeout", "0");
        assertEquals(1, hanging.strip().lines().count(), "only the header of an empty table:\n" + hanging);
        // And lists the processor's transactional id, its last transaction complete
        String listed = kafkaTransactions(kafka, "list");
        String processor = listed.lines().filter(line -> line.contains("-processor")
                && line.contains(run.out().replaceAll("(?s).*group.instance.id '([^']+)'.*", "$1"))).findFirst()
                .orElseThrow(() -> new AssertionError("the processor's transactional id in:\n" + listed));
        assertTrue(processor.contains("CompleteCommit") || processor.contains("Empty"), processor);
    }

    @Test
    void shouldShowTheDuplicatesTheTransactionRemovesWhenRunAtLeastOnce(KafkaCluster kafka, TestTopics topics) {
        PrimerRun run = PrimerRun.of(Map.of(), "exactly-once", "--bootstrap-server", kafka.bootstrapServers(),
                "--topic", topics.next(), "--events", "800", "--users", "20", "--crashes", "2", "--at-least-once",
                "--timeout", "120");

        assertEquals(0, run.exitCode(), run::toString);
        Matcher end = Pattern.compile("at-least-once: inputs=800 outputs=(\\d+) duplicates=(\\d+) wrong-balances=\\d+")
                .matcher(run.out());
        assertTrue(end.find(), run::toString);
        int outputs = Integer.parseInt(end.group(1));
        int duplicates = Integer.parseInt(end.group(2));
        // Each kill lands inside a poll's batch of up to 100 events: what it wrote since the last commit is
        // written again. (Both kills falling in the few milliseconds between a commit and the next write would
        // show none: unlikely, and the line then says so.)
        assertTrue(duplicates > 0, run::toString);
        assertEquals(800 + duplicates, outputs, run::toString);
        assertTrue(run.out().contains("0 missing"), run::toString);
    }

    @Test
    void shouldKeepExactlyOnceWhenTheTransactionCoordinatorsBrokerStopsAbruptly() {
        // An embedded cluster of three brokers of its own: the example stops one of them
        PrimerRun run = PrimerRun.of(Map.of(), "exactly-once", "--nodes", "3", "--events", "600", "--users", "20",
                "--crashes", "2", "--timeout", "120");

        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(Pattern.compile("Stopped broker \\d+, the transaction coordinator of '[^']+'").matcher(run.out())
                .find(), run::toString);
        assertTrue(run.out().contains("exactly-once: OK inputs=600 outputs=600 duplicates=0"), run::toString);
    }

    @Test
    void shouldRefuseNodesWithAGivenClusterNamingTheOption(KafkaCluster kafka) {
        PrimerRun run = PrimerRun.of(Map.of(), "exactly-once", "--nodes", "3", "--bootstrap-server",
                kafka.bootstrapServers());

        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("--nodes 3 is for the embedded cluster"), run::toString);
    }

    /** Runs {@code kafka-transactions.sh ARGS} (Kafka's TransactionsCommand) in a JVM of its own; its output. */
    private String kafkaTransactions(KafkaCluster kafka, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), TransactionsCommand.class.getName(),
                "--bootstrap-server", kafka.bootstrapServers()));
        command.addAll(List.of(args));
        Path out = dir.resolve("kafka-transactions.out");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "kafka-transactions " + String.join(" ", args) + " ended");
        String text = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), text);
        return text;
    }
}
