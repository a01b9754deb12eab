package dev.kafkaprimer.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One run of {@code ./primer failover} (its own 3-node cluster, about 20 s) is shared by the tests below, each
 * checking one behaviour it shows; the example checks the counts itself and exits 1 on a loss.
 */
class FailoverExampleTest {

    private static PrimerRun run;

    @BeforeAll
    static void runTheExample() {
        run = PrimerRun.of(Map.of(), "failover", "--topic", "failover-test");
    }

    @Test
    void shouldLoseNoAcknowledgedRecordWhenTheLeaderStopsWhileProducing() {
        assertEquals(0, run.exitCode(), run::toString);
        Matcher stopped = Pattern.compile("Stopping broker (\\d), leader of partition 0, abruptly").matcher(run.out());
        assertTrue(stopped.find(), run::toString);
        assertTrue(Pattern.compile("fenced it, and elected broker (?!" + stopped.group(1) + ")\\d from the in-sync replicas")
                .matcher(run.out()).find(), run::toString);
        assertTrue(run.out().contains("4. Restarted broker " + stopped.group(1) + ": "), run::toString);

        Matcher counts = Pattern.compile("failover: acknowledged=(\\d+) read=(\\d+) lost=(\\d+) duplicates=(\\d+)")
                .matcher(run.out());
        assertTrue(counts.find(), run::toString);
        long acknowledged = Long.parseLong(counts.group(1));
        assertTrue(acknowledged >= 300, "a few hundred values acknowledged around the failover: " + run);
        assertEquals(acknowledged, Long.parseLong(counts.group(2)), run::toString);
        assertEquals("0", counts.group(3), run::toString);
        assertEquals("0", counts.group(4), run::toString);
    }

    @Test
    void shouldRefuseAcksAllWritesWhenFewerReplicasThanMinInsyncAreInSync() {
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(Pattern.compile("partition 0: leader broker \\d, replicas \\[\\d, \\d, \\d], in-sync \\[\\d],"
                + " fewer than min.insync.replicas=2").matcher(run.out()).find(), run::toString);
        assertTrue(run.out().contains("acks=all write, no retries: refused after"), run::toString);
        assertTrue(run.out().contains("with NotEnoughReplicasException"), run::toString);
        assertTrue(run.out().contains("failed after") && run.out().contains("with TimeoutException: Expiring 1 record(s)"),
                run::toString);
        assertTrue(run.out().contains("an acks=all write is accepted at partition 0"), run::toString);
    }

    @Test
    void shouldRefuseToRunOnAClusterGivenByAddressChangingNothing() {
        PrimerRun external = PrimerRun.of(Map.of(), "failover", "--bootstrap-server", "127.0.0.1:9");
        assertEquals(2, external.exitCode(), external::toString);
        assertTrue(external.err().contains("runs only on the embedded cluster it starts itself"), external::toString);
    }
}
