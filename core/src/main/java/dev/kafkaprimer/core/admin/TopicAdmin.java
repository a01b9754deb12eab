package dev.kafkaprimer.core.admin;

import java.time.Duration;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.kafkaprimer.core.config.ClientSecurity;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.AlterConfigsOptions;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreatePartitionsOptions;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DeleteTopicsOptions;
import org.apache.kafka.clients.admin.DescribeFeaturesOptions;
import org.apache.kafka.clients.admin.FeatureMetadata;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.SharePartitionOffsetInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.LeaderNotAvailableException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * Creates, inspects, grows and deletes topics, over Kafka's {@link Admin} client, with a deadline on every
 * call.
 *
 * <p><b>Thread-safety.</b> Safe to share between threads, like {@code Admin}.
 *
 * <p><b>Lifecycle.</b> {@link #connect(String)} starts an admin client (a network thread and sockets);
 * {@link #close()} stops it. Failure to close it leaks them.
 *
 * <p><b>Failure modes.</b> No call hangs: each gives up after the deadline chosen at {@code connect} (default
 * {@link #DEFAULT_DEADLINE}) with Kafka's {@link TimeoutException}, also when no broker is reachable. Failures
 * are Kafka's own exceptions, so they can be caught by type ({@code TopicAuthorizationException},
 * {@code InvalidReplicationFactorException}, ...). Where this class knows more than the broker said, it throws
 * the same Kafka type with a clearer message and Kafka's exception as the cause. A topic just created may
 * take a moment to be known to every broker; producers and consumers wait for that by themselves.
 *
 * <p><b>Security mistakes</b> (see {@link ClientSecurity}) show up on the first call: a wrong password as
 * {@code SaslAuthenticationException}, a broker certificate the client does not trust as
 * {@code SslAuthenticationException} (with a hint about the trust store, and about the key store that a broker
 * requiring client certificates checks), both at once rather than after the deadline. A PLAINTEXT client on a
 * TLS listener gets nothing it can read, so that one is a {@link TimeoutException} at the deadline, whose
 * message suggests the listener may need SSL or SASL.
 *
 * <pre>{@code
 * try (TopicAdmin admin = TopicAdmin.connect("localhost:9092")) {
 *     admin.createTopic("orders", 6);                     // true: created; false: it was already there
 *     TopicDetails orders = admin.describeTopic("orders");
 *     orders.partitions().forEach(System.out::println);   // leader, replicas, in-sync replicas
 * }
 * }</pre>
 *
 * <p>Why one class of some 450 lines: each operation is a few lines of Admin-client calls under one deadline, and
 * most of the length is the javadoc saying what each one promises and how it fails.
 */
public final class TopicAdmin implements AutoCloseable {

    /** The deadline of each call unless {@code connect} is given another. */
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(30);
    /** The cluster feature that switches share groups on; see {@link #requireShareGroups()}. */
    public static final String SHARE_GROUPS_FEATURE = "share.version";

    /** Kafka keeps timeouts in an {@code int} of milliseconds. */
    private static final Duration LONGEST_DEADLINE = Duration.ofMillis(Integer.MAX_VALUE);
    /** Kafka's own limit on one request; shorter deadlines shorten it too. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** Extra time for the future after the admin client's own timeout, so its clearer error wins. */
    private static final Duration GRACE = Duration.ofSeconds(1);
    /** How often a new topic's metadata is asked for while waiting for its leaders. */
    private static final Duration LEADER_POLL = Duration.ofMillis(20);

    private final Admin admin;
    private final Duration deadline;
    private final String bootstrapServers;
    private final String protocol;

    private TopicAdmin(Admin admin, Duration deadline, String bootstrapServers, String protocol) {
        this.admin = admin;
        this.deadline = deadline;
        this.bootstrapServers = bootstrapServers;
        this.protocol = protocol;
    }

    /**
     * Connects to the cluster at {@code bootstrapServers}, each call limited to {@link #DEFAULT_DEADLINE}.
     *
     * @param bootstrapServers one or more {@code host:port}, separated by commas
     * @return a started admin; close it
     * @throws NullPointerException if {@code bootstrapServers} is null
     * @throws KafkaException       if no bootstrap server can be resolved
     */
    public static TopicAdmin connect(String bootstrapServers) {
        return connect(bootstrapServers, DEFAULT_DEADLINE);
    }

    /**
     * Connects to the cluster at {@code bootstrapServers}, each call limited to {@code deadline}.
     *
     * @param bootstrapServers one or more {@code host:port}, separated by commas
     * @param deadline         how long any one call may take, at least 1 ms
     * @return a started admin; close it
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code deadline} is under 1 ms or over {@code Integer.MAX_VALUE} ms
     * @throws KafkaException           if no bootstrap server can be resolved
     */
    public static TopicAdmin connect(String bootstrapServers, Duration deadline) {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        return connect(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), deadline);
    }

    /**
     * Connects to a secured cluster at {@code bootstrapServers}, each call limited to {@code deadline}.
     *
     * @param bootstrapServers one or more {@code host:port}, separated by commas
     * @param security         how to log in and encrypt, such as {@code ClientSecurity.sasl(...)}
     * @param deadline         how long any one call may take, at least 1 ms
     * @return a started admin; close it
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code deadline} is under 1 ms or over {@code Integer.MAX_VALUE} ms
     * @throws KafkaException           if no bootstrap server can be resolved
     */
    public static TopicAdmin connect(String bootstrapServers, ClientSecurity security, Duration deadline) {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(security, "security");
        Map<String, Object> settings = new LinkedHashMap<>(security.clientProperties());
        settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return connect(settings, deadline);
    }

    /**
     * Connects with any admin client settings, for clusters that need more than an address (security
     * settings, for example); {@code AdminClientConfig} names them.
     *
     * @param adminProperties admin client settings, {@code bootstrap.servers} included; copied
     * @param deadline        how long any one call may take, at least 1 ms
     * @return a started admin; close it
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code deadline} is under 1 ms or over {@code Integer.MAX_VALUE} ms
     * @throws KafkaException           if kafka-clients refuses a setting
     */
    public static TopicAdmin connect(Map<String, ?> adminProperties, Duration deadline) {
        Objects.requireNonNull(adminProperties, "adminProperties");
        Objects.requireNonNull(deadline, "deadline");
        if (deadline.compareTo(Duration.ofMillis(1)) < 0 || deadline.compareTo(LONGEST_DEADLINE) > 0) {
            throw new IllegalArgumentException("deadline must be between 1 ms and Integer.MAX_VALUE ms, was "
                    + deadline);
        }
        Object servers = adminProperties.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
        Object protocol = adminProperties.get(AdminClientConfig.SECURITY_PROTOCOL_CONFIG);
        return new TopicAdmin(Admin.create(clientProperties(adminProperties, deadline)), deadline,
                String.valueOf(servers), protocol == null ? "PLAINTEXT" : protocol.toString().trim());
    }

    private static Map<String, Object> clientProperties(Map<String, ?> adminProperties, Duration deadline) {
        Map<String, Object> client = new LinkedHashMap<>(adminProperties);
        int deadlineMs = (int) deadline.toMillis();
        // The budget of one call, retries included: the deadline.
        client.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, deadlineMs);
        // One request may not outlast the call; kafka-clients refuses a request timeout above the call's.
        client.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(deadlineMs, REQUEST_TIMEOUT.toMillis()));
        return client;
    }

    /**
     * Creates a topic with the broker's default replication factor and settings, and returns once every
     * partition has a leader that answers for it, so records can be written at once. Creating a topic that
     * already exists with the same partition count succeeds (returns false), so startup code can call it on
     * every start.
     *
     * @param name       the topic name
     * @param partitions the partition count, 1 or more
     * @return true if this call created the topic, false if it already existed with {@code partitions}
     * @throws IllegalArgumentException if {@code partitions} is under 1
     * @throws TopicExistsException     if the topic exists with another partition count (the message names both)
     * @throws TimeoutException         if the deadline passes
     * @throws KafkaException           Kafka's own exception for any other failure
     */
    public boolean createTopic(String name, int partitions) {
        checkPartitions(partitions);
        return create(new NewTopic(Objects.requireNonNull(name, "name"), Optional.of(partitions), Optional.empty()));
    }

    /**
     * Creates a topic with a given replication factor and topic settings ({@code retention.ms},
     * {@code cleanup.policy}, ...; {@code TopicConfig} names them). Idempotent like
     * {@link #createTopic(String, int)}; only the partition count is compared with an existing topic.
     *
     * @param name              the topic name
     * @param partitions        the partition count, 1 or more
     * @param replicationFactor copies of each partition, 1 or more, at most the number of brokers
     * @param configs           topic settings; copied
     * @return true if this call created the topic, false if it already existed with {@code partitions}
     * @throws IllegalArgumentException if {@code partitions} or {@code replicationFactor} is out of range
     * @throws TopicExistsException     if the topic exists with another partition count (the message names both)
     * @throws TimeoutException         if the deadline passes
     * @throws KafkaException           Kafka's own exception for any other failure, such as
     *                                  {@code InvalidReplicationFactorException}
     */
    public boolean createTopic(String name, int partitions, int replicationFactor, Map<String, String> configs) {
        checkPartitions(partitions);
        if (replicationFactor < 1 || replicationFactor > Short.MAX_VALUE) {
            throw new IllegalArgumentException("replicationFactor must be between 1 and " + Short.MAX_VALUE
                    + ", was " + replicationFactor);
        }
        NewTopic topic = new NewTopic(Objects.requireNonNull(name, "name"), partitions, (short) replicationFactor)
                .configs(Map.copyOf(configs));
        return create(topic);
    }

    private boolean create(NewTopic topic) {
        long end = deadlineFromNow();
        try {
            await(admin.createTopics(List.of(topic), new CreateTopicsOptions().timeoutMs(remainingMs(end)))
                    .all(), end, "create topic " + topic.name());
            awaitLeaders(topic.name(), end);
            return true;
        } catch (TopicExistsException exists) {
            int existing = describe(topic.name(), end).partitions().size();
            if (existing == topic.numPartitions()) {
                return false;
            }
            throw new TopicExistsException("topic " + topic.name() + " already exists with " + existing
                    + " partitions, not the " + topic.numPartitions() + " asked for", exists);
        }
    }

    /**
     * Waits until every partition of a new topic has a leader that answers for it. The controller answers
     * "created" before the brokers have caught up, and the metadata can name a leader before that broker has
     * taken the partition on: a producer writing at once gets NOT_LEADER_OR_FOLLOWER for its first batch, and an
     * idempotent one whose later batches are accepted meanwhile then retries the first as out of order until its
     * delivery timeout. A leader that answers a ListOffsets request for the partition has taken it on.
     */
    private void awaitLeaders(String name, long end) {
        while (true) {
            try {
                List<TopicPartitionInfo> partitions = describe(name, end).partitions();
                boolean led = partitions.stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty());
                if (led) {
                    latestOffsets(name, partitions.size(), end);
                    return;
                }
            } catch (UnknownTopicOrPartitionException | NotLeaderOrFollowerException | LeaderNotAvailableException
                     notYetLed) {
                // The broker that answered has not seen the new topic, or its leader has not taken it on; again.
            }
            if (System.nanoTime() >= end) {
                throw new TimeoutException("topic " + name + " was created, but not every partition had a leader"
                        + " within the deadline");
            }
            try {
                Thread.sleep(LEADER_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptException(e);
            }
        }
    }

    /**
     * Describes a topic: each partition's leader, replicas and in-sync replicas.
     *
     * @param name the topic name
     * @return the topic's partitions, in partition order
     * @throws UnknownTopicOrPartitionException if there is no such topic
     * @throws TimeoutException                 if the deadline passes
     * @throws KafkaException                   Kafka's own exception for any other failure
     */
    public TopicDetails describeTopic(String name) {
        return TopicDetails.of(describe(Objects.requireNonNull(name, "name"), deadlineFromNow()));
    }

    private TopicDescription describe(String name, long end) {
        try {
            return await(admin.describeTopics(List.of(name), new DescribeTopicsOptions().timeoutMs(remainingMs(end)))
                    .topicNameValues().get(name), end, "describe topic " + name);
        } catch (UnknownTopicOrPartitionException unknown) {
            throw new UnknownTopicOrPartitionException("topic " + name + " does not exist", unknown);
        }
    }

    /**
     * Names the cluster's topics, internal ones (such as {@code __consumer_offsets}) left out.
     *
     * @return topic names, sorted
     * @throws TimeoutException if the deadline passes
     * @throws KafkaException   Kafka's own exception for any other failure
     */
    public List<String> listTopics() {
        long end = deadlineFromNow();
        return await(admin.listTopics(new ListTopicsOptions().listInternal(false).timeoutMs(remainingMs(end)))
                .names(), end, "list topics").stream().sorted().toList();
    }

    /**
     * Deletes a topic and all its records. Deleting a topic that does not exist succeeds (returns false).
     * The broker removes the data in the background; the name can be reused at once.
     *
     * @param name the topic name
     * @return true if this call deleted the topic, false if there was none
     * @throws TimeoutException if the deadline passes
     * @throws KafkaException   Kafka's own exception for any other failure
     */
    public boolean deleteTopic(String name) {
        Objects.requireNonNull(name, "name");
        long end = deadlineFromNow();
        try {
            await(admin.deleteTopics(List.of(name), new DeleteTopicsOptions().timeoutMs(remainingMs(end))).all(),
                    end, "delete topic " + name);
            return true;
        } catch (UnknownTopicOrPartitionException unknown) {
            return false;
        }
    }

    /**
     * Grows a topic to {@code totalPartitions}. Existing records stay where they are, but from now on most
     * keys map to a different partition, which breaks per-key order for consumers; see
     * {@code KeyPartitioner.impactOfRepartition}. Kafka cannot shrink a topic.
     *
     * @param name            the topic name
     * @param totalPartitions the new partition count, not the number to add
     * @return true if partitions were added, false if the topic already had {@code totalPartitions}
     * @throws IllegalArgumentException         if {@code totalPartitions} is under 1
     * @throws InvalidPartitionsException       if the topic has more partitions already (the message names both)
     * @throws UnknownTopicOrPartitionException if there is no such topic
     * @throws TimeoutException                 if the deadline passes
     * @throws KafkaException                   Kafka's own exception for any other failure
     */
    public boolean increasePartitions(String name, int totalPartitions) {
        checkPartitions(totalPartitions);
        Objects.requireNonNull(name, "name");
        long end = deadlineFromNow();
        int current = describe(name, end).partitions().size();
        if (current == totalPartitions) {
            return false;
        }
        if (current > totalPartitions) {
            throw new InvalidPartitionsException("topic " + name + " has " + current + " partitions; Kafka cannot"
                    + " reduce it to " + totalPartitions);
        }
        await(admin.createPartitions(Map.of(name, NewPartitions.increaseTo(totalPartitions)),
                new CreatePartitionsOptions().timeoutMs(remainingMs(end))).all(), end, "add partitions to " + name);
        return true;
    }

    /**
     * The log-end offset of each partition of a topic: the offset the next record written there will get. For a
     * topic that never lost records to retention, that is how many records each partition holds.
     *
     * @param name the topic name
     * @return partition number to log-end offset, in partition order
     * @throws UnknownTopicOrPartitionException if there is no such topic
     * @throws TimeoutException                 if the deadline passes
     * @throws KafkaException                   Kafka's own exception for any other failure
     */
    public Map<Integer, Long> endOffsets(String name) {
        long end = deadlineFromNow();
        int partitions = describe(Objects.requireNonNull(name, "name"), end).partitions().size();
        return latestOffsets(name, partitions, end);
    }

    /** Asks each partition's leader for its log-end offset; partition number to offset, in partition order. */
    private Map<Integer, Long> latestOffsets(String name, int partitions, long end) {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int partition = 0; partition < partitions; partition++) {
            latest.put(new TopicPartition(name, partition), OffsetSpec.latest());
        }
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> found = await(admin.listOffsets(latest,
                new ListOffsetsOptions().timeoutMs(remainingMs(end))).all(), end, "read the end offsets of " + name);
        Map<Integer, Long> byPartition = new TreeMap<>();
        found.forEach((partition, info) -> byPartition.put(partition.partition(), info.offset()));
        return Collections.unmodifiableMap(byPartition);
    }

    /**
     * How far a consumer group is behind, partition by partition, within this admin's deadline: what
     * {@link ConsumerGroupLag#read} tells, over this admin's connection, so that an application that manages
     * topics and watches a group needs one admin client.
     *
     * @param groupId the consumer group; not null
     * @return one entry per partition the group has a committed offset for or a member assigned to, sorted;
     *         empty for a group that does not exist
     * @throws TimeoutException if the deadline passes
     * @throws KafkaException   Kafka's own exception for any other failure
     */
    public List<PartitionLag> groupLag(String groupId) {
        return ConsumerGroupLag.read(admin, groupId, deadline);
    }

    /**
     * Sets configs of a share group, which the broker keeps for the whole group; those not in {@code settings}
     * keep their values. The group need not exist yet: set {@code share.auto.offset.reset} before its first
     * member starts, or it starts at the end of its topics. A member's next fetch sees the change.
     *
     * @param groupId  the share group; not blank
     * @param settings the configs to set; not null
     * @throws IllegalArgumentException if {@code groupId} is blank
     * @throws org.apache.kafka.common.errors.InvalidConfigurationException naming the config, if a value is out
     *                                  of the broker's bounds (such as a lock shorter than
     *                                  {@code group.share.min.record.lock.duration.ms})
     * @throws TimeoutException if the deadline passes
     * @throws KafkaException   Kafka's own exception for any other failure
     */
    public void configureShareGroup(String groupId, ShareGroupSettings settings) {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(settings, "settings");
        if (groupId.isBlank()) {
            throw new IllegalArgumentException("groupId must not be blank, was '" + groupId + "'");
        }
        List<AlterConfigOp> changes = settings.configs().entrySet().stream()
                .map(config -> new AlterConfigOp(new ConfigEntry(config.getKey(), config.getValue()),
                        AlterConfigOp.OpType.SET))
                .toList();
        long end = deadlineFromNow();
        await(admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, groupId), changes),
                new AlterConfigsOptions().timeoutMs(remainingMs(end))).all(), end, "configure share group " + groupId);
    }

    /**
     * Checks that the cluster runs share groups (KIP-932): its finalized feature {@code share.version} is 1 or
     * more. Kafka 4.0 has none; 4.1 has them as a preview, off unless switched on; from 4.2 they are on.
     *
     * @throws UnsupportedVersionException naming the cluster, what it has and the version needed, if it does not
     * @throws TimeoutException            if the deadline passes
     * @throws KafkaException              Kafka's own exception for any other failure
     */
    public void requireShareGroups() {
        long end = deadlineFromNow();
        FeatureMetadata features = await(admin.describeFeatures(new DescribeFeaturesOptions()
                .timeoutMs(remainingMs(end))).featureMetadata(), end, "read the cluster's features");
        FinalizedVersionRange level = features.finalizedFeatures().get(SHARE_GROUPS_FEATURE);
        if (level == null || level.maxVersionLevel() < 1) {
            throw new UnsupportedVersionException("the cluster at " + bootstrapServers + " does not run share "
                    + "groups (feature " + SHARE_GROUPS_FEATURE + (level == null ? " is not enabled"
                    : "=" + level.maxVersionLevel()) + "): they need Kafka 4.2 or later (on 4.1 they are a "
                    + "preview, switched on with kafka-features.sh upgrade --feature " + SHARE_GROUPS_FEATURE + "=1)");
        }
    }

    /**
     * How many records of each partition a share group has not finished with: not yet delivered, delivered and
     * not yet acknowledged, or released for another delivery. 0 everywhere means the group has nothing left to
     * deliver, what {@code kafka-share-groups.sh --describe} shows as LAG.
     *
     * @param groupId the share group; not null
     * @return partition to records left, sorted; empty for a group with no state yet. A partition whose lag the
     *         broker does not know yet (a group still starting) is absent
     * @throws TimeoutException if the deadline passes
     * @throws KafkaException   Kafka's own exception for any other failure
     */
    public Map<TopicPartition, Long> shareGroupLag(String groupId) {
        Objects.requireNonNull(groupId, "groupId");
        long end = deadlineFromNow();
        Map<TopicPartition, SharePartitionOffsetInfo> found = await(admin.listShareGroupOffsets(
                Map.of(groupId, new ListShareGroupOffsetsSpec()),
                new ListShareGroupOffsetsOptions().timeoutMs(remainingMs(end))).partitionsToOffsetInfo(groupId),
                end, "read the lag of share group " + groupId);
        Map<TopicPartition, Long> lag = new TreeMap<>(Comparator.comparing(TopicPartition::topic)
                .thenComparingInt(TopicPartition::partition));
        found.forEach((partition, info) -> {
            if (info != null && info.lag().isPresent()) {
                lag.put(partition, info.lag().get());
            }
        });
        return Collections.unmodifiableMap(lag);
    }

    /**
     * Stops the admin client, waiting at most the deadline for calls still running. Calling it again does nothing.
     */
    @Override
    public void close() {
        admin.close(deadline);
    }

    private static void checkPartitions(int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be 1 or more, was " + partitions);
        }
    }

    private long deadlineFromNow() {
        return System.nanoTime() + deadline.toNanos();
    }

    /** The time left until {@code end}, for Kafka's own timeout; at least 1 ms, as Kafka wants a positive one. */
    private static int remainingMs(long end) {
        return (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()));
    }

    /**
     * Waits for an admin result until {@code end} (plus a grace), unwrapping Kafka's exception; a timeout and a
     * failed TLS handshake get a hint about what may be wrong.
     */
    private <T> T await(KafkaFuture<T> future, long end, String what) {
        try {
            return future.get(remainingMs(end) + GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof TimeoutException timeout) {
                throw noAnswer(what + ": " + timeout.getMessage(), timeout);
            }
            if (cause instanceof SslAuthenticationException handshake) {
                throw new SslAuthenticationException(what + ": the TLS handshake with " + bootstrapServers
                        + " failed (" + rootMessage(handshake) + "). Does the trust store (ssl.truststore.location)"
                        + " hold the CA that signed the broker's certificate, and was that certificate issued for"
                        + " the host name in bootstrap.servers? And if the broker requires client certificates"
                        + " (ssl.client.auth=required), does the key store (ssl.keystore.location) hold one signed"
                        + " by a CA the broker trusts?", handshake);
            }
            throw cause instanceof KafkaException kafka ? kafka : new KafkaException(what + " failed", cause);
        } catch (java.util.concurrent.TimeoutException e) {
            throw noAnswer(what + ": no answer before the deadline", e);
        } catch (InterruptedException e) {
            throw new InterruptException("interrupted during " + what, e);
        }
    }

    private TimeoutException noAnswer(String problem, Throwable cause) {
        String hint = protocol.equalsIgnoreCase("PLAINTEXT")
                ? "If brokers are up at " + bootstrapServers + ", their listener may require TLS or a login"
                        + " (security.protocol SSL or SASL_SSL), which a PLAINTEXT client cannot speak: connect with"
                        + " a ClientSecurity"
                : "Is " + bootstrapServers + " right, and does the listener there speak " + protocol + "?";
        return new TimeoutException(problem + " (deadline " + deadline.toMillis() + " ms). " + hint, cause);
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
