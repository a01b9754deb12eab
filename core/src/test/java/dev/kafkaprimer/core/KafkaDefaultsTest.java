package dev.kafkaprimer.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.kafkaprimer.core.admin.TopicAdmin;
import dev.kafkaprimer.core.consumer.CommitPolicy;
import dev.kafkaprimer.core.consumer.ConsumerOptions;
import dev.kafkaprimer.core.consumer.OffsetReset;
import dev.kafkaprimer.core.consumer.RetryPolicy;
import dev.kafkaprimer.core.producer.Acks;
import dev.kafkaprimer.core.producer.Compression;
import dev.kafkaprimer.core.producer.ProducerOptions;

/**
 * The README's table "Defaults that differ from Kafka's", both columns: Kafka's defaults as kafka-clients itself
 * declares them, and this library's. If a kafka-clients upgrade or a change here breaks a row, this fails and
 * the table must change with it. (That classic groups get the cooperative-sticky assignor is checked where the
 * consumer's settings are built: {@code ClientPropertiesTest}.)
 */
class KafkaDefaultsTest {

    private static final Map<String, Object> KAFKA_CONSUMER = ConsumerConfig.configDef().defaultValues();
    private static final Map<String, Object> KAFKA_PRODUCER = ProducerConfig.configDef().defaultValues();

    @Test
    void shouldDifferFromKafkasConsumerDefaultsExactlyWhereTheReadmeSays() {
        assertEquals("latest", KAFKA_CONSUMER.get(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG));
        assertEquals(OffsetReset.EARLIEST, ConsumerOptions.DEFAULT_OFFSET_RESET);

        assertEquals(true, KAFKA_CONSUMER.get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG));
        assertEquals(5_000, KAFKA_CONSUMER.get(ConsumerConfig.AUTO_COMMIT_INTERVAL_MS_CONFIG));
        assertEquals(CommitPolicy.PER_BATCH, ConsumerOptions.DEFAULT_COMMIT_POLICY);

        assertEquals(List.of(RangeAssignor.class, CooperativeStickyAssignor.class),
                KAFKA_CONSUMER.get(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG));

        assertEquals(3, RetryPolicy.DEFAULT_MAX_ATTEMPTS);
        assertEquals(Duration.ofMillis(200), RetryPolicy.DEFAULT_INITIAL_DELAY);
        assertEquals(2.0, RetryPolicy.DEFAULT_MULTIPLIER);
        assertEquals(Duration.ofSeconds(5), RetryPolicy.DEFAULT_MAX_DELAY);
        assertEquals(Set.of(SerializationException.class, JsonProcessingException.class, ClassCastException.class,
                IllegalArgumentException.class, DateTimeParseException.class), RetryPolicy.DEFAULT_NOT_RETRYABLE);
        assertEquals(".DLT", ConsumerOptions.DEFAULT_DEAD_LETTER_SUFFIX);
        assertEquals(Duration.ofSeconds(60), ConsumerOptions.DEFAULT_STARTUP_TIMEOUT);

        assertEquals(60_000, AdminClientConfig.configDef().defaultValues()
                .get(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG));
        assertEquals(Duration.ofSeconds(30), TopicAdmin.DEFAULT_DEADLINE);
    }

    @Test
    void shouldKeepKafkasProducerDefaults() {
        assertEquals("all", KAFKA_PRODUCER.get(ProducerConfig.ACKS_CONFIG));
        assertEquals(Acks.ALL, ProducerOptions.DEFAULT_ACKS);
        assertEquals(true, KAFKA_PRODUCER.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG));
        assertEquals(true, ProducerOptions.DEFAULT_IDEMPOTENCE);
        assertEquals(5L, KAFKA_PRODUCER.get(ProducerConfig.LINGER_MS_CONFIG));
        assertEquals(Duration.ofMillis(5), ProducerOptions.DEFAULT_LINGER);
        assertEquals("none", KAFKA_PRODUCER.get(ProducerConfig.COMPRESSION_TYPE_CONFIG));
        assertEquals(Compression.NONE, ProducerOptions.DEFAULT_COMPRESSION);
        assertEquals(30_000, KAFKA_PRODUCER.get(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG));
        assertEquals(Duration.ofSeconds(30), ProducerOptions.DEFAULT_REQUEST_TIMEOUT);
        assertEquals(120_000, KAFKA_PRODUCER.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG));
        assertEquals(Duration.ofMinutes(2), ProducerOptions.DEFAULT_DELIVERY_TIMEOUT);
        assertEquals(60_000L, KAFKA_PRODUCER.get(ProducerConfig.MAX_BLOCK_MS_CONFIG));
        assertEquals(Duration.ofMinutes(1), ProducerOptions.DEFAULT_MAX_BLOCK);
    }
}
