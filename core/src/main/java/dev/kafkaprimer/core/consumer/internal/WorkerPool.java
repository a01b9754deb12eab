package dev.kafkaprimer.core.consumer.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.kafka.common.errors.InterruptException;

/**
 * The worker threads of a {@link ParallelEngine}: a queue of attempts they take from, and the queue their
 * outcomes come back on. The loop thread hands attempts over ({@link #submitAll}) and takes the outcomes
 * ({@link #poll()}, {@link #await(long)}); only {@link #wake()} and {@link #isWorker(Thread)} may be called from
 * other threads.
 *
 * <p><b>Waking workers only when it pays.</b> Waking a parked thread costs a system call and a context switch,
 * several microseconds: more than a fast handler takes. A pool that woke a worker for every record (as an
 * executor does) would spend most of its time waking threads when handlers are quick. So a worker, once awake,
 * takes attempt after attempt from the queue until it is empty, and a new attempt wakes another worker only when
 * the work queued per awake worker, estimated from how long recent attempts took, is more than
 * {@link #WAKE_AFTER}. With slow handlers (a database call) that is every attempt, as many at once as there are
 * workers; with handlers of a microsecond, one or two workers do everything and the others stay parked. An
 * attempt that suddenly takes long (one slow call among quick ones) must not hold up the attempts queued behind
 * its worker: {@link #nudge()}, which the loop thread calls at least every {@link #NUDGE_AFTER} while attempts
 * wait, wakes one more worker when the oldest has waited that long.
 *
 * <p><b>Runs.</b> What the queue holds are runs: records of one lane (a key, a partition) that must be handled
 * in order, chained by {@link WorkItem#nextInRun()}; a worker handles a run's records one after the other and
 * reports each. When one does not finish (it failed, or the loop is stopping), the rest of its run is reported
 * {@link Result#NOT_STARTED} before it, so that the loop thread has them all back when it reads that record's
 * outcome and may hand the lane out again.
 *
 * <p>Lifecycle: the threads start with the first attempt and end at {@link #shutdownNow()}, which drops the
 * attempts not yet started and interrupts handlers still running. They are daemon threads, so a pool the loop
 * failed to shut down cannot keep a JVM alive.
 *
 * @param <K> the type of record keys
 * @param <V> the type of record values
 */
final class WorkerPool<K, V> {

    /** Queued work per awake worker beyond which a new attempt wakes one more worker. */
    static final Duration WAKE_AFTER = Duration.ofNanos(50_000);
    /** How long the oldest attempt may wait in the queue before {@link #nudge()} wakes one more worker. */
    static final Duration NUDGE_AFTER = Duration.ofMillis(1);
    /** The most attempts {@link #queueAhead()} lets the loop queue beyond one per worker. */
    static final int MAX_AHEAD = 1_000;
    /** The longest run {@link #runLength()} allows. */
    static final int MAX_RUN = 500;
    /** What an attempt is assumed to take before any has been timed: long, so that every attempt wakes a worker. */
    private static final long FIRST_GUESS_NANOS = Duration.ofMillis(1).toNanos();

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
        /** Not started: an older record of its run did not finish, so it waits in its lane again. */
        NOT_STARTED,
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
    private final String namePrefix;
    private final Attempt<K, V> attempt;
    private final Set<Thread> workerThreads = ConcurrentHashMap.newKeySet();
    private final List<Thread> started = new ArrayList<>();
    private final BlockingQueue<Completion<K, V>> completions = new LinkedBlockingQueue<>();
    private final Completion<K, V> wake = new Completion<>(null, Result.WAKE, null);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition workQueued = lock.newCondition();
    /** Attempts not yet started; guarded by {@link #lock}. */
    private final ArrayDeque<WorkItem<K, V>> queue = new ArrayDeque<>();
    /** Records in the queued runs; guarded by {@link #lock}. */
    private int queuedRecords;
    /** Workers parked in {@link #workQueued}; guarded by {@link #lock}. */
    private int parked;
    /** Signals sent that no worker has taken up yet; guarded by {@link #lock}. */
    private int waking;
    /** Set by {@link #shutdownNow()}; written under {@link #lock}, read by workers without it too. */
    private volatile boolean stopping;
    /** Set by {@link #halt()}; written under {@link #lock}, read by workers without it too. */
    private volatile boolean halted;
    /**
     * A running average of how long one attempt takes, written by every worker without a lock: it is only an
     * estimate for deciding whether to wake a worker, and an update lost to a race changes nothing that matters.
     */
    private volatile long averageAttemptNanos = FIRST_GUESS_NANOS;

