package dev.kafkaprimer.core.consumer.internal;

import java.time.Duration;

import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kafkaprimer.core.consumer.RetryPolicy;

/**
 * The sequential loop's retries: how many attempts a record (or batch) gets, from the {@link RetryPolicy}, and
 * the wait before the next one, which keeps the consumer polling so the group does not drop it. Loop thread
 * only.
 */
final class RetryBackoff {

    /** Waits before a retry while keeping the consumer alive; false if the partition left us meanwhile. */
    @FunctionalInterface
    interface RetryWait {
        boolean await(TopicPartition partition, Duration delay);
    }

    private static final Logger LOG = LoggerFactory.getLogger(RetryBackoff.class);

    private final RetryPolicy policy;
    private final RetryWait wait;

    RetryBackoff(RetryPolicy policy, RetryWait wait) {
        this.policy = policy;
        this.wait = wait;
    }

    /**
     * Whether the loop gives up on what failed after attempt number {@code attempt} (from 1): it was the last
     * attempt the policy allows, or the failure is one the policy does not retry (logged here, as no retry
     * follows to explain it).
     *
     * @param what    what failed, for the log, such as {@code orders-0 offset 41}
     * @param failure why
     */
    boolean givesUp(int attempt, String what, Throwable failure) {
        return givesUp(policy, attempt, what, failure);
    }

    /** {@link #givesUp(int, String, Throwable)} for the given policy: the parallel engine's rule too. */
    static boolean givesUp(RetryPolicy policy, int attempt, String what, Throwable failure) {
        if (attempt >= policy.maxAttempts()) {
            return true;
        }
        if (!policy.isRetryable(failure)) {
            LOG.warn("Attempt {} failed for {} with a failure that is not retried (RetryPolicy.notRetryable/"
                    + "retryOnly): {}", attempt, what, failure.toString());
            return true;
        }
        return false;
    }

    /**
     * Logs failed attempt number {@code attempt} and waits out the delay before the next one.
     *
     * @param what    what failed, for the log, such as {@code orders-0 offset 41}
     * @param failure why, for the log
     * @return true to try again; false if {@code partition} was revoked or the loop is closing meanwhile: the
     *         work is then given up unfinished, and the partition's next reader does it again
     */
    boolean awaitNextAttempt(int attempt, TopicPartition partition, String what, Throwable failure) {
        Duration delay = policy.delayAfter(attempt);
        LOG.warn("Attempt {} of {} failed for {}, retrying in {} ms: {}", attempt, policy.maxAttempts(), what,
                delay.toMillis(), failure.toString());
        return wait.await(partition, delay);
    }
}
