package dev.kafkaprimer.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Test;

/** {@link BrokerStop#ABRUPT}: a broker that goes without a controlled shutdown is noticed by missed heartbeats. */
class AbruptBrokerStopTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @Test
    void shouldKeepTheStoppedLeaderUntilTheControllerFencesItAfterMissedHeartbeats() throws Exception {
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder().nodes(3).brokerStop(BrokerStop.ABRUPT).start();
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            assertEquals(BrokerStop.ABRUPT, kafka.brokerStop());
            // Given a partition replicated on all three brokers
            admin.createTopics(List.of(new NewTopic("abrupt", 1, (short) 3))).all().get(30, TimeUnit.SECONDS);
            int oldLeader = Await.until(DEADLINE, "3 in-sync replicas", () -> partition0(admin),
                    p -> p.leader() != null && p.isr().size() == 3).leader().id();

            // When its leader stops without handing leadership over
            long stopping = System.nanoTime();
            kafka.stopNode(oldLeader);

            // Then a new leader is elected only after the controller missed heartbeats for about the broker
            // session timeout (3 s, heartbeats every 0.5 s): a controlled shutdown would move it at once
            TopicPartitionInfo after = Await.until(DEADLINE, "a leader other than " + oldLeader,
                    () -> partition0(admin), p -> p.leader() != null && p.leader().id() != oldLeader);
            long electedAfterMs = (System.nanoTime() - stopping) / 1_000_000;
            assertNotEquals(oldLeader, after.leader().id());
            assertTrue(electedAfterMs >= 2_000, "new leader after " + electedAfterMs + " ms, before the session expired");
            assertTrue(after.isr().stream().map(Node::id).noneMatch(id -> id == oldLeader), after::toString);

            // And the broker comes back and rejoins the in-sync replicas
            kafka.restartNode(oldLeader);
            Await.until(DEADLINE, "broker " + oldLeader + " back in the ISR", () -> partition0(admin),
                    p -> p.isr().size() == 3);
        }
    }

    private static TopicPartitionInfo partition0(Admin admin) {
        try {
            return admin.describeTopics(List.of("abrupt")).allTopicNames().get(30, TimeUnit.SECONDS).get("abrupt")
                    .partitions().get(0);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
