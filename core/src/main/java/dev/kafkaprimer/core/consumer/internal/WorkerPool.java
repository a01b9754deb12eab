package dev.kafkaprimer.core.consumer.internal;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.common.errors.InterruptException;

/**
 * The worker threads of a {@link ParallelEngine} and the queue their outcomes come back on. The loop thread hands
 * over at most one record per worker ({@link #submit}), and takes the outcomes ({@link #poll()},
 * {@link #await(long)}); only {@link #wake()} and {@link #isWorker(Thread)} may be called from other threads.
 *
 * <p>Lifecycle: the threads start with the first record and end at {@link #shutdownNow()}, which interrupts
 * handlers still running. They are daemon threads, so a pool the loop failed to shut down cannot keep a JVM
 * alive.
 *
 * @param <K> the type of record keys
 * @param <V> the type of record values
 */
final class WorkerPool<K, V> {

    /** What one attempt came to, as the loop thread applies it. */
    enum Result {
        /** The record is done: handled, or dead-lettered. */
        FINISHED,
        /** The handler failed and attempts are left. */
        RETRY,
        /** Processing stops at this record. */
        STOP,
        /** Something unexpected; the loop fails. */
        FAILED,
        /** Not an outcome: a call from {@link #wake()} to look at the loop's flags. */
        WAKE
    }

    /** What a worker reports about one attempt. */
    record Completion<K, V>(WorkItem<K, V> item, Result result, Throwable failure) {
    }

    /** One attempt at a record, run on a worker; never throws, the completion says what happened. */
    @FunctionalInterface
    interface Attempt<K, V> {
        Completion<K, V> run(WorkItem<K, V> item, int attempt);
    }

    private final int threads;
    private final Attempt<K, V> attempt;
    private final ThreadPoolExecutor executor;
    private final Set<Thread> workerThreads = ConcurrentHashMap.newKeySet();
    private final BlockingQueue<Completion<K, V>> completions = new LinkedBlockingQueue<>();
    private final Completion<K, V> wake = new Completion<>(null, Result.WAKE, null);

    WorkerPool(int threads, String loopThreadName, Attempt<K, V> attempt) {
        this.threads = threads;
        this.attempt = attempt;
        // Never more than one record per worker is handed over, so the queue never holds more than that.
        this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(threads), newWorkerThreads(loopThreadName));
    }

    /** How many records may be handled at once. */
    int size() {
        return threads;
    }

    /** Runs attempt number {@code number} at {@code item} on a worker; its completion comes back on the queue. */
    void submit(WorkItem<K, V> item, int number) {
        executor.execute(() -> completions.add(attempt.run(item, number)));
    }

    /** The next completion if one is there, else null. Loop thread. */
    Completion<K, V> poll() {
        return completions.poll();
    }

    /** Whether a completion is waiting. Loop thread. */
    boolean hasCompletions() {
        return !completions.isEmpty();
    }

    /**
     * Waits up to {@code nanos} for the next completion. Loop thread.
     *
     * @return it, or null if none came in time
     * @throws InterruptException if the loop thread is interrupted, as the consumer itself throws then
     */
    Completion<K, V> await(long nanos) {
        try {
            return completions.poll(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            throw new InterruptException(e);
        }
    }

    /** Ends a wait in {@link #await(long)} at once, with a {@link Result#WAKE} completion. Any thread. */
    void wake() {
        completions.add(wake);
    }

    /** Whether {@code thread} is one of these workers. Any thread. */
    boolean isWorker(Thread thread) {
        return workerThreads.contains(thread);
    }

    /** Stops the workers, interrupting handlers still running; their records are read again by the next owner. */
    void shutdownNow() {
        executor.shutdownNow();
    }

    /** After {@link #shutdownNow()}: waits up to {@code timeout} for every worker to end; false if some still run. */
    boolean awaitStopped(Duration timeout) {
        try {
            return executor.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private ThreadFactory newWorkerThreads(String loopThreadName) {
        AtomicInteger number = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, loopThreadName + "-worker-" + number.incrementAndGet());
            // The loop shuts the pool down when it ends; daemon threads cannot keep a JVM alive if it did not.
            thread.setDaemon(true);
            workerThreads.add(thread);
            return thread;
        };
    }
}
