package dev.kafkaprimer.testkit;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The broker settings every embedded cluster starts from, tuned for tests and examples on a small machine: internal
 * topics that fit the cluster's size, quick first rebalances and restarts, few threads. Given broker properties
 * override them. Thread-safe (stateless).
 */
final class BrokerDefaults {

    private BrokerDefaults() {
    }

    /**
     * The defaults for a cluster of {@code brokers} brokers.
     *
     * @return a new, modifiable map
     */
    static Map<String, String> forCluster(int brokers) {
        String replication = Integer.toString(Math.min(3, brokers));
        String minIsr = Integer.toString(Math.min(2, brokers));
        Map<String, String> settings = new LinkedHashMap<>();
        // Internal topics must fit the cluster: Kafka's default RF of 3 cannot be met by one broker.
        settings.put("offsets.topic.replication.factor", replication);
        settings.put("transaction.state.log.replication.factor", replication);
        settings.put("transaction.state.log.min.isr", minIsr);
        settings.put("share.coordinator.state.topic.replication.factor", replication);
        settings.put("share.coordinator.state.topic.min.isr", minIsr);
        // Fewer internal partitions than production's 50: the first group or transaction is ready sooner.
        settings.put("offsets.topic.num.partitions", "10");
        settings.put("transaction.state.log.num.partitions", "10");
        settings.put("share.coordinator.state.topic.num.partitions", "10");
        // A group's first member starts at once instead of waiting 3 s for others to join.
        settings.put("group.initial.rebalance.delay.ms", "0");
        // The cleaner's default 128 MiB buffer per broker adds up when several brokers share one JVM.
        settings.put("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
        // A restarted broker may register again only once its old session expired (default 9 s): shorter
        // sessions, with heartbeats to match, make restarts quick. Still far above a GC pause.
        settings.put("broker.heartbeat.interval.ms", "500");
        settings.put("broker.session.timeout.ms", "3000");
        // Share groups (KIP-932): members learn their assignment from heartbeats, every 5 s by default, so a new
        // member would wait seconds for its first records; and tests may give records locks as short as 1 s (the
        // broker's floor is 15 s) to see a dead member's records come back without waiting half a minute.
        settings.put("group.share.heartbeat.interval.ms", "500");
        settings.put("group.share.min.heartbeat.interval.ms", "500");
        settings.put("group.share.assignment.interval.ms", "100");
        settings.put("group.share.min.record.lock.duration.ms", "1000");
        settings.put("num.network.threads", "2");
        settings.put("num.io.threads", "4");
        return settings;
    }
}
