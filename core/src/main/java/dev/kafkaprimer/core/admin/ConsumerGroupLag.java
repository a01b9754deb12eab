package dev.kafkaprimer.core.admin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Reads a consumer group's lag per partition with the {@link Admin} client, the way
 * {@code kafka-consumer-groups.sh --describe} does: the group's committed offsets, the partitions its
 * members are assigned, and each partition's log-end offset.
 *
 * <pre>{@code
 * try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092"))) {
 *     for (PartitionLag lag : ConsumerGroupLag.read(admin, "billing", Duration.ofSeconds(10))) {
 *         // A partition the group never committed for has no lag yet: say so rather than print OptionalLong.empty
 *         System.out.println(lag.partition() + " lag " + (lag.lag().isPresent() ? lag.lag().getAsLong() : "none"));
 *     }
 * }
 * }</pre>
 *
 * <p>Why the Admin client and not the loop's consumer? A {@code KafkaConsumer} belongs to its loop thread,
 * while {@code Admin} is thread-safe and needs no group membership: lag can be read from a monitoring thread,
 * another process, or while the group is empty. The offsets are read at slightly different moments, so the
 * lag of a busy partition is an estimate.
 *
 * <p>Thread-safe (stateless); the caller owns and closes the {@code Admin}.
 */
public final class ConsumerGroupLag {

    private ConsumerGroupLag() {
    }

    /**
     * The lag of every partition the group has a committed offset for or a member assigned to, sorted by
     * topic and partition.
     *
     * @param admin   an Admin client for the cluster; not null, not closed by this method
     * @param groupId the consumer group; not null
     * @param timeout how long all requests together may take; not null
     * @return one entry per partition; empty for a group that does not exist
     * @throws TimeoutException if the cluster did not answer within {@code timeout}
     * @throws org.apache.kafka.common.KafkaException if a request failed, for example for lack of authorization
     */
    public static List<PartitionLag> read(Admin admin, String groupId, Duration timeout) {
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(groupId, "groupId");
        long deadline = System.nanoTime() + timeout.toNanos();

        Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
        get(admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata(), deadline, "committed offsets")
                .forEach((partition, offset) -> {
                    if (offset != null) {
                        committed.put(partition, offset);
                    }
                });
        Set<TopicPartition> partitions = new HashSet<>(committed.keySet());
        partitions.addAll(assignedPartitions(admin, groupId, deadline));

        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(partition -> latest.put(partition, OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResultInfo> ends = get(admin.listOffsets(latest).all(), deadline,
                "log-end offsets");

        List<PartitionLag> lags = new ArrayList<>();
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata offset = committed.get(partition);
            lags.add(new PartitionLag(partition,
                    offset == null ? OptionalLong.empty() : OptionalLong.of(offset.offset()),
                    ends.get(partition).offset()));
        }
        lags.sort(Comparator.comparing((PartitionLag lag) -> lag.partition().topic())
                .thenComparingInt(lag -> lag.partition().partition()));
        return lags;
    }

    private static Set<TopicPartition> assignedPartitions(Admin admin, String groupId, long deadline) {
        Set<TopicPartition> assigned = new HashSet<>();
        try {
            get(admin.describeConsumerGroups(List.of(groupId)).describedGroups().get(groupId), deadline,
                    "group members").members().stream()
                    .map(MemberDescription::assignment)
                    .forEach(assignment -> assigned.addAll(assignment.topicPartitions()));
        } catch (GroupIdNotFoundException e) {
            // No such group: no members, no assignment. Its committed offsets (none) say the rest.
        }
        return assigned;
    }

    private static <T> T get(KafkaFuture<T> future, long deadline, String what) {
        try {
            return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new org.apache.kafka.common.KafkaException("reading " + what + " failed", e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new TimeoutException("no answer with the " + what + " in time", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException("interrupted while reading " + what, e);
        }
    }
}
