package dev.kafkaprimer.core.consumer;

import java.time.Duration;
import java.util.Objects;

/**
 * How a transactional {@link CommitLoop} runs its transactions: the producer's {@code transactional.id}, how long
 * one transaction gathers records before it commits, and how long the broker lets one stay open.
 *
 * <pre>{@code
 * TransactionOptions transactions = TransactionOptions.builder("balance-processor-" + podName)
 *         .commitInterval(Duration.ofMillis(100))
 *         .build();
 * }</pre>
 *
 * <p><b>Which transactional id.</b> Since Kafka 2.5 (KIP-447) a zombie, a member that lost its partitions but
 * does not know yet, is fenced by the <em>group metadata</em> sent with the offsets: the group coordinator refuses
 * a transaction's offsets from a member of an older generation, so the transaction cannot commit. Before KIP-447
 * only the {@code transactional.id} fenced zombies, and applications needed one producer, with an id derived
 * from the partition, per input partition. Now one producer per member is enough, and its id only needs to be
 * <em>stable across restarts of the same instance</em> (a pod name, a host and slot number) and unique among the
 * running instances: when a crashed instance restarts with the same id, {@code initTransactions()} aborts the
 * transaction it left open at once. With a new random id per start, that transaction instead stays open until
 * {@linkplain Builder#transactionTimeout(Duration) the transaction timeout} passes, and {@code read_committed}
 * readers of its output partitions, and the member that takes over its input partitions, wait that long.
 * Two running instances with the same id fence each other: the older one stops with
 * {@code ProducerFencedException}.
 *
 * <p>Immutable and thread-safe.
 */
public final class TransactionOptions {

    /** How long a transaction gathers records by default before it commits: Kafka Streams' exactly-once default. */
    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofMillis(100);
    /** How long the broker lets a transaction stay open by default: kafka-clients' {@code transaction.timeout.ms}. */
    public static final Duration DEFAULT_TRANSACTION_TIMEOUT = Duration.ofMinutes(1);

    private final String transactionalId;
    private final Duration commitInterval;
    private final Duration transactionTimeout;

    private TransactionOptions(Builder builder) {
        this.transactionalId = builder.transactionalId;
        this.commitInterval = builder.commitInterval;
        this.transactionTimeout = builder.transactionTimeout;
    }

    /**
     * Starts options for a loop whose producer has {@code transactionalId}.
     *
     * @param transactionalId stable across restarts of this instance, unique among running ones (see above);
     *                        not blank
     * @return a builder with the defaults
     * @throws IllegalArgumentException if {@code transactionalId} is blank
     */
    public static Builder builder(String transactionalId) {
        return new Builder(transactionalId);
    }

    /**
     * The producer's {@code transactional.id}.
     *
     * @return the id, not blank
     */
    public String transactionalId() {
        return transactionalId;
    }

    /**
     * How long one transaction gathers records before it commits.
     *
     * @return a positive duration
     */
    public Duration commitInterval() {
        return commitInterval;
    }

    /**
     * How long the transaction coordinator lets a transaction stay open: the producer's
     * {@code transaction.timeout.ms}.
     *
     * @return a duration of at least 1 s
     */
    public Duration transactionTimeout() {
        return transactionTimeout;
    }

    @Override
    public String toString() {
        return "TransactionOptions{transactionalId=" + transactionalId + ", commitInterval=" + commitInterval
                + ", transactionTimeout=" + transactionTimeout + "}";
    }

    /** Builds {@link TransactionOptions}; not thread-safe. */
    public static final class Builder {

        private final String transactionalId;
        private Duration commitInterval = DEFAULT_COMMIT_INTERVAL;
        private Duration transactionTimeout = DEFAULT_TRANSACTION_TIMEOUT;

        private Builder(String transactionalId) {
            Objects.requireNonNull(transactionalId, "transactionalId");
            if (transactionalId.isBlank()) {
                throw new IllegalArgumentException("transactionalId must not be blank, was '" + transactionalId + "'");
            }
            this.transactionalId = transactionalId;
        }

        /**
         * How long one transaction gathers records before it commits, like Kafka Streams' {@code commit.interval.ms}.
         * Each commit costs a few round trips to the transaction coordinator and writes a marker into every
         * partition the transaction touched, so longer transactions cost less per record; but a
         * {@code read_committed} reader sees nothing of a transaction before it commits, so they also add this
         * much delay, and a crash redoes (invisibly) up to this much work.
         *
         * @param commitInterval positive, and shorter than the transaction timeout; not null
         * @return this builder
         */
        public Builder commitInterval(Duration commitInterval) {
            this.commitInterval = OptionChecks.positive(commitInterval, "commitInterval");
            return this;
        }

        /**
         * How long the transaction coordinator lets a transaction of this loop stay open before it aborts it
         * ({@code transaction.timeout.ms}): what bounds the wait for a crashed instance that does not come back
         * with its id. At most the broker's {@code transaction.max.timeout.ms} (15 minutes by default), or the
         * loop fails at start.
         *
         * @param transactionTimeout at least 1 s and longer than the commit interval; not null
         * @return this builder
         */
        public Builder transactionTimeout(Duration transactionTimeout) {
            this.transactionTimeout = OptionChecks.positive(transactionTimeout, "transactionTimeout");
            if (transactionTimeout.compareTo(Duration.ofSeconds(1)) < 0
                    || transactionTimeout.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("transactionTimeout must be between 1 s and "
                        + Integer.MAX_VALUE + " ms, was " + transactionTimeout);
            }
            return this;
        }

        /**
         * Builds the options, checking that the settings fit together.
         *
         * @return the options
         * @throws IllegalArgumentException if the commit interval is not shorter than the transaction timeout
         */
        public TransactionOptions build() {
            if (commitInterval.compareTo(transactionTimeout) >= 0) {
                throw new IllegalArgumentException("commitInterval (" + commitInterval + ") must be shorter than "
                        + "transactionTimeout (" + transactionTimeout + "), or every transaction would time out");
            }
            return new TransactionOptions(this);
        }

    }
}
