package dev.kafkaprimer.core.consumer.internal;

import java.util.Collection;

import org.apache.kafka.common.TopicPartition;

/**
 * What {@link PartitionOwnership} does with an engine's finished work when partitions leave this member: the
 * commit loops commit offsets ({@link OffsetTracker}); the transactional loop commits or aborts its open
 * transaction. Kafka calls these from inside {@code poll()}, on the loop thread.
 */
interface FinishedWork {

    /** {@code partitions} are given up cleanly: commit what was finished of them, now. */
    void commitNow(Collection<TopicPartition> partitions);

    /** {@code partitions} belong to another member now: drop what is known of them. */
    void forget(Collection<TopicPartition> partitions);

    /**
     * {@code partitions} were lost (the member was dropped from the group): another member may own them already,
     * so commit nothing of them, and drop what is known of them.
     */
    default void lost(Collection<TopicPartition> partitions) {
        forget(partitions);
    }
}
