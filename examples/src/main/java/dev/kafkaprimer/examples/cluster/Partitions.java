package dev.kafkaprimer.examples.cluster;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.kafkaprimer.examples.cli.WaitFor;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;

/** Reads and prints where a topic's partitions live: leader, replicas, in-sync replicas. */
final class Partitions {

    private Partitions() {
    }

    /**
     * The topic's partitions by number, once every one has a leader and all its replicas in sync (a new topic
     * gets there within moments).
     *
     * @throws IllegalStateException if that does not happen within {@code deadline}
     */
    static Map<Integer, TopicPartitionInfo> awaitLeaders(Admin admin, String topic, Duration deadline)
            throws Exception {
        return WaitFor.until(deadline, () -> describe(admin, topic, deadline),
                        partitions -> partitions.values().stream()
                                .allMatch(p -> p.leader() != null && p.isr().size() == p.replicas().size()))
                .orElseThrow(() -> new IllegalStateException("the partitions of '" + topic + "' did not all get a"
                        + " leader and in-sync replicas within " + deadline.toSeconds() + " s"));
    }

    static Map<Integer, TopicPartitionInfo> describe(Admin admin, String topic, Duration deadline) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get(deadline.toSeconds(), TimeUnit.SECONDS)
                .get(topic).partitions().stream()
                .collect(Collectors.toMap(TopicPartitionInfo::partition, p -> p, (a, b) -> a, TreeMap::new));
    }

    static void print(Collection<TopicPartitionInfo> partitions, PrintStream out) {
        for (TopicPartitionInfo p : partitions) {
            out.println("   partition " + p.partition() + ": leader broker " + leaderId(p) + ", replicas "
                    + ids(p.replicas()) + ", in-sync " + ids(p.isr()));
        }
        Map<Integer, Long> led = partitions.stream().filter(p -> p.leader() != null)
                .collect(Collectors.groupingBy(p -> p.leader().id(), TreeMap::new, Collectors.counting()));
        out.println("   Partitions led per broker: " + led.entrySet().stream()
                .map(e -> "broker " + e.getKey() + " → " + e.getValue()).collect(Collectors.joining(", "))
                + ". The leader takes the writes; the other replicas copy from it.");
    }

    static String leaderId(TopicPartitionInfo partition) {
        return partition.leader() == null ? "none" : Integer.toString(partition.leader().id());
    }

    /** The replicas other than the leader, e.g. "brokers [3, 1]", or "no other broker" with replication factor 1. */
    static String followers(TopicPartitionInfo partition) {
        List<Integer> others = partition.replicas().stream().map(Node::id)
                .filter(id -> partition.leader() == null || id != partition.leader().id()).toList();
        return others.isEmpty() ? "no other broker" : "brokers " + others;
    }

    static List<Integer> ids(List<Node> nodes) {
        return nodes.stream().map(Node::id).toList();
    }
}
