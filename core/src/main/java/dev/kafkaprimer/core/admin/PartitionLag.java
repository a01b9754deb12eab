package dev.kafkaprimer.core.admin;

import java.util.Objects;
import java.util.OptionalLong;

import org.apache.kafka.common.TopicPartition;

/**
 * How far a consumer group is behind on one partition, as {@code kafka-consumer-groups.sh --describe} shows
 * it: the group's committed offset, the partition's log-end offset, and the difference between them.
 *
 * @param partition       the topic and partition; not null
 * @param committedOffset the offset the group will read next, or empty if it has committed none for this
 *                        partition yet (it is assigned, but nothing was finished)
 * @param logEndOffset    the offset the next record written to the partition will get
 */
public record PartitionLag(TopicPartition partition, OptionalLong committedOffset, long logEndOffset) {

    /**
     * Checks the values.
     *
     * @param partition       the topic and partition; not null
     * @param committedOffset the group's committed offset, or empty; not null
     * @param logEndOffset    the partition's log-end offset
     * @throws NullPointerException if {@code partition} or {@code committedOffset} is null
     */
    public PartitionLag {
        Objects.requireNonNull(partition, "partition");
        Objects.requireNonNull(committedOffset, "committedOffset");
    }

    /**
     * Records written but not yet processed by the group: {@code logEndOffset - committedOffset}. With
     * transactions, control records and aborted records count too, so a caught-up group may show a small lag.
     *
     * @return the lag, never negative; empty when there is no committed offset
     */
    public OptionalLong lag() {
        return committedOffset.isPresent()
                ? OptionalLong.of(Math.max(0, logEndOffset - committedOffset.getAsLong()))
                : OptionalLong.empty();
    }
}
