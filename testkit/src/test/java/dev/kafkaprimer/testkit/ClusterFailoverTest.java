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
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Replication on three real brokers, the claims of the README's replication section: a failed leader is replaced
 * by another in-sync replica of the same partition, which has every acknowledged record; with the broker default
 * {@code min.insync.replicas=1} an {@code acks=all} write is acknowledged by the leader alone, with 2 it is
 * refused. Each test leaves every node running.
 */
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

            // Then the controller elects another replica of the same partition, one that was in sync, and the old
            // leader leaves the ISR (the note says "another partition": it is another copy of this one)
            TopicPartitionInfo after = Await.until(DEADLINE, "a new leader other than " + oldLeader,
                    () -> partition0(admin, topic),
                    p -> p.leader() != null && p.leader().id() != oldLeader && !ids(p.isr()).contains(oldLeader));
            assertNotEquals(oldLeader, after.leader().id());
            assertTrue(ids(before.isr()).contains(after.leader().id()), "new leader from the ISR " + before);
            assertEquals(ids(before.replicas()), ids(after.replicas()), "the same partition's replicas");

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

    @Test
    void shouldAcknowledgeWithTheLeaderAloneUnderTheDefaultMinInsyncButRefuseUnderTwo(EmbeddedKafkaCluster kafka,
                                                                                     TestTopics topics)
            throws Exception {
        String defaults = topics.next();
        String guarded = topics.next();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            // Given two topics with three replicas led by broker 1: one with the broker default min.insync.replicas
            // (1), one with 2
            admin.createTopics(List.of(
                    new NewTopic(defaults, Map.of(0, List.of(1, 2, 3))),
                    new NewTopic(guarded, Map.of(0, List.of(1, 2, 3))).configs(Map.of("min.insync.replicas", "2"))))
                    .all().get(30, TimeUnit.SECONDS);
            for (String topic : List.of(defaults, guarded)) {
                // The followers fetch from the leader: once written to, all three replicas are in sync
                produce(kafka, topic, "first");
                Await.until(DEADLINE, topic + " led by 1 with 3 in sync", () -> partition0(admin, topic),
                        p -> p.leader() != null && p.leader().id() == 1 && p.isr().size() == 3);
            }

            // When both followers stop
            kafka.stopNode(2);
            kafka.stopNode(3);
            try {
                for (String topic : List.of(defaults, guarded)) {
                    Await.until(DEADLINE, topic + " with its leader alone in sync", () -> partition0(admin, topic),
                            p -> ids(p.isr()).equals(List.of(1)));
                }

                // Then min.insync.replicas=1 acknowledges an acks=all write that only the leader holds: one disk
                // lost now would lose it, though the producer was told it was kept
                produce(kafka, defaults, "held by one broker only");
                // And min.insync.replicas=2 refuses it instead
                ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                        () -> produceOnce(kafka, guarded, "refused"));
                assertTrue(refused.getCause() instanceof NotEnoughReplicasException, refused.toString());
            } finally {
                kafka.restartNode(2);
                kafka.restartNode(3);
            }
            Await.until(DEADLINE, defaults + " with 3 in sync again", () -> partition0(admin, defaults),
                    p -> p.isr().size() == 3);
        }
    }

    /** One acks=all send without retries, so that a refusal comes back at once instead of after retries. */
    private static void produceOnce(KafkaCluster kafka, String topic, String value)
            throws ExecutionException, InterruptedException, TimeoutException {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.RETRIES_CONFIG, 0,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, value)).get(30, TimeUnit.SECONDS);
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
