package dev.kafkaprimer.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.kafkaprimer.testkit.Await;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads what a test produced with a plain {@link KafkaConsumer} (no group, every partition assigned, from the
 * beginning), so tests check the bytes on the broker rather than our own producer's view of them.
 */
public final class RawTopicReader {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private RawTopicReader() {
    }

    /** Waits until {@code expected} records have been read from {@code topic}, and returns them. */
    public static <V> List<ConsumerRecord<String, V>> readAll(String bootstrapServers, String topic, int expected,
                                                              Deserializer<V> valueDeserializer) {
        List<ConsumerRecord<String, V>> received = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new StringDeserializer(), valueDeserializer)) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Await.until(WAIT, expected + " records from " + topic, () -> {
                consumer.poll(Duration.ofMillis(100)).forEach(received::add);
                return received.size() >= expected;
            });
        }
        return received;
    }

    /** The sum of the end offsets of all partitions of {@code topic}: how many records it ever received. */
    public static long endOffsetSum(String bootstrapServers, String topic) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new StringDeserializer(), new StringDeserializer())) {
            return consumer.endOffsets(partitions(consumer, topic), WAIT).values().stream()
                    .mapToLong(Long::longValue).sum();
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        return consumer.partitionsFor(topic, WAIT).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
    }
}
