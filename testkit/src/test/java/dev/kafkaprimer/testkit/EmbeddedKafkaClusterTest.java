package dev.kafkaprimer.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

@WithKafkaCluster
class EmbeddedKafkaClusterTest {

    @Test
    void shouldCreateATopicOnFirstUseAsKafkaDoesByDefault(KafkaCluster kafka, TestTopics topics) throws Exception {
        // Given a topic name nobody created
        String topic = topics.next();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            // When a record is sent to it, then it is stored: the broker created the topic
            RecordMetadata sent = producer.send(new ProducerRecord<>(topic, "v")).get(30, TimeUnit.SECONDS);
            assertEquals(0L, sent.offset());
        }
    }

    @Test
    void shouldReadBackWhatWasProducedWithConsecutiveOffsets(KafkaCluster kafka, TestTopics topics) throws Exception {
        // Given a topic with one partition
        String topic = topics.next();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }

        // When three records are produced
        List<Long> producedOffsets = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            for (String value : List.of("one", "two", "three")) {
                RecordMetadata sent = producer.send(new ProducerRecord<>(topic, "key", value)).get(30, TimeUnit.SECONDS);
                producedOffsets.add(sent.offset());
            }
        }

        // Then a consumer reading from the beginning sees them in order at offsets 0, 1, 2
        List<ConsumerRecord<String, String>> received = readAll(kafka, topic, 3);
        assertEquals(List.of(0L, 1L, 2L), producedOffsets);
        assertEquals(List.of("one", "two", "three"), received.stream().map(ConsumerRecord::value).toList());
        assertEquals(List.of(0L, 1L, 2L), received.stream().map(ConsumerRecord::offset).toList());
    }

    @Test
    void shouldDeleteItsDataDirectoryOnClose() {
        // Given a started cluster of its own
        EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.start(1);
        Path data = cluster.dataDirectory();
        assertTrue(Files.isDirectory(cluster.logDirectories(1).get(0)), "log directory exists while running");
        assertEquals(NodeRole.COMBINED, cluster.role(1));

        // When it is closed (twice: the second call is a no-op)
        cluster.close();
        cluster.close();

        // Then its data is gone and node control is refused
        assertFalse(Files.exists(data), "data directory deleted: " + data);
        assertThrows(IllegalStateException.class, () -> cluster.stopNode(1));
    }

    @Test
    void shouldRejectInvalidSettingsNamingTheValue() {
        IllegalArgumentException nodes = assertThrows(IllegalArgumentException.class,
                () -> EmbeddedKafkaCluster.builder().nodes(0));
        assertTrue(nodes.getMessage().contains("was 0"), nodes.getMessage());
        IllegalArgumentException port = assertThrows(IllegalArgumentException.class,
                () -> EmbeddedKafkaCluster.builder().port(70_000));
        assertTrue(port.getMessage().contains("70000"), port.getMessage());
        IllegalArgumentException stop = assertThrows(IllegalArgumentException.class,
                () -> EmbeddedKafkaCluster.builder().brokerStop(null));
        assertTrue(stop.getMessage().contains("was null"), stop.getMessage());
    }

    @Test
    void shouldNameValidIdsWhenAskedForAnUnknownNode(EmbeddedKafkaCluster kafka) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> kafka.stopNode(42));
        assertTrue(error.getMessage().contains("42") && error.getMessage().contains("[1]"), error.getMessage());
        assertEquals(Set.of(1), Set.copyOf(kafka.brokerIds()));
        assertEquals(BrokerStop.CONTROLLED, kafka.brokerStop());
    }

    static List<ConsumerRecord<String, String>> readAll(KafkaCluster kafka, String topic, int expected) {
        TopicPartition partition = new TopicPartition(topic, 0);
        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            Await.until(Duration.ofSeconds(30), expected + " records from " + topic, () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
                return received.size() >= expected;
            });
        }
        return received;
    }
}
