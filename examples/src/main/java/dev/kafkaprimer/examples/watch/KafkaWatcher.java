package dev.kafkaprimer.examples.watch;

import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ShareGroupDescription;
import org.apache.kafka.clients.admin.ShareMemberDescription;
import org.apache.kafka.clients.admin.SharePartitionOffsetInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads, twice a second with the admin client, what the live view shows that no listener can tell: the brokers
 * that answer and the active controller, each partition's leader and in-sync replicas, its log start and end
 * offsets, the group's committed offsets and which member owns which partition (as the group coordinator says,
 * so members in other JVMs count too). The page itself never talks to Kafka.
 *
 * <p>It never gets in the example's way: each look has a deadline of a few seconds, and a failed look (a broker
 * stopped on purpose, a topic being recreated) only changes the page's status line. One daemon thread; close
 * it to stop looking and close the admin client.
 */
final class KafkaWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaWatcher.class);
    private static final long PERIOD_MS = 500;
    private static final long LOOK_DEADLINE_MS = 3_000;

    private final Admin admin;
    private final LiveState state;
    /** The consumer group's epoch read with its owners, for the timeline; null for a classic group. */
    private String generation;
    private final ScheduledExecutorService thread =
            Executors.newSingleThreadScheduledExecutor(LoopbackServers.daemon("live-view-watcher"));

    KafkaWatcher(Map<String, Object> adminProperties, LiveState state) {
        this.admin = Admin.create(adminProperties);
        this.state = state;
        thread.scheduleWithFixedDelay(this::lookSafely, 0, PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    private void lookSafely() {
        String when = LocalTime.now().truncatedTo(ChronoUnit.SECONDS).toString();
        try {
            // Separately: a user allowed to read topics but not to describe the cluster still sees the partitions.
            String clusterProblem = tryLook(this::lookAtCluster);
            String topicProblem = tryLook(this::look);
            String problem = topicProblem != null ? topicProblem : clusterProblem;
            state.status(problem == null ? "read from Kafka at " + when
                    : "could not read from Kafka at " + when + ": " + problem);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @FunctionalInterface
    private interface Look {
        void run() throws Exception;
    }

    /**
     * Runs one look; returns null, or what went wrong in a few words. A stopped broker or a topic being recreated
     * only fails this look: the next may succeed, and the page says why this one did not.
     */
    private static String tryLook(Look look) throws InterruptedException {
        try {
            look.run();
            return null;
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            LOG.debug("Live view: a look failed", e);
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        }
    }

    private void look() throws Exception {
        String topic = state.topic();
        List<String> topics = topic != null ? List.of(topic) : new ArrayList<>(admin.listTopics().names()
                .get(LOOK_DEADLINE_MS, TimeUnit.MILLISECONDS));
        if (topics.isEmpty()) {
            return;
        }
        Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames()
                .get(LOOK_DEADLINE_MS, TimeUnit.MILLISECONDS);
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        described.values().forEach(description -> description.partitions().forEach(info -> {
            TopicPartition partition = new TopicPartition(description.name(), info.partition());
            earliest.put(partition, OffsetSpec.earliest());
            latest.put(partition, OffsetSpec.latest());
            state.replicas(description.name(), info.partition(), info.leader() == null ? null : info.leader().id(),
                    ids(info.replicas()), ids(info.isr()));
        }));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> starts = admin.listOffsets(earliest).all()
                .get(LOOK_DEADLINE_MS, TimeUnit.MILLISECONDS);
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all()
                .get(LOOK_DEADLINE_MS, TimeUnit.MILLISECONDS);
        String group = state.group();
        boolean share = state.shareGroup();
        Map<TopicPartition, Long> committed = group == null ? Map.of()
                : share ? shareStartOffsets(group) : committedOffsets(group);
        ends.forEach((partition, end) -> state.offsets(partition.topic(), partition.partition(),
                starts.get(partition).offset(), end.offset(), committed.getOrDefault(partition, -1L)));
        if (group != null) {
            state.owners(share ? shareOwners(group) : owners(group), share ? null : generation);
        }
    }

    private Map<TopicPartition, Long> committedOffsets(String group) throws Exception {
        Map<TopicPartition, Long> committed = new HashMap<>();
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(LOOK_DEADLINE_MS, TimeUnit.MILLISECONDS);
        offsets.forEach((partition, offset) -> {
            if (offset != null) {
                committed.put(partition, offset.offset());
            }
        });
        return committed;
    }

    /** A share group's start offset per partition: every record before it is acknowledged (accepted or not). */
    private Map<TopicPartition, Long> shareStartOffsets(String group) throws Exception {
        Map<TopicPartition, Long> starts = new HashMap<>();
        Map<TopicPartition, SharePartitionOffsetInfo> offsets = admin.listShareGroupOffsets(
                        Map.of(group, new ListShareGroupOffsetsSpec())).partitionsToOffsetInfo(group)
                .get(LOOK_DEADLINE_MS, TimeUnit.MILLISECONDS);
        offsets.forEach((partition, info) -> {
            if (info != null) {
                starts.put(partition, info.startOffset());
            }
        });
        return starts;
    }

    private void lookAtCluster() throws Exception {
        Map<Integer, String> live = new HashMap<>();
        for (Node node : admin.describeCluster().nodes().get(LOOK_DEADLINE_MS, TimeUnit.MILLISECONDS)) {
            live.put(node.id(), node.host() + ":" + node.port());
        }
        // In KRaft describeCluster().controller() names a random broker; the metadata quorum knows the leader.
        int controller = admin.describeMetadataQuorum().quorumInfo().get(LOOK_DEADLINE_MS, TimeUnit.MILLISECONDS)
                .leaderId();
        state.cluster(live, controller);
    }

    /** Each partition's owner, as the group coordinator assigned it, by {@code topic-partition}. */
    private Map<String, String> owners(String group) throws Exception {
        ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all()
                .get(LOOK_DEADLINE_MS, TimeUnit.MILLISECONDS).get(group);
        Map<String, String> owners = new HashMap<>();
        for (MemberDescription member : description.members()) {
            for (TopicPartition partition : member.assignment().topicPartitions()) {
                owners.put(partition.topic() + "-" + partition.partition(), member.clientId());
            }
        }
        // The consumer protocol (KIP-848) reports the group epoch; a classic group's generation is not described.
        generation = description.groupEpoch().map(epoch -> "group epoch " + epoch).orElse(null);
        return owners;
    }

    /** A share group assigns a partition to several members: they are listed together, in order. */
    private Map<String, String> shareOwners(String group) throws Exception {
        ShareGroupDescription description = admin.describeShareGroups(List.of(group)).all()
                .get(LOOK_DEADLINE_MS, TimeUnit.MILLISECONDS).get(group);
        Map<String, Set<String>> members = new HashMap<>();
        for (ShareMemberDescription member : description.members()) {
            for (TopicPartition partition : member.assignment().topicPartitions()) {
                members.computeIfAbsent(partition.topic() + "-" + partition.partition(), key -> new TreeSet<>())
                        .add(member.clientId());
            }
        }
        Map<String, String> owners = new HashMap<>();
        members.forEach((partition, names) -> owners.put(partition, String.join(", ", names)));
        return owners;
    }

    private static List<Integer> ids(List<Node> nodes) {
        return nodes.stream().map(Node::id).toList();
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(LOOK_DEADLINE_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            admin.close(java.time.Duration.ofSeconds(2));
        }
    }
}
