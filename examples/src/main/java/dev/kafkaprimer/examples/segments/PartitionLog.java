package dev.kafkaprimer.examples.segments;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import dev.kafkaprimer.testkit.EmbeddedKafkaCluster;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * One partition's log, looked at three ways: its offsets (Admin), its records (a consumer), and, on the embedded
 * cluster, its segment files on disk.
 */
final class PartitionLog {

    private final Map<String, Object> client;
    private final Admin admin;
    private final TopicPartition partition;
    private final Optional<EmbeddedKafkaCluster> embedded;
    private final Duration deadline;

    /** {@code client}: {@code bootstrap.servers} and security settings, for the consumers it creates. */
    PartitionLog(Map<String, Object> client, Admin admin, TopicPartition partition,
                 Optional<EmbeddedKafkaCluster> embedded, Duration deadline) {
        this.client = client;
        this.admin = admin;
        this.partition = partition;
        this.embedded = embedded;
        this.deadline = deadline;
    }

    TopicPartition partition() {
        return partition;
    }

    /** The log start offset: the oldest offset still stored. */
    long startOffset() throws Exception {
        return offset(OffsetSpec.earliest());
    }

    /** The log end offset: the offset the next record will get. */
    long endOffset() throws Exception {
        return offset(OffsetSpec.latest());
    }

    /** The partition's folder on the embedded broker's disk; empty on a cluster given by address. */
    Optional<Path> directory() {
        // One broker: the partition's only replica is on broker 1.
        return embedded.map(cluster -> cluster.logDirectories(cluster.brokerIds().get(0)).get(0)
                .resolve(partition.topic() + "-" + partition.partition()));
    }

    /** The segment files on disk, oldest first; empty on a cluster given by address. */
    Optional<List<SegmentFile>> segments() throws Exception {
        Optional<Path> directory = directory();
        return directory.isEmpty() ? Optional.empty() : Optional.of(SegmentFile.in(directory.get()));
    }

    /**
     * Bytes the partition takes on each broker holding a replica, as {@code Admin.describeLogDirs} reports them:
     * what can be learnt about the disk without access to it.
     */
    Map<Integer, Long> sizeByBroker() throws Exception {
        List<Integer> brokers = admin.describeCluster().nodes().get(deadline.toSeconds(), TimeUnit.SECONDS).stream()
                .map(Node::id).toList();
        Map<Integer, Map<String, LogDirDescription>> directories = admin.describeLogDirs(brokers).allDescriptions()
                .get(deadline.toSeconds(), TimeUnit.SECONDS);
        Map<Integer, Long> sizes = new TreeMap<>();
        directories.forEach((broker, byDirectory) -> byDirectory.values().stream()
                .map(directory -> directory.replicaInfos().get(partition))
                .filter(Objects::nonNull)
                .forEach(replica -> sizes.merge(broker, replica.size(), Long::sum)));
        return sizes;
    }

    /**
     * Prints each segment file with its size and, if {@code withOffsets}, the offsets from its base up to the next
     * segment's (a compacted segment may have gaps in that range).
     */
    void printSegments(List<SegmentFile> segments, boolean withOffsets, PrintStream out) throws Exception {
        long end = endOffset();
        for (int i = 0; i < segments.size(); i++) {
            SegmentFile segment = segments.get(i);
            boolean active = i == segments.size() - 1;
            long last = (active ? end : segments.get(i + 1).baseOffset()) - 1;
            out.println(String.format("   %s %,10d bytes%s%s", segment.fileName(), segment.bytes(),
                    withOffsets ? "  offsets " + segment.baseOffset() + ".." + last : "",
                    active ? "  (active: new records are appended here)" : ""));
        }
    }

    /** Every record from the log start to the log end, read by a consumer of no group. */
    List<ConsumerRecord<String, String>> readAll() throws Exception {
        long end = endOffset();
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer("earliest")) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long giveUpAt = System.nanoTime() + deadline.toNanos();
            while (consumer.position(partition, deadline) < end) {
                if (System.nanoTime() > giveUpAt) {
                    throw new IllegalStateException("could not read " + partition + " up to offset " + end + " within "
                            + deadline.toSeconds() + " s");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    /** A consumer of no group that commits nothing, resetting as {@code autoOffsetReset} says. */
    KafkaConsumer<String, String> consumer(String autoOffsetReset) {
        Map<String, Object> config = new HashMap<>(client);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // What to do when the asked-for offset is not stored (any more): the point of stage 5.
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, autoOffsetReset);
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }

    private long offset(OffsetSpec spec) throws Exception {
        return admin.listOffsets(Map.of(partition, spec)).partitionResult(partition)
                .get(deadline.toSeconds(), TimeUnit.SECONDS).offset();
    }
}
