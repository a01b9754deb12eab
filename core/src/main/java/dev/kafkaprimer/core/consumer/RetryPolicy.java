package dev.kafkaprimer.core.consumer;

import java.time.Duration;
import java.util.Objects;

/**
 * How often, and how patiently, a {@link CommitLoop} retries a record whose handler threw: bounded
 * exponential backoff. The first attempt is followed, after each failure, by a wait of
 * {@code initialDelay × multiplier^(failures - 1)}, never more than {@code maxDelay}, until
 * {@code maxAttempts} attempts have failed; the record then goes to the dead-letter topic.
 *
 * <pre>{@code
 * RetryPolicy retry = RetryPolicy.builder()
 *         .maxAttempts(4)                         // 1 attempt + 3 retries
 *         .initialDelay(Duration.ofMillis(100))   // waits 100 ms, 200 ms, 400 ms
 *         .multiplier(2.0)
 *         .maxDelay(Duration.ofSeconds(1))
 *         .build();
 * }</pre>
 *
 * <p>While it waits, the loop keeps polling (with its partitions paused), so the group does not consider the
 * consumer dead however long the delays are; but every partition of the consumer waits with the failing
 * record. Keep retries for failures that may pass in seconds (a restarting service, a lock).
 *
 * <p>Immutable and thread-safe.
 */
public final class RetryPolicy {

    /** Attempts per record by default: the first, and two retries. */
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    /** Wait before the first retry by default. */
    public static final Duration DEFAULT_INITIAL_DELAY = Duration.ofMillis(200);
    /** Growth of the wait from one retry to the next by default. */
    public static final double DEFAULT_MULTIPLIER = 2.0;
    /** Longest wait between two attempts by default. */
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(5);

    private final int maxAttempts;
    private final Duration initialDelay;
    private final double multiplier;
    private final Duration maxDelay;

    private RetryPolicy(Builder builder) {
        this.maxAttempts = builder.maxAttempts;
        this.initialDelay = builder.initialDelay;
        this.multiplier = builder.multiplier;
        this.maxDelay = builder.maxDelay;
    }

    /**
     * The default policy: {@value #DEFAULT_MAX_ATTEMPTS} attempts, waits from 200 ms doubling up to 5 s.
     *
     * @return the default policy
     */
    public static RetryPolicy defaults() {
        return builder().build();
    }

    /**
     * One attempt only: a failing record goes to the dead-letter topic at once.
     *
     * @return a policy without retries
     */
    public static RetryPolicy noRetries() {
        return builder().maxAttempts(1).build();
    }

    /**
     * A builder starting from the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Attempts per record, the first one included.
     *
     * @return at least 1
     */
    public int maxAttempts() {
        return maxAttempts;
    }

    /**
     * The wait after the first failed attempt.
     *
     * @return zero or more
     */
    public Duration initialDelay() {
        return initialDelay;
    }

    /**
     * The factor each further wait grows by.
     *
     * @return at least 1
     */
    public double multiplier() {
        return multiplier;
    }

    /**
     * The longest wait between two attempts.
     *
     * @return at least {@link #initialDelay()}
     */
    public Duration maxDelay() {
        return maxDelay;
    }

    /**
     * The wait after the given failed attempt, before the next one.
     *
     * @param failedAttempts how many attempts have failed so far, at least 1
     * @return {@code initialDelay × multiplier^(failedAttempts - 1)}, at most {@link #maxDelay()}
     * @throws IllegalArgumentException if {@code failedAttempts} is less than 1
     */
    public Duration delayAfter(int failedAttempts) {
        if (failedAttempts < 1) {
            throw new IllegalArgumentException("failedAttempts must be at least 1, was " + failedAttempts);
        }
        double nanos = initialDelay.toNanos() * Math.pow(multiplier, failedAttempts - 1);
        return nanos >= maxDelay.toNanos() ? maxDelay : Duration.ofNanos((long) nanos);
    }

    @Override
    public String toString() {
        return "RetryPolicy{maxAttempts=" + maxAttempts + ", initialDelay=" + initialDelay + ", multiplier="
                + multiplier + ", maxDelay=" + maxDelay + "}";
    }

    /**
     * Choices for a {@link RetryPolicy}; each setter checks its value at once. Not thread-safe;
     * {@link #build()} copies.
     */
    public static final class Builder {
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration initialDelay = DEFAULT_INITIAL_DELAY;
        private double multiplier = DEFAULT_MULTIPLIER;
        private Duration maxDelay = DEFAULT_MAX_DELAY;

        private Builder() {
        }

        /**
         * Attempts per record, the first one included: 1 means no retry.
         *
         * @param maxAttempts at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code maxAttempts} is less than 1
         */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /**
         * The wait after the first failed attempt.
         *
         * @param initialDelay zero or more; not null
         * @return this builder
         * @throws IllegalArgumentException if {@code initialDelay} is negative
         */
        public Builder initialDelay(Duration initialDelay) {
            this.initialDelay = notNegative(initialDelay, "initialDelay");
            return this;
        }

        /**
         * The factor each wait grows by: 1 keeps it constant, 2 doubles it.
         *
         * @param multiplier a finite number, at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code multiplier} is below 1, infinite or NaN
         */
        public Builder multiplier(double multiplier) {
            if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
                throw new IllegalArgumentException("multiplier must be a finite number >= 1, was " + multiplier);
            }
            this.multiplier = multiplier;
            return this;
        }

        /**
         * The longest wait between two attempts; it must not be less than the initial delay.
         *
         * @param maxDelay zero or more; not null
         * @return this builder
         * @throws IllegalArgumentException if {@code maxDelay} is negative
         */
        public Builder maxDelay(Duration maxDelay) {
            this.maxDelay = notNegative(maxDelay, "maxDelay");
            return this;
        }

        /**
         * The policy.
         *
         * @return a new immutable policy
         * @throws IllegalArgumentException if the max delay is less than the initial delay
         */
        public RetryPolicy build() {
            if (maxDelay.compareTo(initialDelay) < 0) {
                throw new IllegalArgumentException("maxDelay must be >= initialDelay, was maxDelay=" + maxDelay
                        + " with initialDelay=" + initialDelay);
            }
            return new RetryPolicy(this);
        }

        private static Duration notNegative(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative, was " + value);
            }
            return value;
        }
    }
}
