package dev.kafkaprimer.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Collectors;

import dev.kafkaprimer.core.admin.TopicAdmin;
import dev.kafkaprimer.core.producer.JsonProducer;
import dev.kafkaprimer.core.producer.ProducerOptions;
import dev.kafkaprimer.core.producer.SendResult;
import dev.kafkaprimer.testkit.KafkaCluster;
import dev.kafkaprimer.testkit.TestTopics;
import dev.kafkaprimer.testkit.WithKafkaCluster;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/** Runs the README's producer example against a real broker, so the README shows code that works. */
@WithKafkaCluster
class ReadmeSnippetTest {

    @Test
    void shouldStoreTheReadmeExamplesOrderAsPlainJson(KafkaCluster kafka, TestTopics topics) {
        // Given an existing topic
        String topic = topics.next();
        try (TopicAdmin admin = TopicAdmin.connect(kafka.bootstrapServers())) {
            admin.createTopic(topic, 3);
        }

        // When the README example runs
        ReadmeSnippet.sendAnOrder(kafka.bootstrapServers(), topic);

        // Then the topic holds the order, keyed by its id, as JSON any consumer can read
        ConsumerRecord<String, String> stored = RawTopicReader.readAll(kafka.bootstrapServers(), topic, 1,
                new StringDeserializer()).get(0);
        assertEquals("order-17", stored.key());
        String json = "\\{\"orderId\":\"order-17\",\"total\":12\\.50,\"placedAt\":\"[0-9T:.Z-]+\"}";
        assertTrue(stored.value().matches(json), stored.value());
    }

    @Test
    void shouldMatchTheBlockInTheReadme() throws IOException {
        String source = Files.readString(Path.of(
                "src/test/java/dev/kafkaprimer/core/ReadmeSnippetTest.java"));
        String readme = Files.readString(Path.of("../README.md"));
        String between = source.substring(source.lastIndexOf("// README:start") + "// README:start".length(),
                source.lastIndexOf("// README:end"));
        String normalized = between.lines().map(String::strip).filter(line -> !line.isEmpty())
                .collect(Collectors.joining("\n"));
        String readmeNormalized = readme.lines().map(String::strip).filter(line -> !line.isEmpty())
                .collect(Collectors.joining("\n"));
        assertTrue(readmeNormalized.contains(normalized),
                "README.md must show the example exactly as compiled here:\n" + normalized);
    }

    /**
     * The README's producer example. The text between the markers is copied into README.md as it is, with
     * {@code bootstrapServers} and {@code topic} introduced there ({@code "localhost:9092"}, {@code "orders"});
     * change both together.
     */
    static final class ReadmeSnippet {

        private ReadmeSnippet() {
        }

        static void sendAnOrder(String bootstrapServers, String topic) {
            // README:start
            record OrderPlaced(String orderId, BigDecimal total, Instant placedAt) {}

            ProducerOptions options = ProducerOptions.builder(bootstrapServers).build();  // acks=all, idempotent
            try (JsonProducer<String, OrderPlaced> producer = JsonProducer.create(options)) {
                OrderPlaced order = new OrderPlaced("order-17", new BigDecimal("12.50"), Instant.now());
                // The key picks the partition: all events of order-17 stay in order.
                SendResult sent = producer.sendAndWait(topic, order.orderId(), order, Duration.ofSeconds(10));
                System.out.println("stored in partition " + sent.partition() + " at offset " + sent.offset());
            }
            // README:end
        }
    }
}
