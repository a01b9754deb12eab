package dev.kafkaprimer.examples.bench;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The handler of both sides' consumers: counts events, times the span from the first to the last expected
 * one, and, for latency runs, keeps each event's end-to-end latency. Events with a negative {@code seq} only
 * show that the consumer is reading (see {@link #awaitStarted}); they are not counted.
 *
 * <p>Thread-safe: a loop with worker threads calls {@link #accept} from all of them at once. The count is an
 * atomic, so no lock is shared by the workers (a lock would make the sink, not the loop, what the bench
 * measures). Latencies are kept only by sequential loops ({@link LatencyRace}), where one thread writes them.
 */
final class RecordSink {

    private final int expected;
    private final long[] latencies;
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch done = new CountDownLatch(1);
    private final AtomicInteger count = new AtomicInteger();
    private volatile long firstNanos;
    private volatile long lastNanos;
    private volatile Throwable failure;

    private RecordSink(int expected, boolean timeEach) {
        this.expected = expected;
        this.latencies = timeEach ? new long[expected] : null;
    }

    /** Counts {@code expected} events. */
    static RecordSink counting(int expected) {
        return new RecordSink(expected, false);
    }

    /** Counts {@code expected} events and keeps the latency of each, from its {@code sentNanos}. */
    static RecordSink timing(int expected) {
        return new RecordSink(expected, true);
    }

    void accept(BenchEvent event) {
        long now = System.nanoTime();
        if (event.seq() < 0) {
            started.countDown();
            return;
        }
        int number = count.incrementAndGet();
        if (number > expected) {
            return;  // a redelivery after the run was complete; it changes nothing measured
        }
        if (number == 1) {
            firstNanos = now;
        }
        if (latencies != null) {
            latencies[number - 1] = now - event.sentNanos();
        }
        if (number == expected) {
            lastNanos = now;
            done.countDown();
        }
    }

    /** The consumer stopped with an error: ends every wait at once. */
    void fail(Throwable error) {
        failure = error;
        started.countDown();
        done.countDown();
    }

    /** Waits for the first start-up event (negative {@code seq}); false if {@code timeout} passed first. */
    boolean awaitStarted(Duration timeout) throws InterruptedException {
        boolean seen = started.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        throwIfFailed();
        return seen;
    }

    /**
     * Waits until every expected event was handled.
     *
     * @throws IllegalStateException if {@code timeout} passed first, or the consumer failed
     */
    void awaitAll(Duration timeout) throws InterruptedException {
        boolean complete = done.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        throwIfFailed();
        if (!complete) {
            throw new IllegalStateException("only " + Math.min(count.get(), expected) + " of " + expected
                    + " records were handled within " + timeout.toSeconds() + " s");
        }
    }

    /** Nanoseconds from the first expected event to the last; call after {@link #awaitAll}. */
    long spanNanos() {
        return Math.max(1, lastNanos - firstNanos);
    }

    /** The latencies kept; call after {@link #awaitAll} on a {@link #timing} sink. */
    Latencies latencies() {
        return Latencies.of(latencies.clone());
    }

    private void throwIfFailed() {
        if (failure != null) {
            throw new IllegalStateException("the consumer stopped: " + failure, failure);
        }
    }
}
