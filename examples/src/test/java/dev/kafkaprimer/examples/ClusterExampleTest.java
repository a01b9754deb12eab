package dev.kafkaprimer.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.regex.Pattern;

import dev.kafkaprimer.testkit.KafkaCluster;
import dev.kafkaprimer.testkit.TestTopics;
import dev.kafkaprimer.testkit.WithKafkaCluster;
import org.junit.jupiter.api.Test;

@WithKafkaCluster
class ClusterExampleTest {

    @Test
    void shouldShowBrokersControllerQuorumAndTheLeaderStoringEachKey() {
        // When the example starts its own cluster of 3 brokers and 3 controllers
        PrimerRun run = PrimerRun.of(Map.of(), "cluster");

        // Then it names every broker, the voters and the active controller
        assertEquals(0, run.exitCode(), run::toString);
        for (int broker = 1; broker <= 3; broker++) {
            assertTrue(run.out().contains("   broker " + broker + " at 127.0.0.1:"), run::toString);
        }
        assertTrue(Pattern.compile("voters: 1001 .*, 1002 .*, 1003 .*; the active controller is 100[123] ")
                .matcher(run.out()).find(), run::toString);
        // And six partitions, each with three replicas all in sync
        assertEquals(6, count(run.out(), "partition \\d: leader broker [123], replicas \\[\\d, \\d, \\d], in-sync \\[\\d, \\d, \\d]"),
                run::toString);
        // And, for every key, both events in one partition and the broker leading it
        assertEquals(6, count(run.out(), "user-\\d: charge → partition (\\d) offset \\d+, deduct → partition \\1 offset \\d+;"
                + " stored by leader broker [123] and copied to brokers \\[\\d, \\d]"), run::toString);
        assertTrue(run.out().contains("cluster: OK"), run::toString);
    }

    @Test
    void shouldUseReplicationFactorOneAndSaySoOnASingleBroker(KafkaCluster kafka, TestTopics topics) {
        // Given a cluster of one broker
        assertEquals(1, kafka.brokerCount());

        // When the example runs against it
        String topic = topics.next();
        PrimerRun run = PrimerRun.of(Map.of(), "cluster", "--bootstrap-server", kafka.bootstrapServers(),
                "--topic", topic);

        // Then it explains why replication factor 3 cannot be had, and goes on with 1
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("Replication factor 3 is impossible with 1 broker(s)"), run::toString);
        assertTrue(run.out().contains("Created topic '" + topic + "' with 6 partitions, replication factor 1."),
                run::toString);
        assertEquals(6, count(run.out(), "partition \\d: leader broker 1, replicas \\[1], in-sync \\[1]"), run::toString);
        assertTrue(run.out().contains("stored by leader broker 1 and copied to no other broker"), run::toString);
        assertTrue(run.out().contains("Deleted topic '" + topic + "'."), run::toString);
    }

    private static long count(String text, String regex) {
        return Pattern.compile(regex).matcher(text).results().count();
    }
}
