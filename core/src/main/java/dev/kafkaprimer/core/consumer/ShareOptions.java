package dev.kafkaprimer.core.consumer;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

import org.apache.kafka.clients.consumer.ConsumerConfig;

import dev.kafkaprimer.core.config.ClientSecurity;
import dev.kafkaprimer.core.config.PassThroughProperties;

/**
 * How a {@link ShareLoop} connects and behaves: the cluster, the share group and its topics, retries and dead
 * letters, worker threads. Immutable and thread-safe; build one with {@link #builder}.
 *
 * <pre>{@code
 * ShareOptions options = ShareOptions.builder("localhost:9092", "thumbnails", List.of("uploads"))
 *         .concurrency(8)
 *         .build();
 * }</pre>
 *
 * <p><b>Where a share group is configured.</b> Much of what a consumer group member sets for itself belongs to
 * a share group as a whole, and lives on the broker as the group's configuration: where a new group starts
 * ({@code share.auto.offset.reset}, <em>latest</em> unless set: a new group skips what is already in the topic),
 * how many deliveries a record gets ({@code share.delivery.count.limit}, 5) and how long a member holds a record
 * it was given ({@code share.record.lock.duration.ms}, 30 s). Set them with
 * {@link dev.kafkaprimer.core.admin.TopicAdmin#configureShareGroup TopicAdmin.configureShareGroup}. The client
 * settings of a consumer group that have no meaning here ({@code auto.offset.reset}, {@code isolation.level},
 * {@code enable.auto.commit}, {@code group.protocol}, the assignor and the session timings) are refused by
 * {@link Builder#property}, naming what to use instead.
 */
public final class ShareOptions {

