package dev.kafkaprimer.examples.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.kafkaprimer.examples.PrimerRun;
import dev.kafkaprimer.testkit.KafkaCluster;
import dev.kafkaprimer.testkit.TestTopics;
import dev.kafkaprimer.testkit.WithKafkaCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@WithKafkaCluster
class WalletExampleTest {

    @TempDir
    Path dir;

    @Test
    void shouldMatchTheLedgerForEveryUser(KafkaCluster kafka, TestTopics topics) {
        PrimerRun run = wallet(kafka, topics, TestDatabases.sqlite(dir), "--events", "2000", "--users", "40");

        Map<String, Long> summary = assertMatchesTheLedger(run, 2000);
        assertEquals(summary.get("applied"), summary.get("notified"), "every applied event notified once");
        assertTrue(run.out().contains("failed on purpose and were retried"), run::toString);
    }

    @Test
    void shouldMatchTheLedgerAfterAConsumerJvmIsKilled(KafkaCluster kafka, TestTopics topics) {
        // One event at a time per member, a whole partition in order: the plainest design, and the slowest
        PrimerRun run = wallet(kafka, topics, TestDatabases.sqlite(dir), "--events", "3000", "--users", "40",
                "--crash-consumer", "--seed", "7", "--concurrency", "1", "--ordering", "partition");

        assertMatchesTheLedger(run, 3000);
        assertTrue(run.out().contains("SIGKILL"), run::toString);
        assertFalse(run.out().contains("each handling up to"), "no workers: " + run);
    }

    @Test
    void shouldMatchTheLedgerWithEightWorkersPerMemberInPerUserOrder(KafkaCluster kafka, TestTopics topics) {
        PrimerRun run = wallet(kafka, topics, TestDatabases.sqlite(dir), "--events", "2000", "--users", "40",
                "--concurrency", "8", "--ordering", "key");

        Map<String, Long> summary = assertMatchesTheLedger(run, 2000);
        assertTrue(run.out().contains("handling up to 8 events at once, one user's in order"), run::toString);
        assertEquals(summary.get("applied"), summary.get("notified"), "every applied event notified once");
    }

    @Test
    void shouldMatchTheLedgerWithEightWorkersPerMemberAfterAConsumerJvmIsKilled(KafkaCluster kafka,
                                                                              TestTopics topics) {
        PrimerRun run = wallet(kafka, topics, TestDatabases.sqlite(dir), "--events", "3000", "--users", "40",
                "--crash-consumer", "--seed", "7", "--concurrency", "8", "--ordering", "key");

        assertMatchesTheLedger(run, 3000);
        assertTrue(run.out().contains("SIGKILL"), run::toString);
    }

    @Test
    void shouldMatchTheLedgerWithOneDatabaseTransactionPerBatch(KafkaCluster kafka, TestTopics topics) {
        PrimerRun run = wallet(kafka, topics, TestDatabases.sqlite(dir), "--events", "2000", "--users", "20",
                "--batch");

        Map<String, Long> summary = assertMatchesTheLedger(run, 2000);
        assertTrue(run.out().contains("In batches:"), run::toString);
        assertEquals(summary.get("applied"), summary.get("notified"), "every applied event notified once");
        assertTrue(averageBatchSize(run) > 1, run::toString);
    }

    @Test
    void shouldMatchTheLedgerInBatchesAfterAConsumerJvmIsKilled(KafkaCluster kafka, TestTopics topics) {
        PrimerRun run = wallet(kafka, topics, TestDatabases.sqlite(dir), "--events", "3000", "--users", "40",
                "--batch", "--crash-consumer", "--seed", "7");

        assertMatchesTheLedger(run, 3000);
        assertTrue(run.out().contains("SIGKILL"), run::toString);
    }

    @Test
    void shouldMatchTheLedgerWithBulkNotificationsAfterAConsumerJvmIsKilled(KafkaCluster kafka, TestTopics topics) {
        PrimerRun run = wallet(kafka, topics, TestDatabases.sqlite(dir), "--events", "3000", "--users", "40",
                "--batch", "--bulk-notify", "--crash-consumer", "--seed", "7");

        Map<String, Long> summary = assertMatchesTheLedger(run, 3000);
        assertEquals(summary.get("applied"), summary.get("notified"), "every applied event notified once");
        assertTrue(run.out().contains("in bulk calls of up to " + NotifierClient.BULK_SIZE), run::toString);
        Matcher bulk = Pattern.compile("Notifier: (\\d+) bulk calls carrying (\\d+) events").matcher(run.out());
        assertTrue(bulk.find(), run::toString);
        long calls = Long.parseLong(bulk.group(1));
        assertTrue(calls > 0 && Long.parseLong(bulk.group(2)) >= 10 * calls,
                "many events per round trip: " + bulk.group());
        assertTrue(run.out().contains("SIGKILL"), run::toString);
    }

