package dev.kafkaprimer.core.consumer;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

import org.apache.kafka.common.errors.SerializationException;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.kafkaprimer.core.consumer.internal.FailureChain;

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
 * <p><b>Which failures are retried.</b> A retry helps only a failure that may pass: a timeout, a service that
 * is restarting, a lock. A record whose data is bad fails the same way on every attempt, and retrying it only
 * holds its partition up. So some exception types are never retried: the record goes to the dead-letter topic
 * after its first attempt. By default these are {@link #DEFAULT_NOT_RETRYABLE}:
 * <ul>
 *   <li>Kafka's {@code SerializationException}: bytes that cannot be read (or written) as the type asked for;</li>
 *   <li>Jackson's {@code JsonProcessingException} (and so {@code JsonMappingException}): JSON that is broken, or
 *       does not fit the class it is read into;</li>
 *   <li>{@code ClassCastException}: a value of another type than the code expects;</li>
 *   <li>{@code IllegalArgumentException} (and so {@code NumberFormatException}) and
 *       {@code DateTimeParseException}: a value the code refuses, such as a negative amount or a date in
 *       another format.</li>
 * </ul>
 * {@link Builder#notRetryable(Class[])} adds types, {@link Builder#clearNotRetryable()} removes them all (the
 * defaults too), and {@link Builder#retryOnly(Class[])} turns it round: only those types are retried, all
 * others go to the dead-letter topic at once. The whole cause chain is searched, not only the exception the
 * handler threw: an {@code UncheckedIOException} around a {@code JsonProcessingException} is not retried, and
 * with {@code retryOnly(SQLTransientException.class)} a {@code RuntimeException} around one is. A type that is
 * not retryable wins over one that is retried only: bad data stays bad. {@link #isRetryable(Throwable)} is the
 * rule.
 * <pre>{@code
 * RetryPolicy retry = RetryPolicy.builder()
 *         .notRetryable(InsufficientFundsException.class)   // a business rule: another attempt changes nothing
 *         .build();
 * }</pre>
 * Two exceptions are not failures of the record at all, wherever they are in the chain: a
 * {@link StopProcessingException} stops the loop, and an interrupt ({@code InterruptedException}, or Kafka's
 * {@code InterruptException}) stops it too, since the thread is being asked to end.
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
    /** The exception types never retried by default: bad data, which fails the same way on every attempt. */
    public static final Set<Class<? extends Throwable>> DEFAULT_NOT_RETRYABLE = Set.of(
            SerializationException.class, JsonProcessingException.class, ClassCastException.class,
            IllegalArgumentException.class, DateTimeParseException.class);

    private final int maxAttempts;
    private final Duration initialDelay;
    private final double multiplier;
    private final Duration maxDelay;
    private final Set<Class<? extends Throwable>> notRetryable;
    private final Set<Class<? extends Throwable>> retryOnly;

    private RetryPolicy(Builder builder) {
        this.maxAttempts = builder.maxAttempts;
        this.initialDelay = builder.initialDelay;
        this.multiplier = builder.multiplier;
        this.maxDelay = builder.maxDelay;
        this.notRetryable = Set.copyOf(builder.notRetryable);
        this.retryOnly = Set.copyOf(builder.retryOnly);
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
     * The exception types never retried: a failure with one of them in its cause chain goes to the dead-letter
     * topic after its first attempt.
     *
     * @return an unmodifiable set; {@link #DEFAULT_NOT_RETRYABLE} unless the builder changed it
     */
    public Set<Class<? extends Throwable>> notRetryable() {
        return notRetryable;
    }

    /**
     * The only exception types retried, if any were named: a failure without one of them in its cause chain goes
     * to the dead-letter topic after its first attempt.
     *
     * @return an unmodifiable set; empty (the default) when every type not in {@link #notRetryable()} is retried
     */
    public Set<Class<? extends Throwable>> retryOnly() {
        return retryOnly;
    }

    /**
     * Whether a handler's failure is worth another attempt, if attempts are left: no exception of its cause
     * chain is {@linkplain #notRetryable() not retryable}, and, when {@linkplain #retryOnly() only some types are
     * retried}, one of them is in the chain.
     *
     * @param failure what the handler threw; not null
     * @return true to retry it, false to send the record to the dead-letter topic now
     */
    public boolean isRetryable(Throwable failure) {
        Objects.requireNonNull(failure, "failure");
        if (FailureChain.containsAny(failure, notRetryable)) {
            return false;
        }
        return retryOnly.isEmpty() || FailureChain.containsAny(failure, retryOnly);
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
                + multiplier + ", maxDelay=" + maxDelay + ", notRetryable=" + names(notRetryable)
                + (retryOnly.isEmpty() ? "" : ", retryOnly=" + names(retryOnly)) + "}";
    }

    private static String names(Set<Class<? extends Throwable>> types) {
        return types.stream().map(Class::getSimpleName).sorted().toList().toString();
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
        private final Set<Class<? extends Throwable>> notRetryable = new LinkedHashSet<>(DEFAULT_NOT_RETRYABLE);
        private final Set<Class<? extends Throwable>> retryOnly = new LinkedHashSet<>();

        private Builder() {
        }

        /**
         * Adds exception types that are never retried, to the {@linkplain #DEFAULT_NOT_RETRYABLE defaults} or
         * whatever was added before; subclasses count too.
         *
         * @param types exception types, such as a business rule's own exception; none null
         * @return this builder
         */
        @SafeVarargs
        public final Builder notRetryable(Class<? extends Throwable>... types) {
            for (Class<? extends Throwable> type : types) {
                notRetryable.add(Objects.requireNonNull(type, "a not-retryable type"));
            }
            return this;
        }

        /**
         * Removes every not-retryable type, the defaults included: then every failure is retried (unless
         * {@link #retryOnly(Class[])} says otherwise), bad data too. Types added after this call count.
         *
         * @return this builder
         */
        public Builder clearNotRetryable() {
            notRetryable.clear();
            return this;
        }

        /**
         * Retries only failures with one of these types (or a subclass) in their cause chain; every other failure
         * goes to the dead-letter topic after its first attempt. Calling it again adds types. The not-retryable
         * types still win.
         *
         * @param types the exception types worth retrying, such as {@code SQLTransientException}; none null
         * @return this builder
         */
        @SafeVarargs
        public final Builder retryOnly(Class<? extends Throwable>... types) {
            for (Class<? extends Throwable> type : types) {
                retryOnly.add(Objects.requireNonNull(type, "a retryable type"));
            }
            return this;
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