    /** How many records a member handles at once, unless set: one at a time. */
    public static final int DEFAULT_CONCURRENCY = 1;
    /** The most records one poll acquires, unless set: kafka-clients' default {@code max.poll.records}. */
    public static final int DEFAULT_MAX_POLL_RECORDS = 500;
    /** How long one poll waits for records, unless set. */
    public static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofMillis(500);
    /** How long {@code close()} waits for handlers still running before it releases their records. */
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);

    /** Settings the options choose themselves, with what to use instead. */
    private static final Map<String, String> CHOSEN_HERE = Map.ofEntries(
            Map.entry(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "the bootstrapServers argument of builder(...)"),
            Map.entry(ConsumerConfig.GROUP_ID_CONFIG, "the groupId argument of builder(...)"),
            Map.entry(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, "the key deserializer given to ShareLoop"),
            Map.entry(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, "the deserializer given to ShareLoop "
                    + "(bytes are deserialized inside the loop, so one bad record becomes a dead letter)"),
            Map.entry(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "maxPollRecords(int)"),
            Map.entry(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "nothing: the loop acknowledges each "
                    + "record explicitly, after its handler returned"),
            Map.entry(ConsumerConfig.SHARE_ACQUIRE_MODE_CONFIG, "maxPollRecords(int): the loop acquires at most "
                    + "that many records per poll (record_limit)"));
    /** Consumer group settings that a share group member does not have, with where the idea lives instead. */
    private static final Map<String, String> NOT_FOR_SHARE_GROUPS = Map.of(
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "set the group config share.auto.offset.reset "
                    + "(TopicAdmin.configureShareGroup)",
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "set the group config share.isolation.level",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "a share group acknowledges records; it commits no offsets",
            ConsumerConfig.GROUP_PROTOCOL_CONFIG, "a share group has a protocol of its own",
            ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "share group members are never static",
            ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, "the broker assigns partitions to share members",
            ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "set the group config share.session.timeout.ms",
            ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "set the group config share.heartbeat.interval.ms");

    private final String bootstrapServers;
    private final String groupId;
    private final List<String> topics;
    private final RetryPolicy retry;
    private final UnaryOperator<String> deadLetterTopic;
    private final Duration deadLetterTimeout;
    private final int concurrency;
    private final int maxPollRecords;
    private final Duration pollTimeout;
    private final Duration startupTimeout;
    private final Duration drainTimeout;
    private final ClientSecurity security;
    private final Map<String, Object> properties;

    private ShareOptions(Builder builder) {
        this.bootstrapServers = builder.bootstrapServers;
        this.groupId = builder.groupId;
        this.topics = builder.topics;
        this.retry = builder.retry;
        this.deadLetterTopic = builder.deadLetterTopic;
        this.deadLetterTimeout = builder.deadLetterTimeout;
        this.concurrency = builder.concurrency;
        this.maxPollRecords = builder.maxPollRecords;
        this.pollTimeout = builder.pollTimeout;
        this.startupTimeout = builder.startupTimeout;
        this.drainTimeout = builder.drainTimeout;
        this.security = builder.security;
        this.properties = Map.copyOf(builder.properties);
    }

    /**
     * Starts options for a member of share group {@code groupId} reading {@code topics}.
     *
     * @param bootstrapServers {@code host:port[,host:port...]} of one or more brokers; not blank
     * @param groupId          the share group; members with the same id share the records. A share group and
     *                         a consumer group may not have the same id; not blank
     * @param topics           the topics to read; at least one, none blank
     * @return a builder with the defaults
     * @throws IllegalArgumentException naming the bad argument
     */
    public static Builder builder(String bootstrapServers, String groupId, Collection<String> topics) {
        Objects.requireNonNull(topics, "topics");
        if (topics.isEmpty()) {
            throw new IllegalArgumentException("topics must name at least one topic");
        }
        topics.forEach(topic -> OptionChecks.notBlank(topic, "every topic name"));
        return new Builder(bootstrapServers, groupId, List.copyOf(topics));
    }

    /**
     * The cluster's address, as given.
     *
     * @return {@code host:port[,host:port...]}
     */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * The share group.
     *
     * @return the group id
     */
    public String groupId() {
        return groupId;
    }

    /**
     * The topics the member reads.
     *
     * @return an immutable list, never empty
     */
    public List<String> topics() {
        return topics;
    }

    /**
     * How many times a record is handled before it is dead-lettered, and which failures are not retried. The
     * broker's delivery count is the attempt number, so deliveries to members that crashed count too. The
     * policy's delays are not used: a released record is available again at once (to any member).
     *
     * @return the policy
     */
    public RetryPolicy retry() {
        return retry;
    }

    /**
     * The dead-letter topic of records read from {@code topic}.
     *
     * @param topic a topic the loop reads
     * @return its dead-letter topic ({@code <topic>.DLT} by default)
     */
    public String deadLetterTopicFor(String topic) {
        return deadLetterTopic.apply(topic);
    }

    /**
     * How long a dead-letter write may take before the loop stops (releasing the record, not losing it).
     *
     * @return the timeout
     */
    public Duration deadLetterTimeout() {
        return deadLetterTimeout;
    }

    /**
     * How many records the member handles at once, on that many worker threads.
     *
     * @return at least 1
     */
    public int concurrency() {
        return concurrency;
    }

    /**
     * The most records one poll acquires for this member.
     *
     * @return at least 1
     */
    public int maxPollRecords() {
        return maxPollRecords;
    }

    /**
     * How long one poll waits for records when none are there.
     *
     * @return the timeout
     */
    public Duration pollTimeout() {
        return pollTimeout;
    }

    /**
     * How long a starting loop waits for the cluster's first answer.
     *
     * @return the timeout
     */
    public Duration startupTimeout() {
        return startupTimeout;
    }

    /**
     * How long {@code close()} waits for running handlers before it releases their records to the group.
     *
     * @return the timeout
     */
    public Duration drainTimeout() {
        return drainTimeout;
    }

    /**
     * TLS and login settings.
     *
     * @return the security given to the builder, or empty (kafka-clients' default, PLAINTEXT)
     */
    public Optional<ClientSecurity> security() {
        return Optional.ofNullable(security);
    }

    /**
     * Settings passed to the share consumer unchanged; the dead-letter producer takes those it knows.
     *
     * @return an immutable map
     */
    public Map<String, Object> properties() {
        return properties;
    }

    @Override
    public String toString() {
        return "ShareOptions{bootstrapServers=" + bootstrapServers + ", groupId=" + groupId + ", topics=" + topics
                + ", retry=" + retry + ", deadLetterTimeout=" + deadLetterTimeout + ", concurrency=" + concurrency
                + ", maxPollRecords=" + maxPollRecords + ", pollTimeout=" + pollTimeout
                + ", startupTimeout=" + startupTimeout + ", drainTimeout=" + drainTimeout
                + ", security=" + security().map(ClientSecurity::toString).orElse("(kafka-clients default)")
                + ", properties=" + PassThroughProperties.display(properties) + "}";
    }

    /** Choices for {@link ShareOptions}, each checked when it is set. Not thread-safe; {@link #build()} copies. */
    public static final class Builder {
        private final String bootstrapServers;
        private final String groupId;
        private final List<String> topics;
        private RetryPolicy retry = RetryPolicy.defaults();
        private UnaryOperator<String> deadLetterTopic = topic -> topic + ConsumerOptions.DEFAULT_DEAD_LETTER_SUFFIX;
        private Duration deadLetterTimeout = ConsumerOptions.DEFAULT_DEAD_LETTER_TIMEOUT;
        private int concurrency = DEFAULT_CONCURRENCY;
        private int maxPollRecords = DEFAULT_MAX_POLL_RECORDS;
        private Duration pollTimeout = DEFAULT_POLL_TIMEOUT;
        private Duration startupTimeout = ConsumerOptions.DEFAULT_STARTUP_TIMEOUT;
        private Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;
        private ClientSecurity security;
        private final Map<String, Object> properties = new LinkedHashMap<>();

        private Builder(String bootstrapServers, String groupId, List<String> topics) {
            this.bootstrapServers = PassThroughProperties.bootstrapServers(bootstrapServers);
            this.groupId = OptionChecks.notBlank(groupId, "groupId");
            this.topics = topics;
        }

        /**
         * How many attempts a record gets and which failures are not retried; keep {@code maxAttempts} at or
         * below the group's {@code share.delivery.count.limit} (5 by default), or the broker gives up on a record
         * (archives it, without a dead letter from the loop) before the policy does.
         *
         * @param retry the policy; its delays are not used; not null
         * @return this builder
         */
        public Builder retry(RetryPolicy retry) {
            this.retry = Objects.requireNonNull(retry, "retry");
            return this;
        }

        /**
         * Names the dead-letter topic for records read from each topic ({@code <topic>.DLT} by default).
         *
         * @param nameForTopic from a record's topic to its dead-letter topic; not null
         * @return this builder
         */
        public Builder deadLetterTopic(UnaryOperator<String> nameForTopic) {
            this.deadLetterTopic = Objects.requireNonNull(nameForTopic, "nameForTopic");
            return this;
        }

        /**
         * How long the loop waits for a dead letter to be acknowledged (30 s by default).
         *
         * @param timeout positive, at most {@code Integer.MAX_VALUE} ms; not null
         * @return this builder
         * @throws IllegalArgumentException if it is not
         */
        public Builder deadLetterTimeout(Duration timeout) {
            this.deadLetterTimeout = OptionChecks.positiveIntMillis(timeout, "deadLetterTimeout");
            return this;
        }

        /**
         * How many records this member handles at once; above 1 the handler is called from that many worker
         * threads and must be thread-safe.
         *
         * @param concurrency at least 1
         * @return this builder
         * @throws IllegalArgumentException if it is less than 1
         */
        public Builder concurrency(int concurrency) {
            this.concurrency = OptionChecks.atLeastOne(concurrency, "concurrency");
            return this;
        }

        /**
         * The most records one poll acquires. Records acquired by one member wait for it, not for the others: a
         * small number (a few times the concurrency) spreads a short queue over more members.
         *
         * @param maxPollRecords at least 1
         * @return this builder
         * @throws IllegalArgumentException if it is less than 1
         */
        public Builder maxPollRecords(int maxPollRecords) {
            this.maxPollRecords = OptionChecks.atLeastOne(maxPollRecords, "maxPollRecords");
            return this;
        }

        /**
         * How long one poll waits for records; {@link ShareLoop#close()} does not wait for it.
         *
         * @param pollTimeout positive; not null
         * @return this builder
         * @throws IllegalArgumentException if it is not positive
         */
        public Builder pollTimeout(Duration pollTimeout) {
            this.pollTimeout = OptionChecks.positive(pollTimeout, "pollTimeout");
            return this;
        }

        /**
         * How long a starting loop waits for the cluster to answer (60 s by default) before {@code run()} fails
         * naming the address.
         *
         * @param startupTimeout positive; not null
         * @return this builder
         * @throws IllegalArgumentException if it is not positive
         */
        public Builder startupTimeout(Duration startupTimeout) {
            this.startupTimeout = OptionChecks.positive(startupTimeout, "startupTimeout");
            return this;
        }

        /**
         * How long {@code close()} waits for running handlers (30 s by default); the records of handlers still
         * running then are released, so another member handles them again.
         *
         * @param drainTimeout positive; not null
         * @return this builder
         * @throws IllegalArgumentException if it is not positive
         */
        public Builder drainTimeout(Duration drainTimeout) {
            this.drainTimeout = OptionChecks.positive(drainTimeout, "drainTimeout");
            return this;
        }

        /**
         * TLS and login, for the share consumer and the dead-letter producer alike.
         *
         * @param security the settings; not null
         * @return this builder
         */
        public Builder security(ClientSecurity security) {
            this.security = Objects.requireNonNull(security, "security");
            return this;
        }

        /**
         * Passes one kafka-clients setting to the share consumer unchanged (and to the dead-letter producer, if
         * it knows the name).
         *
         * @param name  the setting; not blank
         * @param value its value; not null
         * @return this builder
         * @throws IllegalArgumentException if {@code name} is blank or a setting these options choose, or one that
         *                                  belongs to the share group's configuration; the message says what to
         *                                  use instead
         */
        public Builder property(String name, Object value) {
            PassThroughProperties.check(name, value, CHOSEN_HERE);
            String instead = NOT_FOR_SHARE_GROUPS.get(name);
            if (instead != null) {
                throw new IllegalArgumentException("property " + name + "=" + value + " has no meaning for a share "
                        + "group member: " + instead);
            }
            properties.put(name, value);
            return this;
        }

        /**
         * The options.
         *
         * @return new immutable options
         * @throws IllegalArgumentException if a passed-through setting also sets what
         *                                  {@link #security(ClientSecurity)} sets
         */
        public ShareOptions build() {
            PassThroughProperties.checkNotAlsoInSecurity(properties, security);
            return new ShareOptions(this);
        }
    }
}
