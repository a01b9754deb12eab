package dev.kafkaprimer.testkit;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Waits for a condition with a deadline, the way broker tests should wait: never a bare sleep, never forever.
 *
 * <pre>{@code
 * int leader = Await.until(Duration.ofSeconds(30), "a new leader for partition 0",
 *         () -> leaderOf(admin, topic, 0), id -> id != -1 && id != stoppedNode);
 * }</pre>
 *
 * <p>Thread-safe (stateless).
 */
public final class Await {

    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);

    private Await() {
    }

    /**
     * Polls {@code condition} until it returns true.
     *
     * @throws AssertionError naming {@code description} if the deadline passes first
     */
    public static void until(Duration timeout, String description, Supplier<Boolean> condition) {
        until(timeout, description, condition, Boolean.TRUE::equals);
    }

    /**
     * Polls {@code probe} until its value passes {@code accept}, and returns that value. An exception from
     * the probe counts as "not yet" (a broker that is still electing a leader answers with errors) and is
     * reported if the deadline passes.
     *
     * @throws AssertionError naming {@code description} and the last value or error if the deadline passes
     */
    public static <T> T until(Duration timeout, String description, Supplier<T> probe,
                              java.util.function.Predicate<T> accept) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = null;
        RuntimeException lastError = null;
        while (true) {
            try {
                last = probe.get();
                lastError = null;
                if (accept.test(last)) {
                    return last;
                }
            } catch (RuntimeException e) {
                lastError = e;
            }
            if (System.nanoTime() >= deadline) {
                AssertionError timedOut = new AssertionError("timed out after " + timeout.toMillis()
                        + " ms waiting for " + description + "; last seen: " + (lastError != null ? lastError : last));
                if (lastError != null) {
                    timedOut.initCause(lastError);
                }
                throw timedOut;
            }
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_INTERVAL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting", e);
        }
    }
}
