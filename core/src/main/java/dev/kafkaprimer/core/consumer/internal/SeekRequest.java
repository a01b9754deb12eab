package dev.kafkaprimer.core.consumer.internal;

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
 *
 * <p><b>Not API:</b> public only so that {@link dev.kafkaprimer.core.consumer.CommitLoop} can reach it from its
 * own package; it may change in any release.
 *
 * @param target    where to move
 * @param timestamp the time to move to, for {@link Target#TIMESTAMP}; null otherwise
 * @param result    completed with the new positions, or the failure, by the loop thread
 */
public record SeekRequest(Target target, Instant timestamp, CompletableFuture<Map<TopicPartition, Long>> result) {

    /** Where to move. */
    public enum Target {
        /** The oldest stored record. */
        BEGINNING,
        /** Past the newest record. */
        END,
        /** The first record at or after a time. */
        TIMESTAMP
    }

    /**
     * A request to move every owned partition to {@code target}.
     *
     * @param target    where to move
     * @param timestamp the time, for {@code TIMESTAMP}; null otherwise
     * @return the request, its result not yet complete
     */
    public static SeekRequest to(Target target, Instant timestamp) {
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
