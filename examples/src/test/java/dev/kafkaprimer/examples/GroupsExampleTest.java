package dev.kafkaprimer.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.kafkaprimer.testkit.KafkaCluster;
import dev.kafkaprimer.testkit.TestTopics;
import dev.kafkaprimer.testkit.WithKafkaCluster;
import org.junit.jupiter.api.Test;

@WithKafkaCluster
class GroupsExampleTest {

    private static final Pattern COUNTS = Pattern.compile(
            "(?m)^groups: OK produced=(\\d+) processed=(\\d+) \\(distinct\\) duplicates=(\\d+) skipped=0$");

    @Test
    void shouldRebalanceAClassicGroupOnAnExistingClusterWithoutSkippingARecord(KafkaCluster kafka,
                                                                                TestTopics topics) {
        // When the example runs the classic protocol against a cluster given by address, serving its metrics
        PrimerRun run = PrimerRun.of(Map.of(), "groups", "--bootstrap-server", kafka.bootstrapServers(),
                "--topic", topics.next(), "--metrics-port", "0");

        // Then each rebalance is printed with the generation, and nothing was skipped
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(Pattern.compile("(?m)^Metrics: http://127\\.0\\.0\\.1:\\d+/metrics ").matcher(run.out()).find(),
                run::toString);
        assertRebalancesAndCounts(run, "generation");
    }

    @Test
    void shouldRebalanceAConsumerProtocolGroupOnTheEmbeddedBrokerWithoutSkippingARecord() {
        // When the example runs the KIP-848 protocol on its own broker (with its quicker heartbeats)
        PrimerRun run = PrimerRun.of(Map.of(), "groups", "--protocol", "consumer");

        // Then each rebalance is printed with the member epoch, and the coordinator's group epoch
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("group.consumer.heartbeat.interval.ms=500"), run::toString);
        assertRebalancesAndCounts(run, "epoch");
        assertTrue(Pattern.compile("group Stable, group epoch \\d+, 4 members").matcher(run.out()).find(),
                run::toString);
    }

    @Test
    void shouldRefuseAnUnknownProtocolNamingIt(KafkaCluster kafka) {
        PrimerRun run = PrimerRun.of(Map.of(), "groups", "--bootstrap-server", kafka.bootstrapServers(),
                "--protocol", "eager");
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("--protocol must be classic or consumer, was 'eager'"), run::toString);
    }

    private static void assertRebalancesAndCounts(PrimerRun run, String generation) {
        String out = run.out();
        // the fourth member is assigned partitions, the first gives its partitions up when it leaves
        assertTrue(Pattern.compile("member-4 assigned \\[[0-5, ]+] +-> owns \\[[0-5, ]+] +\\(" + generation + " \\d+\\)")
                .matcher(out).find(), run::toString);
        assertTrue(Pattern.compile("member-1 revoked +\\[[0-5, ]+] +-> owns \\[] +\\(" + generation + " \\d+\\)")
                .matcher(out).find(), run::toString);
        // three settled states (3, 4, then 3 members), each naming the coordinator
        assertEquals(3, count(out, "   Settled in [\\d.]+ s: member-"), run::toString);
        assertEquals(3, count(out, "   Coordinator: broker \\d+ at [^ ]+:\\d+; group Stable, "), run::toString);
        assertTrue(out.contains("member-1 owns") && out.contains("member-4 owns"), run::toString);
        // every partition committed to its end
        assertEquals(6, count(out, "   partition [0-5]: committed (\\d+), log-end \\1, lag 0"), run::toString);
        // and the counts: every record processed, none skipped
        Matcher counts = COUNTS.matcher(out);
        assertTrue(counts.find(), run::toString);
        assertTrue(Long.parseLong(counts.group(1)) > 0, run::toString);
        assertEquals(counts.group(1), counts.group(2), "produced = processed (distinct): " + run);
    }

    private static int count(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        int found = 0;
        while (matcher.find()) {
            found++;
        }
        return found;
    }
}
