package dev.kafkaprimer.core.consumer;

import java.util.Objects;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;

/**
 * What one rebalance did to one member's partitions, as a {@link RebalanceListener} is told.
 *
 * <p>The generation counts the group's rebalances, and Kafka uses it to fence members that missed one: a
 * commit from an older generation is refused. With {@code GroupProtocol.CLASSIC} it is the group's generation
 * id, the same for every member after a rebalance. With {@code GroupProtocol.CONSUMER} (KIP-848) it is this
 * member's epoch: the group epoch the member has caught up with, so members may briefly differ while the
 * broker moves partitions one member at a time.
 *
 * @param change     whether the partitions were assigned, revoked or lost; not null
 * @param partitions the partitions that changed; not null, not empty
 * @param owned      every partition the member owns after the change; not null
 * @param generation the member's generation (CLASSIC) or member epoch (CONSUMER) when it was told; -1 when
 *                   it has none at that moment, as after it lost its partitions
 */
public record RebalanceEvent(Change change, Set<TopicPartition> partitions, Set<TopicPartition> owned,
                             int generation) {

    /** How the partitions changed hands. */
    public enum Change {
        /** Now this member's: it reads them from the group's committed offsets. */
        ASSIGNED,
        /** Given up cleanly: finished work was committed first, so the next owner starts right after it. */
        REVOKED,
        /**
         * Taken away without a chance to commit, e.g. after the member missed its session timeout: another
         * member may own them already, so nothing was committed and the new owner repeats uncommitted work.
         */
        LOST
    }

    /**
     * Checks and copies the values.
     *
     * @param change     how the partitions changed hands; not null
     * @param partitions the partitions that changed; not null, not empty
     * @param owned      the member's partitions after the change; not null
     * @param generation the member's generation or epoch, or -1
     * @throws NullPointerException     if a value is null
     * @throws IllegalArgumentException if {@code partitions} is empty
     */
    public RebalanceEvent {
        Objects.requireNonNull(change, "change");
        partitions = Set.copyOf(Objects.requireNonNull(partitions, "partitions"));
        owned = Set.copyOf(Objects.requireNonNull(owned, "owned"));
        if (partitions.isEmpty()) {
            throw new IllegalArgumentException("a rebalance event names at least one partition, was empty");
        }
    }
}
