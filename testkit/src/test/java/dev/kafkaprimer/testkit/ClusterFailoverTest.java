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
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

@WithKafkaCluster(nodes = 3, lifecycle = WithKafkaCluster.Lifecycle.PER_CLASS)
class ClusterFailoverTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @Test
    void shouldElectNewLeaderKeepServingAndLetTheOldLeaderRejoinTheIsr(EmbeddedKafkaCluster kafka, TestTopics topics)
            throws Exception {
        assertEquals(List.of(1, 2, 3), kafka.brokerIds());
        assertEquals(List.of(1001, 1002, 1003), kafka.controllerIds());
        String topic = topics.next();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            // Given a topic replicated on all three brokers, needing two in sync to accept acks=all writes
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 3)
                    .configs(Map.of("min.insync.replicas", "2")))).all().get(30, TimeUnit.SECONDS);
            TopicPartitionInfo before = Await.until(DEADLINE, "3 in-sync replicas", () -> partition0(admin, topic),
                    p -> p.leader() != null && p.isr().size() == 3);
            int oldLeader = before.leader().id();

            // When the leader's node stops
            kafka.stopNode(oldLeader);

            // Then the controller elects another replica, and the old one leaves the ISR
            TopicPartitionInfo after = Await.until(DEADLINE, "a new leader other than " + oldLeader,
                    () -> partition0(admin, topic),
                    p -> p.leader() != null && p.leader().id() != oldLeader && !ids(p.isr()).contains(oldLeader));
            assertNotEquals(oldLeader, after.leader().id());
            assertTrue(List.of(1, 2, 3).contains(after.leader().id()));

            // And acks=all writes and reads still work with two of three brokers
            produce(kafka, topic, "while-" + oldLeader + "-is-down");
            assertEquals("while-" + oldLeader + "-is-down",
                    EmbeddedKafkaClusterTest.readAll(kafka, topic, 1).get(0).value());

            // When the old leader comes back, it catches up and rejoins the in-sync replicas
            kafka.restartNode(oldLeader);
            assertTrue(kafka.isRunning(oldLeader));
            Await.until(DEADLINE, "broker " + oldLeader + " back in the ISR", () -> partition0(admin, topic),
                    p -> ids(p.isr()).contains(oldLeader) && p.isr().size() == 3);
        }
    }

    private static void produce(KafkaCluster kafka, String topic, String value)
            throws ExecutionException, InterruptedException, TimeoutException {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, value)).get(30, TimeUnit.SECONDS);
        }
    }

    private static TopicPartitionInfo partition0(Admin admin, String topic) {
        try {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get(topic);
            return description.partitions().get(0);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<Integer> ids(List<Node> nodes) {
        return nodes.stream().map(Node::id).toList();
    }
}