    @Test
    void shouldMatchTheLedgerWhenTheGroupFormsOnABacklogAndAMemberIsKilled(KafkaCluster kafka, TestTopics topics) {
        // --produce-first: every event waits in the topic before the first member joins, so partitions move
        // between members while the backlog is read, and again when the killed member's are taken over
        PrimerRun run = wallet(kafka, topics, TestDatabases.sqlite(dir), "--events", "3000", "--users", "40",
                "--produce-first", "--batch", "--crash-consumer", "--seed", "7");

        Map<String, Long> summary = assertMatchesTheLedger(run, 3000);
        assertEquals(summary.get("applied"), summary.get("notified"), "every applied event notified once");
        String out = run.out();
        assertTrue(out.indexOf("3. Produced 3000 events") < out.indexOf("2. Started consumer group"),
                "produced before the group started: " + run);
        assertTrue(out.contains("The group started on a backlog of 3000 events"), run::toString);
        assertTrue(out.contains("SIGKILL"), run::toString);
    }

    @Test
    void shouldSendMalformedRecordsToTheDeadLetterTopicAndStayCorrect(KafkaCluster kafka, TestTopics topics) {
        PrimerRun run = wallet(kafka, topics, TestDatabases.sqlite(dir), "--events", "1000", "--users", "20",
                "--malformed", "2");

        assertEquals(0, run.exitCode(), run::toString);
        Map<String, Long> summary = summary(run, "OK");
        assertEquals(2, summary.get("dead-lettered"));
        assertEquals(1000, summary.get("applied") + summary.get("declined"));
    }

    @Test
    void shouldDeadLetterEventsWhoseNotificationNeverSucceeds(KafkaCluster kafka, TestTopics topics) {
        PrimerRun run = wallet(kafka, topics, TestDatabases.sqlite(dir), "--events", "3", "--users", "1",
                "--notify-failure-rate", "1");

        // Balances are right (the database step succeeded); each failed notification is in the DLT, not lost.
        assertEquals(0, run.exitCode(), run::toString);
        Map<String, Long> summary = summary(run, "OK");
        assertEquals(0, summary.get("notified"));
        assertEquals(summary.get("applied"), summary.get("dead-lettered"));
    }

    @Test
    void shouldShowWhatGoesWrongWithoutKeysAndStillExitZero(KafkaCluster kafka, TestTopics topics) {
        PrimerRun run = wallet(kafka, topics, TestDatabases.sqlite(dir), "--events", "2000", "--users", "20",
                "--no-key");

        assertEquals(0, run.exitCode(), run::toString);
        Map<String, Long> summary = summary(run, "LESSON \\(--no-key\\)");
        assertTrue(summary.get("out-of-order") > 0, run::toString);
        assertTrue(summary.get("mismatched-users") > 0, run::toString);
    }

    @Test
    void shouldMatchTheLedgerOnPostgresql(KafkaCluster kafka, TestTopics topics) {
        PrimerRun run = wallet(kafka, topics, TestDatabases.postgres(), "--events", "2000", "--users", "40");

        assertMatchesTheLedger(run, 2000);
    }

    @Test
    void shouldMatchTheLedgerInBatchesOnPostgresql(KafkaCluster kafka, TestTopics topics) {
        PrimerRun run = wallet(kafka, topics, TestDatabases.postgres(), "--events", "2000", "--users", "40",
                "--batch");

        assertMatchesTheLedger(run, 2000);
        assertTrue(averageBatchSize(run) > 1, run::toString);
    }

