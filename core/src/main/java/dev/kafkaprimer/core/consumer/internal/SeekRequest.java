package dev.kafkaprimer.core.consumer;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

/**
 * A request, made on any thread, to move the consumer's position; applied by the loop thread before its next
 * poll, because a {@code KafkaConsumer} must only be used by one thread.
 */
record SeekRequest(Target target, Instant timestamp, CompletableFuture<Map<TopicPartition, Long>> result) {

    enum Target { BEGINNING, END, TIMESTAMP }

    static SeekRequest to(Target target, Instant timestamp) {
        return new SeekRequest(target, timestamp, new CompletableFuture<>());
    }

    /** Moves {@code partitions} and returns their new positions (the offset of the next record to read). */
    Map<TopicPartition, Long> applyTo(Consumer<byte[], byte[]> consumer, Set<TopicPartition> partitions) {
        switch (target) {
            case BEGINNING -> consumer.seekToBeginning(partitions);
            case END -> consumer.seekToEnd(partitions);
            case TIMESTAMP -> {
                Map<TopicPartition, Long> times = new HashMap<>();
                partitions.forEach(partition -> times.put(partition, timestamp.toEpochMilli()));
                // The earliest offset whose timestamp is at or after the time; none when all records are older.
                Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(times);
                for (TopicPartition partition : partitions) {
                    OffsetAndTimestamp offset = found.get(partition);
                    if (offset == null) {
                        consumer.seekToEnd(Set.of(partition));
                    } else {
                        consumer.seek(partition, offset.offset());
                    }
                }
            }
        }
        Map<TopicPartition, Long> positions = new HashMap<>();
        partitions.forEach(partition -> positions.put(partition, consumer.position(partition)));
        return Map.copyOf(positions);
    }
}
