package dev.kafkaprimer.examples.cli;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;

import org.apache.kafka.common.errors.RetriableException;

/**
 * How examples wait for the cluster to change (a new leader, a deleted segment): poll with a deadline, and let
 * the example say what did not happen in time. Never forever, never a bare sleep in place of a condition.
 *
 * <p>Thread-safe (stateless).
 */
public final class WaitFor {

    private static final long POLL_INTERVAL_MS = 100;

    private WaitFor() {
    }

    /**
     * Calls {@code probe} every 100 ms until its value passes {@code accept}.
     *
     * <p>An error Kafka marks as transient ({@link RetriableException}, also inside an
     * {@link ExecutionException}) counts as "not yet": a topic created a moment ago, for instance, is unknown to
     * some brokers until the controller's news reaches them. Any other error ends the wait.
     *
     * @return that value, or empty if {@code timeout} passed first
     * @throws Exception any other error of {@code probe}, or its last transient one if the deadline passed with it
     */
    public static <T> Optional<T> until(Duration timeout, Callable<T> probe, Predicate<T> accept) throws Exception {
        return until(timeout, probe, accept, Duration.ofMillis(POLL_INTERVAL_MS));
    }

    /**
     * As {@link #until(Duration, Callable, Predicate)}, calling {@code probe} every {@code interval}: for a
     * measurement whose end is seen through the probe, which a shorter interval sees sooner.
     */
    public static <T> Optional<T> until(Duration timeout, Callable<T> probe, Predicate<T> accept, Duration interval)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Exception transientError = null;
            try {
                T value = probe.call();
                if (accept.test(value)) {
                    return Optional.of(value);
                }
            } catch (RetriableException e) {
                transientError = e;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException)) {
                    throw e;
                }
                transientError = e;
            }
            if (System.nanoTime() >= deadline) {
                if (transientError != null) {
                    throw transientError;
                }
                return Optional.empty();
            }
            Thread.sleep(interval.toMillis());
        }
    }
}
