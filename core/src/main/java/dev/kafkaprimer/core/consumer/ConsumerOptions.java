package dev.kafkaprimer.core.consumer;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import dev.kafkaprimer.core.config.ClientSecurity;
import dev.kafkaprimer.core.config.PassThroughProperties;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.GroupProtocol;
import org.apache.kafka.common.IsolationLevel;

/**
 * Everything a {@link CommitLoop} needs to know: where the cluster is, which group it joins, what it reads,
 * how it commits, retries and dead-letters, and how many records it handles at once. The loop builds its
 * {@code KafkaConsumer} (and the producer for the dead-letter topic) from these options itself, so a consumer
 * can never be half-configured; in particular auto-commit is always off.
 *
 * <pre>{@code
 * ConsumerOptions options = ConsumerOptions.builder("localhost:9092", "billing", List.of("orders"))
 *         .offsetReset(OffsetReset.EARLIEST)
 *         .groupProtocol(GroupProtocol.CONSUMER)
 *         .commitPolicy(CommitPolicy.PER_BATCH)
 *         .retry(RetryPolicy.builder().maxAttempts(5).build())
 *         .property(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 60_000)
 *         .build();
 * }</pre>
 *
 * <p><b>Group protocols.</b> {@link GroupProtocol#CLASSIC} is Kafka's original rebalance protocol: members
 * agree on an assignment among themselves; this library then uses the cooperative-sticky assignor, so a
 * rebalance moves only the partitions that change owner while the others keep being consumed.
 * {@link GroupProtocol#CONSUMER} is the protocol of KIP-848 (Kafka 4.0 and later): the broker computes the
 * assignment and hands it out in heartbeats, with no group-wide pause. With it, the broker owns the
 * assignor and the session and heartbeat timings, so setting {@code partition.assignment.strategy},
 * {@code session.timeout.ms} or {@code heartbeat.interval.ms} is an error.
 *
 * <p><b>Security</b> (TLS, a SASL login) is given once with {@link Builder#security(ClientSecurity)} and used by
 * the consumer and the dead-letter producer alike. A wrong password or an untrusted broker certificate makes
 * the loop's first poll fail with {@code SaslAuthenticationException} or {@code SslAuthenticationException},
 * which stops the loop: it is not retried.
 *
 * <p><b>Other settings</b> go through {@link Builder#property(String, Object)} to the consumer unchanged
 * (and those the producer also knows to the dead-letter producer). The settings this class chooses itself
 * cannot be passed that way. {@link #toString()} hides the values of secret settings.
 *
 * <p>Immutable and thread-safe.
 *
 * <p>Why one class of some 700 lines: one getter and one builder method per choice, each with the javadoc a
 * reader needs to choose; the rules for pass-through settings live in {@code ConsumerPropertyRules} and
 * {@link PassThroughProperties}.
 */
public final class ConsumerOptions {

