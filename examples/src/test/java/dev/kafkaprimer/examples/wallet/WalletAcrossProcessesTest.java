package dev.kafkaprimer.examples.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.kafkaprimer.examples.PrimerProcess;
import dev.kafkaprimer.examples.PrimerRun;
import dev.kafkaprimer.testkit.Await;
import dev.kafkaprimer.testkit.KafkaCluster;
import dev.kafkaprimer.testkit.TestTopics;
import dev.kafkaprimer.testkit.WithKafkaCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The wallet as users run it on several machines: one {@code --role produce}, three {@code --role consume}
 * processes (JVMs of their own, one killed with SIGKILL mid-run and started again), and {@code --role check},
 * against a 3-node cluster and one database that all of them share.
 */
// Its own cluster, closed after its last test: three brokers left idle would slow every later test class.
@WithKafkaCluster(nodes = 3, lifecycle = WithKafkaCluster.Lifecycle.PER_CLASS)
class WalletAcrossProcessesTest {

    private static final Duration DEADLINE = Duration.ofSeconds(120);
    private static final Pattern PROCESSED = Pattern.compile("consume: processed (\\d+) events");
    private static final int EVENTS = 4000;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"postgres", "sqlite"})
    void shouldMatchTheLedgerWithThreeConsumeProcessesOneKilledAndRestarted(String database, KafkaCluster kafka,
                                                                            TestTopics topics) throws Exception {
        String db = TestDatabases.named(database, dir);
        List<String> common = List.of("--bootstrap-server", kafka.bootstrapServers(), "--topic", topics.next(),
                "--db", db, "--timeout", Long.toString(DEADLINE.toSeconds()));

        // Given a run's events and manifest, written by one process
        PrimerRun produce = wallet(common, "--role", "produce", "--events", Integer.toString(EVENTS), "--users",
                "40", "--seed", "11");
        assertEquals(0, produce.exitCode(), produce::toString);
        assertTrue(produce.out().contains("produce: manifest written"), produce::toString);

        List<PrimerProcess> consumers = new ArrayList<>();
        List<PrimerProcess> started = new ArrayList<>();
        try {
            // When three consume processes share the work, and one is killed mid-run and started again, this time
            // handling in batches notified in bulk (processes of one group may handle their events differently)
            for (int i = 1; i <= 3; i++) {
                consumers.add(consume(common, "consume-" + i, started));
            }
            // (the first to have applied 100 events, while less than half of all were applied: mid-run)
            PrimerProcess victim = Await.until(DEADLINE, "a consume process to apply 100 events, mid-run",
                    () -> consumers.stream().filter(c -> lastProcessed(c.output()) >= 100).findFirst(),
                    Optional::isPresent).orElseThrow();
            long appliedSoFar = consumers.stream().mapToLong(c -> lastProcessed(c.output())).sum();
            assertTrue(appliedSoFar < EVENTS / 2, "killed mid-run, after " + appliedSoFar + " events");
            victim.kill();
            consumers.remove(victim);
            consumers.add(consume(common, "consume-restarted", started, "--batch", "--bulk-notify"));

            // Then the check, from yet another process, finds every balance equal to the ledger
            PrimerRun check = wallet(common, "--role", "check");
            Map<String, Long> summary = WalletExampleTest.assertMatchesTheLedger(check, EVENTS);
            assertEquals(summary.get("applied"), summary.get("notified"), "each applied event notified once");
            assertTrue(check.out().contains("check: run "), check::toString);

            // and the consume processes leave on their own once idle, with exit code 0
            for (PrimerProcess consumer : consumers) {
                assertEquals(0, consumer.awaitExit(DEADLINE), consumer::toString);
                assertTrue(consumer.output().contains("(--idle-exit): leaving the group"), consumer::toString);
            }
            long sharedOut = consumers.stream()
                    .filter(consumer -> lastProcessed(consumer.output()) > 0).count();
            assertTrue(sharedOut >= 2, "the work was shared among the processes left: " + consumers);
        } finally {
            for (PrimerProcess consumer : started) {
                consumer.close();
            }
        }
    }

    @Test
    void shouldRefuseARoleWithoutAClusterThatOutlivesTheProcess() {
        PrimerRun run = PrimerRun.of(Map.of(), "wallet", "--role", "consume", "--db", dir.resolve("w.db").toString());
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("--role consume is one part of a run spread over processes"), run::toString);
        assertTrue(run.err().contains("--bootstrap-server"), run::toString);
    }

    @Test
    void shouldRefuseIdleExitWithoutTheConsumeRole(KafkaCluster kafka) {
        PrimerRun run = PrimerRun.of(Map.of(), "wallet", "--bootstrap-server", kafka.bootstrapServers(),
                "--idle-exit", "5");
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("--idle-exit is for --role consume"), run::toString);
        assertTrue(run.err().contains("was --role all"), run::toString);
    }

    @Test
    void shouldSayThatNoRunWasProducedWhenTheManifestIsMissing(KafkaCluster kafka, TestTopics topics) {
        PrimerRun run = PrimerRun.of(Map.of(), "wallet", "--bootstrap-server", kafka.bootstrapServers(),
                "--role", "check", "--topic", topics.next(), "--db", dir.resolve("w.db").toString(), "--timeout", "2");
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.out().contains("run ./primer wallet --role produce against this cluster first"),
                run::toString);
        assertTrue(run.err().isEmpty(), "one line, no stack trace: " + run);
    }

    private PrimerProcess consume(List<String> common, String name, List<PrimerProcess> started, String... options)
            throws Exception {
        List<String> args = new ArrayList<>(List.of("wallet", "--role", "consume", "--idle-exit", "5"));
        args.addAll(common);
        args.addAll(List.of(options));
        PrimerProcess process = PrimerProcess.start(dir.resolve(name + ".out"), args.toArray(String[]::new));
        started.add(process);
        return process;
    }

    private static PrimerRun wallet(List<String> common, String... options) {
        List<String> args = new ArrayList<>(List.of("wallet"));
        args.addAll(common);
        args.addAll(List.of(options));
        return PrimerRun.of(Map.of(), args.toArray(String[]::new));
    }

    private static long lastProcessed(String output) {
        long last = 0;
        Matcher matcher = PROCESSED.matcher(output);
        while (matcher.find()) {
            last = Long.parseLong(matcher.group(1));
        }
        return last;
    }
}
