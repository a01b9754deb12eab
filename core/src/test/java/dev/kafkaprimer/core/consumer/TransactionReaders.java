package dev.kafkaprimer.core.consumer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import dev.kafkaprimer.testkit.Await;

/**
 * Reads a topic the way its readers would, with either isolation level, for the transactional tests: wait until
 * no transaction is open on it, then read every partition from the beginning to its end.
 */
final class TransactionReaders {

    private TransactionReaders() {
    }

    /**
     * Waits until no transaction is open on any partition of {@code topic} (a {@code read_committed} reader's end,
     * the last stable offset, has reached the log's end), then reads it all with {@code level}.
     */
    static List<ConsumerRecord<byte[], byte[]>> readSettled(String bootstrap, String topic, IsolationLevel level) {
        try (KafkaConsumer<byte[], byte[]> committed = open(bootstrap, IsolationLevel.READ_COMMITTED);
             KafkaConsumer<byte[], byte[]> everything = open(bootstrap, IsolationLevel.READ_UNCOMMITTED)) {
            List<TopicPartition> partitions = partitions(committed, topic);
            Await.until(BrokerClients.TIMEOUT, "no open transaction on " + topic, () ->
                    committed.endOffsets(partitions).equals(everything.endOffsets(partitions)));
        }
        try (KafkaConsumer<byte[], byte[]> reader = open(bootstrap, level)) {
            List<TopicPartition> partitions = partitions(reader, topic);
            reader.assign(partitions);
            reader.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = reader.endOffsets(partitions);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            Await.until(BrokerClients.TIMEOUT, "every record of " + topic + " up to " + end, () -> {
                reader.poll(Duration.ofMillis(100)).forEach(records::add);
                return partitions.stream().allMatch(p -> reader.position(p) >= end.get(p));
            });
            return records;
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        return consumer.partitionsFor(topic, BrokerClients.TIMEOUT).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
    }

    private static KafkaConsumer<byte[], byte[]> open(String bootstrap, IsolationLevel level) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, level.name().toLowerCase(Locale.ROOT)),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