    /** Where a new group starts by default: at the oldest record, so it sees what is already there. */
    public static final OffsetReset DEFAULT_OFFSET_RESET = OffsetReset.EARLIEST;
    /** The group protocol by default: the classic one, as in Kafka's own client. */
    public static final GroupProtocol DEFAULT_GROUP_PROTOCOL = GroupProtocol.CLASSIC;
    /** Which records of transactions the loop reads by default: all of them, as kafka-clients does. */
    public static final IsolationLevel DEFAULT_ISOLATION_LEVEL = IsolationLevel.READ_UNCOMMITTED;
    /** The commit policy by default: one synchronous commit per poll. */
    public static final CommitPolicy DEFAULT_COMMIT_POLICY = CommitPolicy.PER_BATCH;
    /** N of {@link CommitPolicy#EVERY_N_RECORDS_OR_INTERVAL} by default. */
    public static final int DEFAULT_COMMIT_EVERY_RECORDS = 500;
    /** T of {@link CommitPolicy#EVERY_N_RECORDS_OR_INTERVAL} by default: the interval of Kafka's auto-commit. */
    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofSeconds(5);
    /** Records one poll hands over at most, by default: Kafka's {@code max.poll.records} default. */
    public static final int DEFAULT_MAX_POLL_RECORDS = 500;
    /** How long one poll waits for records by default; also how often an idle loop checks its interval commit. */
    public static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofMillis(500);
    /**
     * How long a starting loop waits for the cluster's first answer by default: long enough for a service that
     * starts before its brokers, short enough that a wrong address is noticed within a minute.
     */
    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(60);
    /**
     * How long, by default, giving partitions up (a rebalance, a seek, {@code close()}) waits for their records
     * being handled on worker threads.
     */
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);
    /** Appended to a record's topic to name its dead-letter topic by default: {@code orders.DLT}. */
    public static final String DEFAULT_DEAD_LETTER_SUFFIX = ".DLT";
    /** How long the loop waits by default for the dead-letter topic to acknowledge a record. */
    public static final Duration DEFAULT_DEAD_LETTER_TIMEOUT = Duration.ofSeconds(30);
    /** Which records may be handled at the same time by default: one per partition, as Kafka orders them. */
    public static final Ordering DEFAULT_ORDERING = Ordering.PARTITION;
    /** Records handled at the same time by default: one, on the loop thread itself. */
    public static final int DEFAULT_CONCURRENCY = 1;
    /**
     * Records a parallel loop holds at most by default, before it stops fetching more: ten default polls, about
     * what one fetch of a partition brings with small records, so that the loop does not stop fetching after
     * every fetch.
     */
    public static final int DEFAULT_MAX_PENDING_RECORDS = 5_000;
    /**
     * The shortest time by default between two commits of a loop with worker threads while records are being
     * handled: finished work waits at most about this long for its commit, and a busy member sends at most 200
     * commits a second.
     */
    public static final Duration DEFAULT_WORKER_COMMIT_INTERVAL = Duration.ofMillis(5);

    private final String bootstrapServers;
    private final String groupId;
    private final List<String> topics;
    private final Pattern topicPattern;
    private final OffsetReset offsetReset;
    private final GroupProtocol groupProtocol;
    private final IsolationLevel isolationLevel;
    private final CommitPolicy commitPolicy;
    private final int commitEveryRecords;
    private final Duration commitInterval;
    private final RetryPolicy retry;
    private final UnaryOperator<String> deadLetterTopic;
    private final Duration deadLetterTimeout;
    private final int maxPollRecords;
    private final Duration pollTimeout;
    private final Duration startupTimeout;
    private final Duration drainTimeout;
    private final Duration workerCommitInterval;
    private final RebalanceListener rebalanceListener;
    private final List<LoopListener> listeners;
    private final List<HandlerInterceptor> interceptors;
    private final ClientSecurity security;
    private final Ordering ordering;
    private final int concurrency;
    private final int maxPendingRecords;
    private final Map<String, Object> properties;

    private ConsumerOptions(Builder builder) {
        this.bootstrapServers = builder.bootstrapServers;
        this.groupId = builder.groupId;
        this.topics = builder.topics;
        this.topicPattern = builder.topicPattern;
        this.offsetReset = builder.offsetReset;
        this.groupProtocol = builder.groupProtocol;
        this.isolationLevel = builder.isolationLevel;
        this.commitPolicy = builder.commitPolicy;
        this.commitEveryRecords = builder.commitEveryRecords;
        this.commitInterval = builder.commitInterval;
        this.retry = builder.retry;
        this.deadLetterTopic = builder.deadLetterTopic;
        this.deadLetterTimeout = builder.deadLetterTimeout;
        this.maxPollRecords = builder.maxPollRecords;
        this.pollTimeout = builder.pollTimeout;
        this.startupTimeout = builder.startupTimeout;
        this.drainTimeout = builder.drainTimeout;
        this.workerCommitInterval = builder.workerCommitInterval;
        this.rebalanceListener = builder.rebalanceListener;
        this.listeners = List.copyOf(builder.listeners);
        this.interceptors = List.copyOf(builder.interceptors);
        this.security = builder.security;
        this.ordering = builder.ordering;
        this.concurrency = builder.concurrency;
        this.maxPendingRecords = builder.maxPendingRecords;
        this.properties = Map.copyOf(builder.properties);
    }

    /**
     * A builder for a consumer of the named topics.
     *
     * @param bootstrapServers where to reach the cluster: one or more {@code host:port} separated by commas,
     *                         such as {@code localhost:9092}
     * @param groupId          the consumer group: members of one group share the partitions and the committed
     *                         offsets; not blank
     * @param topics           the topics to read; not empty, no blank names
     * @return a new builder with every other choice at its default
     * @throws IllegalArgumentException if a value is blank, an entry of {@code bootstrapServers} is not
     *                                  {@code host:port}, or {@code topics} is empty
     */
    public static Builder builder(String bootstrapServers, String groupId, Collection<String> topics) {
        Objects.requireNonNull(topics, "topics");
        if (topics.isEmpty()) {
            throw new IllegalArgumentException("topics must name at least one topic, was empty");
        }
        topics.forEach(topic -> OptionChecks.notBlank(topic, "every topic name"));
        return new Builder(bootstrapServers, groupId, List.copyOf(topics), null);
    }

    /**
     * A builder for a consumer of every topic whose name matches {@code topicPattern}, including topics
     * created later. Beware a pattern that also matches the dead-letter topics ({@code orders.*} matches
     * {@code orders.DLT}): the loop would read its own dead letters.
     *
     * @param bootstrapServers where to reach the cluster: one or more {@code host:port} separated by commas
     * @param groupId          the consumer group; not blank
     * @param topicPattern     a regular expression for whole topic names; not null
     * @return a new builder with every other choice at its default
     * @throws IllegalArgumentException if a value is blank, or an entry of {@code bootstrapServers} is not
     *                                  {@code host:port}
     */
    public static Builder builder(String bootstrapServers, String groupId, Pattern topicPattern) {
        return new Builder(bootstrapServers, groupId, List.of(), Objects.requireNonNull(topicPattern, "topicPattern"));
    }

    /**
     * The cluster's address.
     *
     * @return the {@code bootstrap.servers} value
     */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * The consumer group.
     *
     * @return the {@code group.id} value
     */
    public String groupId() {
        return groupId;
    }

    /**
     * The topics to read, when named.
     *
     * @return the topic names; empty when a {@link #topicPattern()} is used instead
     */
    public List<String> topics() {
        return topics;
    }

    /**
     * The pattern of topics to read, when one was given instead of names.
     *
     * @return the pattern, or empty when {@link #topics()} are named
     */
    public Optional<Pattern> topicPattern() {
        return Optional.ofNullable(topicPattern);
    }

    /**
     * Where the group starts on a partition without a committed offset.
     *
     * @return the choice; never null
     */
    public OffsetReset offsetReset() {
        return offsetReset;
    }

    /**
     * The rebalance protocol.
     *
     * @return the choice; never null
     */
    public GroupProtocol groupProtocol() {
        return groupProtocol;
    }

    /**
     * Which records written in transactions the loop reads: see {@link Builder#isolationLevel(IsolationLevel)}.
     *
     * @return the choice; never null
     */
    public IsolationLevel isolationLevel() {
        return isolationLevel;
    }

    /**
     * When the loop commits.
     *
     * @return the choice; never null
     */
    public CommitPolicy commitPolicy() {
        return commitPolicy;
    }

    /**
     * N of {@link CommitPolicy#EVERY_N_RECORDS_OR_INTERVAL}; unused by other policies.
     *
     * @return at least 1
     */
    public int commitEveryRecords() {
        return commitEveryRecords;
    }

    /**
     * T of {@link CommitPolicy#EVERY_N_RECORDS_OR_INTERVAL}; unused by other policies.
     *
     * @return a positive duration
     */
    public Duration commitInterval() {
        return commitInterval;
    }

    /**
     * How records whose handler throws are retried.
     *
     * @return the policy; never null
     */
    public RetryPolicy retry() {
        return retry;
    }

    /**
     * The dead-letter topic for a record read from {@code topic}.
     *
     * @param topic the topic a record was read from
     * @return the topic its dead letter is written to, by default {@code topic + ".DLT"}
     */
    public String deadLetterTopicFor(String topic) {
        return deadLetterTopic.apply(topic);
    }

    /**
     * How long the loop waits for the dead-letter topic to acknowledge a record before it stops.
     *
     * @return a positive duration
     */
    public Duration deadLetterTimeout() {
        return deadLetterTimeout;
    }

    /**
     * The most records one poll hands over.
     *
     * @return the {@code max.poll.records} value, at least 1
     */
    public int maxPollRecords() {
        return maxPollRecords;
    }

    /**
     * How long one poll waits for records when none are there.
     *
     * @return a positive duration
     */
    public Duration pollTimeout() {
        return pollTimeout;
    }

    /**
     * How long a starting loop waits for the cluster's first answer before {@code run()} fails.
     *
     * @return a positive duration
     */
    public Duration startupTimeout() {
        return startupTimeout;
    }

    /**
     * How long giving partitions up waits for their records being handled on worker threads.
     *
     * @return a positive duration
     */
    public Duration drainTimeout() {
        return drainTimeout;
    }

    /**
     * With worker threads and {@link CommitPolicy#PER_BATCH} or {@link CommitPolicy#ASYNC}: the shortest time
     * between two commits while records are being handled.
     *
     * @return a positive duration
     */
    public Duration workerCommitInterval() {
        return workerCommitInterval;
    }

    /**
     * Who is told when a rebalance changes the loop's partitions.
     *
     * @return the listener; {@link RebalanceListener#NONE} unless one was given
     */
    public RebalanceListener rebalanceListener() {
        return rebalanceListener;
    }

    /**
     * Who is told what the loop does: records handled, failed attempts, dead letters, commits, rebalances, pauses,
     * the stop.
     *
     * @return the listeners given to {@link Builder#listener(LoopListener)}, in that order; immutable, maybe empty
     */
    public List<LoopListener> listeners() {
        return listeners;
    }

    /**
     * What runs around each call of a record handler (a trace's span, a logging context).
     *
     * @return the interceptors given to {@link Builder#interceptor(HandlerInterceptor)}, in that order, the first
     *         outermost; immutable, maybe empty
     */
    public List<HandlerInterceptor> interceptors() {
        return interceptors;
    }

    /**
     * How the clients prove who they are and keep their traffic private.
     *
     * @return the security given to {@link Builder#security}, or empty: then kafka-clients' default, PLAINTEXT,
     *         unless {@link #properties()} set {@code security.protocol}
     */
    public Optional<ClientSecurity> security() {
        return Optional.ofNullable(security);
    }

    /**
     * Which records may be handled at the same time.
     *
     * @return the choice; never null
     */
    public Ordering ordering() {
        return ordering;
    }

    /**
     * How many records may be handled at the same time, each on a worker thread of its own.
     *
     * @return at least 1
     */
    public int concurrency() {
        return concurrency;
    }

    /**
     * How many records a loop with worker threads holds at most before it stops fetching more.
     *
     * @return at least {@link #concurrency()}
     */
    public int maxPendingRecords() {
        return maxPendingRecords;
    }

    /**
     * Subscribes {@code consumer} to what these options name, a pattern or a list of topics, with
     * {@code listener} told of every rebalance. Every engine subscribes this way. Not for applications: the loop
     * calls it on its own consumer.
     *
     * @param consumer the consumer to subscribe; not null
     * @param listener told of every rebalance; not null
     */
    public void subscribe(Consumer<?, ?> consumer, ConsumerRebalanceListener listener) {
        if (topicPattern != null) {
            consumer.subscribe(topicPattern, listener);
        } else {
            consumer.subscribe(topics, listener);
        }
    }

    /**
     * Whether the loop hands records to worker threads ({@link Ordering#KEY}, {@link Ordering#UNORDERED}, or a
     * concurrency above 1), rather than handling them on the loop thread itself.
     *
     * @return true if these options ask for worker threads
     */
    public boolean parallel() {
        return ordering != Ordering.PARTITION || concurrency > 1;
    }

    /**
     * The other client settings, passed through unchanged.
     *
     * @return an immutable map; may contain secrets, so do not log it
     */
    public Map<String, Object> properties() {
        return properties;
    }

    /** Every choice, with the values of secret settings replaced by {@code [hidden]}. */
    @Override
    public String toString() {
        return "ConsumerOptions{bootstrapServers=" + bootstrapServers + ", groupId=" + groupId
                + (topicPattern != null ? ", topicPattern=" + topicPattern : ", topics=" + topics)
                + ", offsetReset=" + offsetReset + ", groupProtocol=" + groupProtocol
                + ", isolationLevel=" + isolationLevel
                + ", commitPolicy=" + commitPolicy
                + (commitPolicy == CommitPolicy.EVERY_N_RECORDS_OR_INTERVAL
                        ? "(" + commitEveryRecords + " records or " + commitInterval + ")" : "")
                + ", retry=" + retry + ", deadLetterTimeout=" + deadLetterTimeout
                + ", maxPollRecords=" + maxPollRecords + ", pollTimeout=" + pollTimeout
                + ", startupTimeout=" + startupTimeout + ", drainTimeout=" + drainTimeout
                + (rebalanceListener == RebalanceListener.NONE ? "" : ", rebalanceListener=given")
                + (listeners.isEmpty() ? "" : ", listeners=" + listeners.size())
                + (interceptors.isEmpty() ? "" : ", interceptors=" + interceptors.size())
                + ", security=" + security().map(ClientSecurity::toString).orElse("(kafka-clients default)")
                + ", ordering=" + ordering + ", concurrency=" + concurrency
                + (parallel() ? ", maxPendingRecords=" + maxPendingRecords
                        + ", workerCommitInterval=" + workerCommitInterval : "")
                + ", properties=" + PassThroughProperties.display(properties) + "}";
    }

    /**
     * Choices for {@link ConsumerOptions}, each checked when it is set. Not thread-safe; {@link #build()} copies.
     */
    public static final class Builder {
        private final String bootstrapServers;
        private final String groupId;
        private final List<String> topics;
        private final Pattern topicPattern;
        private OffsetReset offsetReset = DEFAULT_OFFSET_RESET;
        private GroupProtocol groupProtocol = DEFAULT_GROUP_PROTOCOL;
        private IsolationLevel isolationLevel = DEFAULT_ISOLATION_LEVEL;
        private CommitPolicy commitPolicy = DEFAULT_COMMIT_POLICY;
        private int commitEveryRecords = DEFAULT_COMMIT_EVERY_RECORDS;
        private Duration commitInterval = DEFAULT_COMMIT_INTERVAL;
        private RetryPolicy retry = RetryPolicy.defaults();
        private UnaryOperator<String> deadLetterTopic = topic -> topic + DEFAULT_DEAD_LETTER_SUFFIX;
        private Duration deadLetterTimeout = DEFAULT_DEAD_LETTER_TIMEOUT;
        private int maxPollRecords = DEFAULT_MAX_POLL_RECORDS;
        private Duration pollTimeout = DEFAULT_POLL_TIMEOUT;
        private Duration startupTimeout = DEFAULT_STARTUP_TIMEOUT;
        private Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;
        private Duration workerCommitInterval = DEFAULT_WORKER_COMMIT_INTERVAL;
        private RebalanceListener rebalanceListener = RebalanceListener.NONE;
        private final List<LoopListener> listeners = new java.util.ArrayList<>();
        private final List<HandlerInterceptor> interceptors = new java.util.ArrayList<>();
        private ClientSecurity security;
        private Ordering ordering = DEFAULT_ORDERING;
        private int concurrency = DEFAULT_CONCURRENCY;
        private int maxPendingRecords = DEFAULT_MAX_PENDING_RECORDS;
        private final Map<String, Object> properties = new LinkedHashMap<>();

        private Builder(String bootstrapServers, String groupId, List<String> topics, Pattern topicPattern) {
            this.bootstrapServers = PassThroughProperties.bootstrapServers(bootstrapServers);
            this.groupId = OptionChecks.notBlank(groupId, "groupId");
            this.topics = topics;
            this.topicPattern = topicPattern;
        }

        /**
         * Where the group starts on a partition it has no committed offset for.
         *
         * @param offsetReset the choice; not null
         * @return this builder
         */
        public Builder offsetReset(OffsetReset offsetReset) {
            this.offsetReset = Objects.requireNonNull(offsetReset, "offsetReset");
            return this;
        }

        /**
         * The rebalance protocol: {@link GroupProtocol#CLASSIC} (with the cooperative-sticky assignor) or
         * {@link GroupProtocol#CONSUMER} (KIP-848, broker-side assignment).
         *
         * @param groupProtocol the choice; not null
         * @return this builder
         */
        public Builder groupProtocol(GroupProtocol groupProtocol) {
            this.groupProtocol = Objects.requireNonNull(groupProtocol, "groupProtocol");
            return this;
        }

        /**
         * Which records written in transactions the loop reads. A transactional producer's records are stored in
         * the partition as they are sent, before the transaction ends, and a marker written at its end says
         * whether it was committed or aborted.
         * <ul>
         *   <li>{@link IsolationLevel#READ_UNCOMMITTED} (the default, as in kafka-clients): every record, as soon
         *   as it is stored, also those of transactions still open and of transactions that were aborted later;
         *   a handler may then act on records that, as far as their producer is concerned, never happened.</li>
         *   <li>{@link IsolationLevel#READ_COMMITTED}: only records of committed transactions (and records written
         *   without one), each once its transaction has committed. A partition is read only up to its <em>last
         *   stable offset</em>, the first record of a transaction still open: one slow transaction holds back
         *   the records after it, also non-transactional ones, until it ends.</li>
         * </ul>
         * Either way the committed offsets count the markers too: a loop that has read everything commits the
         * log's end offset, not the offset after the last record it handled.
         *
         * @param isolationLevel the choice; not null
         * @return this builder
         */
        public Builder isolationLevel(IsolationLevel isolationLevel) {
            this.isolationLevel = Objects.requireNonNull(isolationLevel, "isolationLevel");
            return this;
        }

        /**
         * When the loop commits; see {@link CommitPolicy} for what each choice guarantees and costs.
         *
         * @param commitPolicy the choice; not null
         * @return this builder
         */
        public Builder commitPolicy(CommitPolicy commitPolicy) {
            this.commitPolicy = Objects.requireNonNull(commitPolicy, "commitPolicy");
            return this;
        }

        /**
         * Chooses {@link CommitPolicy#EVERY_N_RECORDS_OR_INTERVAL} with its N and T.
         *
         * @param records  N: commit once this many records were finished since the last commit; at least 1
         * @param interval T: commit once this much time passed since the last commit; positive
         * @return this builder
         * @throws IllegalArgumentException if {@code records} is less than 1 or {@code interval} is not positive
         */
        public Builder commitEvery(int records, Duration interval) {
            if (records < 1) {
                throw new IllegalArgumentException("commitEvery records must be at least 1, was " + records);
            }
            this.commitInterval = OptionChecks.positive(interval, "commitEvery interval");
            this.commitEveryRecords = records;
            this.commitPolicy = CommitPolicy.EVERY_N_RECORDS_OR_INTERVAL;
            return this;
        }

        /**
         * How records whose handler throws are retried before they go to the dead-letter topic.
         *
         * @param retry the policy; not null
         * @return this builder
         */
        public Builder retry(RetryPolicy retry) {
            this.retry = Objects.requireNonNull(retry, "retry");
            return this;
        }

        /**
         * Names the dead-letter topic for records read from each topic. The topic should exist: with the
         * broker's default {@code auto.create.topics.enable=true} it is created on first use with the broker's
         * default partition count and replication, which production clusters usually forbid.
         *
         * @param nameForTopic from a record's topic to its dead-letter topic, such as
         *                     {@code topic -> "dead-letters"}; must return a valid topic name; not null
         * @return this builder
         */
        public Builder deadLetterTopic(UnaryOperator<String> nameForTopic) {
            this.deadLetterTopic = Objects.requireNonNull(nameForTopic, "nameForTopic");
            return this;
        }

        /**
         * How long the loop waits for the dead-letter topic to acknowledge a record. When it passes, the loop
         * stops rather than commit a record that may not have been saved. Keep it well below
         * {@code max.poll.interval.ms}.
         *
         * @param timeout positive; not null
         * @return this builder
         * @throws IllegalArgumentException if {@code timeout} is not positive or longer than
         *                                  {@code Integer.MAX_VALUE} milliseconds
         */
        public Builder deadLetterTimeout(Duration timeout) {
            this.deadLetterTimeout = OptionChecks.positiveIntMillis(timeout, "deadLetterTimeout");
            return this;
        }

        /**
         * The most records one poll hands over: a smaller batch means less repeated work after a crash with
         * {@link CommitPolicy#PER_BATCH} and less time between polls.
         *
         * @param maxPollRecords at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code maxPollRecords} is less than 1
         */
        public Builder maxPollRecords(int maxPollRecords) {
            if (maxPollRecords < 1) {
                throw new IllegalArgumentException("maxPollRecords must be at least 1, was " + maxPollRecords);
            }
            this.maxPollRecords = maxPollRecords;
            return this;
        }

        /**
         * How long one poll waits for records when none are there. {@link CommitLoop#close()} does not wait
         * for it: it wakes the consumer up.
         *
         * @param pollTimeout positive; not null
         * @return this builder
         * @throws IllegalArgumentException if {@code pollTimeout} is not positive
         */
        public Builder pollTimeout(Duration pollTimeout) {
            this.pollTimeout = OptionChecks.positive(pollTimeout, "pollTimeout");
            return this;
        }

        /**
         * How long a starting loop waits for the cluster to answer its first request (the list of topics) before
         * {@link CommitLoop#run()} fails with a {@code TimeoutException} naming the address. Without it, a
         * consumer pointed at a wrong address polls forever, with an empty assignment and nothing said. Once the
         * cluster has answered, losing it later does not end the loop: the consumer keeps reconnecting (the
         * assignment stays, no records arrive, and the group may move the partitions away after
         * {@code session.timeout.ms}).
         *
         * @param startupTimeout positive; not null
         * @return this builder
         * @throws IllegalArgumentException if {@code startupTimeout} is not positive
         */
        public Builder startupTimeout(Duration startupTimeout) {
            this.startupTimeout = OptionChecks.positive(startupTimeout, "startupTimeout");
            return this;
        }

        /**
         * With worker threads: how long giving partitions up (in a rebalance, for a seek, at {@code close()})
         * waits for their records being handled, before it goes on without them (30 s by default). A record still
         * being handled then is abandoned: not committed, so read again by the partition's next reader; and until
         * its handler returns, no other record of its key (or, with {@code Ordering.PARTITION}, of its partition)
         * starts in this member. At close, abandoned handlers are interrupted, and {@code run()} waits up to 5 s
         * more for them to end, then logs how many it leaves running.
         *
         * @param drainTimeout positive; not null
         * @return this builder
         * @throws IllegalArgumentException if {@code drainTimeout} is not positive
         */
        public Builder drainTimeout(Duration drainTimeout) {
            this.drainTimeout = OptionChecks.positive(drainTimeout, "drainTimeout");
            return this;
        }

        /**
         * With worker threads and {@link CommitPolicy#PER_BATCH} or {@link CommitPolicy#ASYNC}: the shortest time
         * between two commits while records are being handled (5 ms by default). Records finish one by one on
         * the workers, not a poll at a time, so the loop commits each partition's finished prefix as soon as it
         * has moved and this long has passed since the last commit, whether or not new records arrive; once no
         * record is being handled, it commits what is finished at once. A crash then repeats what finished in
         * the last interval plus what was being handled. Shorter means fewer repeats after a crash and more
         * commit requests (each a round trip that the loop thread waits for with {@code PER_BATCH}); longer, the
         * reverse. Unused when the loop thread handles records itself.
         *
         * @param interval positive; not null
         * @return this builder
         * @throws IllegalArgumentException if {@code interval} is not positive
         */
        public Builder workerCommitInterval(Duration interval) {
            this.workerCommitInterval = OptionChecks.positive(interval, "workerCommitInterval");
            return this;
        }

        /**
         * Adds a listener told what the loop does (records handled, failed attempts, dead letters, commits,
         * rebalances, pauses, the stop): for metrics or a live view. May be called several times; listeners are
         * told in the order added. See {@link LoopListener} for the threads each call runs on. With none, the
         * loop does not measure anything for them.
         *
         * @param listener thread-safe, quick; not null
         * @return this builder
         */
        public Builder listener(LoopListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Adds an interceptor that runs around each call of the record handler, on the handler's thread: to make
         * the call a span of the trace the record carries, or to put the record in the logging context. May be
         * called several times; the first added runs outermost. It must call the handler exactly once and let its
         * exception through: see {@link HandlerInterceptor}. Batch handlers are not intercepted.
         *
         * @param interceptor thread-safe when the handler runs on workers; not null
         * @return this builder
         */
        public Builder interceptor(HandlerInterceptor interceptor) {
            interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
            return this;
        }

        /**
         * Who to tell when a rebalance assigns, revokes or loses partitions of the loop; see
         * {@link RebalanceListener} for the thread it runs on. Every loop built from these options tells the
         * same listener: to know which of several members changed, give each its own options.
         *
         * @param listener called on the loop thread, once per change; not null
         * @return this builder
         */
        public Builder rebalanceListener(RebalanceListener listener) {
            this.rebalanceListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Which records may be handled at the same time; see {@link Ordering} for what each choice guarantees
         * and costs. With {@link Ordering#PARTITION} and a {@link #concurrency(int)} of 1 (the defaults) the
         * loop thread handles every record itself; any other combination uses worker threads, which a loop
         * with a {@link BatchHandler} refuses.
         *
         * @param ordering the choice; not null
         * @return this builder
         */
        public Builder ordering(Ordering ordering) {
            this.ordering = Objects.requireNonNull(ordering, "ordering");
            return this;
        }

        /**
         * How the consumer and the dead-letter producer prove who they are and keep their traffic private: TLS,
         * a SASL login, or both; see {@link ClientSecurity}. Without it they use PLAINTEXT, kafka-clients' default.
         *
         * @param security the security settings, checked when they were made; not null
         * @return this builder
         */
        public Builder security(ClientSecurity security) {
            this.security = Objects.requireNonNull(security, "security");
            return this;
        }

        /**
         * How many records may be handled at the same time: the number of worker threads, each calling the
         * handler for one record at a time. Above 1, the handler must be safe to call from several threads at
         * once. More threads help only when records may run side by side ({@link #ordering(Ordering)}) and the
         * handler mostly waits (for a database, a service); they do not make a busy CPU faster.
         *
         * @param concurrency at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code concurrency} is less than 1
         */
        public Builder concurrency(int concurrency) {
            if (concurrency < 1) {
                throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
            }
            this.concurrency = concurrency;
            return this;
        }

        /**
         * How many records a loop with worker threads holds at most: waiting for their key or partition, being
         * handled, or finished but not yet committable because an older record of their partition is not. When
         * it holds this many, it pauses fetching (it keeps polling, so it stays in the group) until the oldest
         * records are finished; one poll may bring up to {@link #maxPollRecords(int)} more. The bound keeps a
         * slow key from filling the heap, and limits what a crash repeats. Unused when the loop thread handles
         * records itself.
         *
         * @param maxPendingRecords at least 1, and at least the concurrency (checked by {@link #build()})
         * @return this builder
         * @throws IllegalArgumentException if {@code maxPendingRecords} is less than 1
         */
        public Builder maxPendingRecords(int maxPendingRecords) {
            if (maxPendingRecords < 1) {
                throw new IllegalArgumentException("maxPendingRecords must be at least 1, was " + maxPendingRecords);
            }
            this.maxPendingRecords = maxPendingRecords;
            return this;
        }

        /**
         * Passes any other client setting through, such as {@code max.poll.interval.ms} or
         * {@code fetch.max.bytes}; see {@link ConsumerConfig} for their names.
         *
         * @param name  the setting, preferably a {@code ConsumerConfig.*_CONFIG} constant; not blank
         * @param value its value, as Kafka accepts it (text, number, boolean, class, list); not null
         * @return this builder
         * @throws IllegalArgumentException if {@code name} is blank, is a setting these options choose
         *                                  themselves (such as {@code group.id} or {@code auto.offset.reset}), or
         *                                  asks for auto-commit ({@code enable.auto.commit=true})
         */
        public Builder property(String name, Object value) {
            ConsumerPropertyRules.check(name, value);
            properties.put(name, value);
            return this;
        }

        /**
         * The options.
         *
         * @return new immutable options
         * @throws IllegalArgumentException if a passed-through setting does not fit the group protocol:
         *                                  {@code partition.assignment.strategy}, {@code session.timeout.ms} or
         *                                  {@code heartbeat.interval.ms} with {@link GroupProtocol#CONSUMER},
         *                                  {@code group.remote.assignor} with {@link GroupProtocol#CLASSIC}; if
         *                                  one sets what {@link #security(ClientSecurity)} sets; or if
         *                                  {@code maxPendingRecords} is less than the concurrency, which would keep
         *                                  worker threads idle for good
         */
        public ConsumerOptions build() {
            if (maxPendingRecords < concurrency) {
                throw new IllegalArgumentException("maxPendingRecords must be at least the concurrency, was "
                        + maxPendingRecords + " with concurrency " + concurrency);
            }
            PassThroughProperties.checkNotAlsoInSecurity(properties, security);
            ConsumerPropertyRules.checkFitsProtocol(properties, groupProtocol);
            return new ConsumerOptions(this);
        }
    }
}
