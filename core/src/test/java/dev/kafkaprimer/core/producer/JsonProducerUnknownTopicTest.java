package dev.kafkaprimer.core.producer;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.kafkaprimer.testkit.KafkaCluster;
import dev.kafkaprimer.testkit.TestTopics;
import dev.kafkaprimer.testkit.WithKafkaCluster;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/** A cluster that does not create topics on first use, as production clusters are usually set up. */
@WithKafkaCluster(brokerProperties = "auto.create.topics.enable=false")
class JsonProducerUnknownTopicTest {

    private static final Duration MAX_BLOCK = Duration.ofSeconds(1);

    @Test
    void shouldFailASendToAMissingTopicAfterMaxBlockWithKafkasTimeout(KafkaCluster kafka, TestTopics topics) {
        // Given a producer that may block one second for metadata, and a topic nobody created
        String missing = topics.next();
        ProducerOptions options = ProducerOptions.builder(kafka.bootstrapServers()).maxBlock(MAX_BLOCK).build();
        try (JsonProducer<String, String> producer = JsonProducer.create(options)) {

            // When a record is sent to it
            CompletableFuture<SendResult> failed = producer.send(missing, "k", "v");

            // Then the future fails with Kafka's own TimeoutException naming the topic
            ExecutionException error = assertThrows(ExecutionException.class, () -> failed.get(30, TimeUnit.SECONDS));
            TimeoutException timeout = assertInstanceOf(TimeoutException.class, error.getCause());
            assertTrue(timeout.getMessage().contains(missing), timeout.getMessage());
            // And waiting for the send reports the same, unwrapped
            assertThrows(TimeoutException.class, () -> producer.sendAndWait(missing, "k", "v", Duration.ofSeconds(30)));
        }
    }
}