    WorkerPool(int threads, String loopThreadName, Attempt<K, V> attempt) {
        this.threads = threads;
        this.namePrefix = loopThreadName + "-worker-";
        this.attempt = attempt;
    }

    /** How many records may be handled at once. */
    int size() {
        return threads;
    }

    /**
     * How many attempts the loop thread may queue beyond one per worker: as many as the workers are expected to
     * get through in {@link #NUDGE_AFTER}, at most {@link #MAX_AHEAD}. So with quick handlers the loop hands out
     * work for a while and goes back to fetching, instead of waiting for every few records; with slow ones
     * nothing waits in the queue, and an attempt handed out starts at once, as when a record's retry is due or
     * a partition is being let go. Loop thread.
     */
    int queueAhead() {
        return (int) Math.min(MAX_AHEAD, NUDGE_AFTER.toNanos() * threads / Math.max(1, averageAttemptNanos));
    }

    /**
     * How many records of one lane (a key, a partition) one worker may take as a run, to handle one after the
     * other: as many as it is expected to get through in {@link #NUDGE_AFTER}, at least 1, at most
     * {@link #MAX_RUN}. A lane's records are handled one at a time anyway; a run saves a hand-over between threads
     * per record, which costs more than a quick handler. With slow handlers a run is one record. Loop thread.
     */
    int runLength() {
        return (int) Math.max(1, Math.min(MAX_RUN, NUDGE_AFTER.toNanos() / Math.max(1, averageAttemptNanos)));
    }