    @Test
    void shouldRefuseBatchesWithPerKeyOrderingNamingTheValues(KafkaCluster kafka) {
        PrimerRun run = PrimerRun.of(Map.of(), "wallet", "--bootstrap-server", kafka.bootstrapServers(),
                "--batch", "--ordering", "key");
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("--batch needs --ordering partition and --concurrency 1"), run::toString);
        assertTrue(run.err().contains("was --ordering key --concurrency 1"), run::toString);
    }

    @Test
    void shouldRefuseBatchesWithWorkerThreadsNamingTheValues(KafkaCluster kafka) {
        PrimerRun run = PrimerRun.of(Map.of(), "wallet", "--bootstrap-server", kafka.bootstrapServers(),
                "--batch", "--concurrency", "4");
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("was --ordering partition --concurrency 4"), run::toString);
    }

    @Test
    void shouldRefuseABadFailureRateNamingIt(KafkaCluster kafka) {
        PrimerRun run = PrimerRun.of(Map.of(), "wallet", "--bootstrap-server", kafka.bootstrapServers(),
                "--notify-failure-rate", "1.5");
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("was '1.5'"), run::toString);
    }

    @Test
    void shouldRefuseAnUnknownOrderingNamingIt(KafkaCluster kafka) {
        PrimerRun run = PrimerRun.of(Map.of(), "wallet", "--bootstrap-server", kafka.bootstrapServers(),
                "--ordering", "random");
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("was 'random'"), run::toString);
    }

    @Test
    void shouldSayHowFarItGotWhenItsTimeRunsOutWithoutAStackTrace(KafkaCluster kafka, TestTopics topics) {
        // 20,000 events cannot be consumed in 1 s here: running out of time is an outcome, told in one line
        List<String> args = List.of("wallet", "--bootstrap-server", kafka.bootstrapServers(), "--topic", topics.next(),
                "--db", TestDatabases.sqlite(dir), "--events", "20000", "--timeout", "1");
        PrimerRun run = PrimerRun.of(Map.of(), args.toArray(String[]::new));

        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(Pattern.compile("(?m)^wallet: FAILED: the group had not consumed every event within 1 s: "
                + "recorded \\d+ of 20000, lag ").matcher(run.out()).find(), run::toString);
        assertTrue(run.err().isEmpty() && !run.out().contains("\tat "), "no stack trace: " + run);
    }

    private static PrimerRun wallet(KafkaCluster kafka, TestTopics topics, String db, String... options) {
        List<String> args = new ArrayList<>(List.of("wallet", "--bootstrap-server", kafka.bootstrapServers(),
                "--topic", topics.next(), "--db", db, "--timeout", "120"));
        args.addAll(List.of(options));
        return PrimerRun.of(Map.of(), args.toArray(String[]::new));
    }

    /**
     * The checks of every correct keyed run: exit code 0, {@code wallet: OK} (every balance equals the ledger's),
     * each event applied or declined exactly once in the database, none applied out of order.
     *
     * @return the summary line's numbers, for further checks
     */
    static Map<String, Long> assertMatchesTheLedger(PrimerRun run, int events) {
        assertEquals(0, run.exitCode(), run::toString);
        Map<String, Long> summary = summary(run, "OK");
        assertEquals(events, summary.get("applied") + summary.get("declined"), "every event recorded once");
        assertEquals(0, summary.get("out-of-order"));
        return summary;
    }

    /**
     * The average of the line {@code batches: N handled, X events each on average, ...}, which must come before
     * the summary line: tools read the summary as the last word.
     */
    private static double averageBatchSize(PrimerRun run) {
        Matcher line = Pattern.compile("(?m)^batches: (\\d+) handled, ([\\d.,]+) events each on average, "
                + "one database transaction per batch").matcher(run.out());
        assertTrue(line.find(), "a 'batches:' line in:\n" + run);
        assertTrue(line.start() < run.out().indexOf("wallet: OK"), "the batches line before the summary:\n" + run);
        // Printed in the default locale, as the summary's seconds are: 24.3 or 24,3.
        return Double.parseDouble(line.group(2).replace(',', '.'));
    }

    /** The numbers of the summary line {@code wallet: VERDICT key=value ...}. */
    static Map<String, Long> summary(PrimerRun run, String verdict) {
        Matcher line = Pattern.compile("(?m)^wallet: " + verdict + " (.*)$").matcher(run.out());
        assertTrue(line.find(), "a 'wallet: " + verdict + "' line in:\n" + run);
        Map<String, Long> numbers = new java.util.HashMap<>();
        Matcher pair = Pattern.compile("([a-z-]+)=(\\d+)").matcher(line.group(1));
        while (pair.find()) {
            numbers.put(pair.group(1), Long.parseLong(pair.group(2)));
        }
        return numbers;
    }
}
