package dev.kafkaprimer.core.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

import dev.kafkaprimer.testkit.Await;
import dev.kafkaprimer.testkit.KafkaCluster;
import dev.kafkaprimer.testkit.TestTopics;
import dev.kafkaprimer.testkit.WithKafkaCluster;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

@WithKafkaCluster
class TopicAdminTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void shouldCreateATopicOnceAndAcceptTheSameCreateAgain(KafkaCluster kafka, TestTopics topics) {
        String topic = topics.next();
        try (TopicAdmin admin = TopicAdmin.connect(kafka.bootstrapServers())) {
            // When the same topic is created twice with the same partition count
            boolean first = admin.createTopic(topic, 3);
            boolean second = admin.createTopic(topic, 3);

            // Then the first call created it and the second accepted it as it was
            assertTrue(first);
            assertFalse(second);
            assertEquals(3, describeWhenVisible(admin, topic).partitionCount());
        }
    }

    @Test
    void shouldTellEachPartitionsEndOffsetAndAGroupsLagOverOneConnection(KafkaCluster kafka, TestTopics topics)
            throws Exception {
        String topic = topics.next();
        try (TopicAdmin admin = TopicAdmin.connect(kafka.bootstrapServers());
             KafkaProducer<String, String> producer = new KafkaProducer<>(
                     Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                     new StringSerializer(), new StringSerializer())) {
            // Given 3 records on partition 0, 1 on partition 1 and none on partition 2
            admin.createTopic(topic, 3);
            for (int partition : new int[] {0, 0, 0, 1}) {
                producer.send(new ProducerRecord<>(topic, partition, "k", "v")).get(30, TimeUnit.SECONDS);
            }

            // Then the end offsets count them, partition by partition
            assertEquals(Map.of(0, 3L, 1, 1L, 2, 0L), admin.endOffsets(topic));
            // And a group that never consumed has no lag to tell
            assertEquals(List.of(), admin.groupLag(topic + "-nobody"));
        }
    }

    @Test
    void shouldRefuseACreateWithAnotherPartitionCountNamingBothCounts(KafkaCluster kafka, TestTopics topics) {
        String topic = topics.next();
        try (TopicAdmin admin = TopicAdmin.connect(kafka.bootstrapServers())) {
            // Given a topic with 2 partitions
            admin.createTopic(topic, 2);

            // When it is created again with 5
            TopicExistsException error = assertThrows(TopicExistsException.class, () -> admin.createTopic(topic, 5));

            // Then the error names both counts and keeps Kafka's own exception as the cause
            assertTrue(error.getMessage().contains("with 2 partitions, not the 5"), error.getMessage());
            assertTrue(error.getCause() instanceof TopicExistsException, String.valueOf(error.getCause()));
        }
    }

    @Test
    void shouldDescribeLeaderReplicasAndInSyncReplicasOfEachPartition(KafkaCluster kafka, TestTopics topics) {
        String topic = topics.next();
        try (TopicAdmin admin = TopicAdmin.connect(kafka.bootstrapServers())) {
            // Given a topic of 3 partitions, one replica each, with a topic setting
            admin.createTopic(topic, 3, 1, Map.of(TopicConfig.RETENTION_MS_CONFIG, "3600000"));

            // When it is described
            TopicDetails details = describeWhenVisible(admin, topic);

            // Then each partition is led by the one broker, which is also its only replica and in sync
            assertEquals(topic, details.name());
            assertEquals(List.of(0, 1, 2), details.partitions().stream().map(PartitionDetails::partition).toList());
            for (PartitionDetails partition : details.partitions()) {
                int broker = partition.replicas().get(0);
                assertEquals(OptionalInt.of(broker), partition.leader());
                assertEquals(List.of(broker), partition.replicas());
                assertEquals(List.of(broker), partition.inSyncReplicas());
                assertFalse(partition.isUnderReplicated());
            }
        }
    }

    @Test
    void shouldListCreatedTopicsButNotInternalOnes(KafkaCluster kafka, TestTopics topics) {
        String topic = topics.next();
        try (TopicAdmin admin = TopicAdmin.connect(kafka.bootstrapServers())) {
            admin.createTopic(topic, 1);

            List<String> names = Await.until(WAIT, topic + " listed", admin::listTopics, l -> l.contains(topic));

            assertFalse(names.stream().anyMatch(name -> name.startsWith("__")), names.toString());
            assertEquals(names.stream().sorted().toList(), names);
        }
    }

    @Test
    void shouldDeleteATopicAndTreatAMissingOneAsAlreadyDeleted(KafkaCluster kafka, TestTopics topics) {
        String topic = topics.next();
        try (TopicAdmin admin = TopicAdmin.connect(kafka.bootstrapServers())) {
            // Given a topic
            admin.createTopic(topic, 1);
            describeWhenVisible(admin, topic);

            // When it is deleted twice
            boolean first = admin.deleteTopic(topic);
            boolean second = admin.deleteTopic(topic);

            // Then only the first call deleted something, and the topic is gone
            assertTrue(first);
            assertFalse(second);
            Await.until(WAIT, topic + " gone", () -> !admin.listTopics().contains(topic));
        }
    }

    @Test
    void shouldIncreasePartitionsAndRefuseToShrinkNamingBothCounts(KafkaCluster kafka, TestTopics topics) {
        String topic = topics.next();
        try (TopicAdmin admin = TopicAdmin.connect(kafka.bootstrapServers())) {
            // Given a topic of 2 partitions
            admin.createTopic(topic, 2);
            describeWhenVisible(admin, topic);

            // When it grows to 4, then to 4 again
            assertTrue(admin.increasePartitions(topic, 4));
            Await.until(WAIT, topic + " with 4 partitions",
                    () -> admin.describeTopic(topic).partitionCount() == 4);
            assertFalse(admin.increasePartitions(topic, 4));

            // Then shrinking is refused with both counts named
            InvalidPartitionsException error = assertThrows(InvalidPartitionsException.class,
                    () -> admin.increasePartitions(topic, 3));
            assertTrue(error.getMessage().contains("has 4 partitions") && error.getMessage().contains("to 3"),
                    error.getMessage());
        }
    }

    @Test
    void shouldNameAnUnknownTopic(KafkaCluster kafka, TestTopics topics) {
        String topic = topics.next();
        try (TopicAdmin admin = TopicAdmin.connect(kafka.bootstrapServers())) {
            UnknownTopicOrPartitionException error = assertThrows(UnknownTopicOrPartitionException.class,
                    () -> admin.describeTopic(topic));
            assertTrue(error.getMessage().contains(topic), error.getMessage());
            assertThrows(UnknownTopicOrPartitionException.class, () -> admin.increasePartitions(topic, 2));
        }
    }

    @Test
    void shouldGiveUpAtTheDeadlineWhenNoBrokerAnswers() {
        // Given an admin pointed at a port where no broker listens, with a one-second deadline
        try (TopicAdmin admin = TopicAdmin.connect("127.0.0.1:1", Duration.ofSeconds(1))) {
            long start = System.nanoTime();

            // When a call is made, then it fails with Kafka's TimeoutException, soon after the deadline
            assertThrows(TimeoutException.class, admin::listTopics);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "took " + took);
        }
    }

    @Test
    void shouldRejectInvalidArgumentsNamingTheValue(KafkaCluster kafka) {
        try (TopicAdmin admin = TopicAdmin.connect(kafka.bootstrapServers())) {
            IllegalArgumentException partitions = assertThrows(IllegalArgumentException.class,
                    () -> admin.createTopic("t", 0));
            assertTrue(partitions.getMessage().contains("was 0"), partitions.getMessage());
            IllegalArgumentException replication = assertThrows(IllegalArgumentException.class,
                    () -> admin.createTopic("t", 1, 0, Map.of()));
            assertTrue(replication.getMessage().contains("replicationFactor"), replication.getMessage());
        }
        IllegalArgumentException deadline = assertThrows(IllegalArgumentException.class,
                () -> TopicAdmin.connect(kafka.bootstrapServers(), Duration.ofMillis(-5)));
        assertTrue(deadline.getMessage().contains("PT-0.005S"), deadline.getMessage());
    }

    /** A topic just created can take a moment to reach the broker that answers describe calls. */
    static TopicDetails describeWhenVisible(TopicAdmin admin, String topic) {
        return Await.until(WAIT, "topic " + topic + " described", () -> admin.describeTopic(topic),
                details -> details.partitions().stream().allMatch(p -> p.leader().isPresent()));
    }
}