    /**
     * Queues runs of attempts, each given by its first record and chained by {@link WorkItem#nextInRun()}, each
     * numbered by {@link WorkItem#attempts()}; their completions come back on the queue, one per record, in the
     * order of the run. One lock and at most a few wake-ups for the whole batch. Loop thread.
     */
    void submitAll(List<WorkItem<K, V>> runs) {
        if (runs.isEmpty()) {
            return;
        }
        startThreadsOnce();
        long now = System.nanoTime();
        lock.lock();
        try {
            for (WorkItem<K, V> run : runs) {
                run.queuedAt(now);
                queue.add(run);
                for (WorkItem<K, V> item = run; item != null; item = item.nextInRun()) {
                    queuedRecords++;
                }
            }
            while (parked > waking && worthWaking()) {
                wakeOne();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Whether the queued work per awake worker is more than {@link #WAKE_AFTER}; under {@link #lock}. */
    private boolean worthWaking() {
        int awake = threads - parked + waking;
        return awake == 0 || (double) queuedRecords * averageAttemptNanos > (double) WAKE_AFTER.toNanos() * awake;
    }

    /**
     * Wakes one more worker if the oldest queued attempt has waited {@link #NUDGE_AFTER} (the awake workers are
     * busy with long attempts). Loop thread.
     *
     * @return whether attempts are still queued, so the loop thread should call this again within NUDGE_AFTER
     */
    boolean nudge() {
        lock.lock();
        try {
            WorkItem<K, V> oldest = queue.peek();
            if (oldest == null) {
                return false;
            }
            if (parked > waking && System.nanoTime() - oldest.queuedAtNanos() >= NUDGE_AFTER.toNanos()) {
                wakeOne();
            }
            return true;
        } finally {
            lock.unlock();
        }
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

    /**
     * Processing stops (a handler asked to, or failed unexpectedly): the runs no worker has taken yet are given
     * back unstarted, and a worker in the middle of a run starts none of its later records. A record a worker has
     * already taken is still handled, as it would have been had it been handed over alone. Any thread; called by
     * the worker whose attempt stopped the loop.
     */
    void halt() {
        lock.lock();
        try {
            halted = true;
            WorkItem<K, V> run;
            while ((run = queue.poll()) != null) {
                giveBack(run);
            }
            queuedRecords = 0;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops the workers: attempts not yet started are dropped (their records are read again by the next owner)
     * and handlers still running are interrupted. Loop thread.
     */
    void shutdownNow() {
        lock.lock();
        try {
            stopping = true;
            queue.clear();
            queuedRecords = 0;
            workQueued.signalAll();
        } finally {
            lock.unlock();
        }
        started.forEach(Thread::interrupt);
    }

    /** After {@link #shutdownNow()}: waits up to {@code timeout} for every worker to end; false if some still run. */
    boolean awaitStopped(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (Thread thread : started) {
                TimeUnit.NANOSECONDS.timedJoin(thread, Math.max(1, deadline - System.nanoTime()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return started.stream().noneMatch(Thread::isAlive);
    }

    private void wakeOne() {
        waking++;
        workQueued.signal();
    }

    private void startThreadsOnce() {
        if (!started.isEmpty()) {
            return;
        }
        for (int number = 1; number <= threads; number++) {
            Thread thread = new Thread(this::work, namePrefix + number);
            // The loop shuts the pool down when it ends; daemon threads cannot keep a JVM alive if it did not.
            thread.setDaemon(true);
            workerThreads.add(thread);
            started.add(thread);
            thread.start();
        }
    }

    /** A worker's life: take the next run (parking while there is none), handle it, report, until stopped. */
    private void work() {
        WorkItem<K, V> run;
        while ((run = take()) != null) {
            for (WorkItem<K, V> item = run; item != null; item = item.nextInRun()) {
                if (halted && item != run) {
                    giveBack(item);   // processing stopped while this run was under way: none of the rest starts
                    break;
                }
                // A handler may have left its thread's interrupt flag set: the next one must not start
                // interrupted, unless the interrupt is shutdownNow()'s, which may have come just before the flag
                // was cleared.
                if (Thread.interrupted() && stopping) {
                    Thread.currentThread().interrupt();
                }
                long start = System.nanoTime();
                Completion<K, V> completion = attempt.run(item, item.attempts());
                if (completion.result() != Result.NOT_STARTED) {
                    averageAttemptNanos = (averageAttemptNanos * 7 + System.nanoTime() - start) / 8;
                }
                if (completion.result() != Result.FINISHED && item.nextInRun() != null) {
                    // The rest of the run must wait for this record: give it back first, so that by the time the
                    // loop thread reads this record's outcome (and may hand the lane out again) it has them all.
                    giveBack(item.nextInRun());
                    completions.add(completion);
                    break;
                }
                completions.add(completion);
            }
        }
    }

    /** Reports {@code first} and the records after it in its run as not started. */
    private void giveBack(WorkItem<K, V> first) {
        for (WorkItem<K, V> item = first; item != null; item = item.nextInRun()) {
            completions.add(new Completion<>(item, Result.NOT_STARTED, null));
        }
    }

    /** The next queued run, waiting for one; null once the pool is stopping. */
    private WorkItem<K, V> take() {
        lock.lock();
        try {
            while (true) {
                if (stopping) {
                    return null;
                }
                WorkItem<K, V> next = queue.poll();
                if (next != null) {
                    for (WorkItem<K, V> item = next; item != null; item = item.nextInRun()) {
                        queuedRecords--;
                    }
                    return next;
                }
                parked++;
                try {
                    workQueued.await();
                } catch (InterruptedException e) {
                    // Only shutdownNow() interrupts a worker; the flag is checked above.
                } finally {
                    parked--;
                    if (waking > 0) {
                        waking--;
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }
}
