package dev.kafkaprimer.examples.cli;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

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
     * @return that value, or empty if {@code timeout} passed first
     * @throws Exception whatever {@code probe} throws: a failing probe is a failure, not a "not yet"
     */
    public static <T> Optional<T> until(Duration timeout, Callable<T> probe, Predicate<T> accept) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T value = probe.call();
            if (accept.test(value)) {
                return Optional.of(value);
            }
            if (System.nanoTime() >= deadline) {
                return Optional.empty();
            }
            Thread.sleep(POLL_INTERVAL_MS);
        }
    }
}
