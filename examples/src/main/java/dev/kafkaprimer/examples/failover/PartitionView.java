package dev.kafkaprimer.examples.failover;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;

/** The controller's view of a topic's partitions (leader, replicas, in-sync replicas), as Admin reports it. */
final class PartitionView {

    private PartitionView() {
    }

    static List<TopicPartitionInfo> all(Admin admin, String topic, Duration deadline) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get(deadline.toSeconds(), TimeUnit.SECONDS)
                .get(topic).partitions();
    }

    static TopicPartitionInfo partition(Admin admin, String topic, int partition, Duration deadline) throws Exception {
        return all(admin, topic, deadline).get(partition);
    }

    /** The leader's broker id, or -1 while the partition has none. */
    static int leader(TopicPartitionInfo partition) {
        return partition.leader() == null ? -1 : partition.leader().id();
    }

    static List<Integer> isr(TopicPartitionInfo partition) {
        return ids(partition.isr());
    }

    static boolean fullyInSync(Collection<TopicPartitionInfo> partitions) {
        return partitions.stream().allMatch(p -> p.leader() != null && p.isr().size() == p.replicas().size());
    }

    static String describe(TopicPartitionInfo p) {
        return "partition " + p.partition() + ": leader broker " + (p.leader() == null ? "none" : p.leader().id())
                + ", replicas " + ids(p.replicas()) + ", in-sync " + ids(p.isr());
    }

    private static List<Integer> ids(List<Node> nodes) {
        return nodes.stream().map(Node::id).toList();
    }
}
