package dev.kafkaprimer.core.admin;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

import org.apache.kafka.clients.admin.TopicDescription;

/**
 * A topic as the cluster sees it now: its partitions and where their replicas live.
 *
 * @param name       the topic name
 * @param partitions one entry per partition, in partition order; unmodifiable
 */
public record TopicDetails(String name, List<PartitionDetails> partitions) {

    /**
     * Checks and copies the components.
     *
     * @param name       the topic name; not null
     * @param partitions the partitions; not null, copied
     */
    public TopicDetails {
        Objects.requireNonNull(name, "name");
        partitions = List.copyOf(partitions);
    }

    static TopicDetails of(TopicDescription description) {
        return new TopicDetails(description.name(), description.partitions().stream()
                .map(PartitionDetails::of)
                .sorted(Comparator.comparingInt(PartitionDetails::partition))
                .toList());
    }

    /** {@return how many partitions the topic has} */
    public int partitionCount() {
        return partitions.size();
    }
}
