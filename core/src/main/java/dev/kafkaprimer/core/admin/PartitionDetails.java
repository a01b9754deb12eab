package dev.kafkaprimer.core.admin;

import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * One partition's replicas. Producers and consumers talk to the leader; followers copy from it; the in-sync
 * replicas (ISR) are those caught up with it, the only ones that can become leader without losing records.
 *
 * @param partition      the partition number, from 0
 * @param leader         the broker id of the leader, or empty while no replica can lead (all in-sync replicas
 *                       are down)
 * @param replicas       broker ids holding a copy, the preferred leader first; unmodifiable
 * @param inSyncReplicas broker ids of the replicas that are caught up, the leader included; unmodifiable
 */
public record PartitionDetails(int partition, OptionalInt leader, List<Integer> replicas,
                               List<Integer> inSyncReplicas) {

    /**
     * Checks and copies the components.
     *
     * @param partition      the partition number
     * @param leader         the leader's broker id, or empty; not null
     * @param replicas       replica broker ids; not null, copied
     * @param inSyncReplicas in-sync broker ids; not null, copied
     */
    public PartitionDetails {
        Objects.requireNonNull(leader, "leader");
        replicas = List.copyOf(replicas);
        inSyncReplicas = List.copyOf(inSyncReplicas);
    }

    static PartitionDetails of(TopicPartitionInfo info) {
        Node leader = info.leader();
        return new PartitionDetails(info.partition(),
                leader == null || leader.isEmpty() ? OptionalInt.empty() : OptionalInt.of(leader.id()),
                info.replicas().stream().map(Node::id).toList(),
                info.isr().stream().map(Node::id).toList());
    }

    /**
     * {@return true when some replica is not in sync: one more broker failure may then make the partition
     * unavailable (or, with {@code acks} below all, lose records)}
     */
    public boolean isUnderReplicated() {
        return inSyncReplicas.size() < replicas.size();
    }
}
