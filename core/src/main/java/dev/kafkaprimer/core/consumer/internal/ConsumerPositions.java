package dev.kafkaprimer.core.consumer.internal;

import java.time.Duration;
import java.util.OptionalLong;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Moves finished positions past the offsets a consumer skips without returning a record: transaction markers,
 * and aborted records under {@code read_committed}. The sequential loop calls it after each partition's records
 * of a poll, the loop with workers when a partition's window is empty; either way only when every record the
 * consumer returned for the partition is finished, or the position could skip one; the transactional loop
 * reads the position through it too. Loop thread only.
 */
final class ConsumerPositions {

    private ConsumerPositions() {
    }

    /**
     * The consumer returned records of {@code partition} up to {@code lastReturned}: if every one of them is
     * finished, tells {@code offsets} the consumer's position, which is past whatever markers followed. Does
     * nothing if the last one is not finished (the loop gave up on the rest, or is closing), or if the consumer
     * does not know its position without asking the broker.
     */
    static void catchUp(Consumer<?, ?> consumer, OffsetTracker offsets, TopicPartition partition,
                        long lastReturned) {
        if (offsets.finishedUpTo(partition) != lastReturned + 1 || !consumer.assignment().contains(partition)) {
            return;
        }
        catchUp(consumer, offsets, partition);
    }

    /**
     * Every record the consumer has returned for {@code partition}, which must be assigned, is finished: tells
     * {@code offsets} the consumer's position, if the consumer knows it without asking the broker (it does for
     * a partition it has returned records of).
     */
    static void catchUp(Consumer<?, ?> consumer, OffsetTracker offsets, TopicPartition partition) {
        knownPosition(consumer, partition).ifPresent(position -> offsets.caughtUp(partition, position));
    }

    /**
     * The consumer's position in {@code partition}, if it knows it without asking the broker (it does for a
     * partition it has returned records of); empty while the position is being reset or validated: the next
     * poll settles it, and a later call sees it.
     */
    static OptionalLong knownPosition(Consumer<?, ?> consumer, TopicPartition partition) {
        try {
            return OptionalLong.of(consumer.position(partition, Duration.ZERO));
        } catch (TimeoutException unknownWithoutAsking) {
            return OptionalLong.empty();
        }
    }
}
