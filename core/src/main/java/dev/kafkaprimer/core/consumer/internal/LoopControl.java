package dev.kafkaprimer.core.consumer.internal;

import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import org.apache.kafka.common.TopicPartition;

/**
 * What other threads share with the loop thread: the request to close, pending seek requests, and a
 * snapshot of the assignment. Thread-safe.
 *
 * <p><b>Not API:</b> public only so that {@link dev.kafkaprimer.core.consumer.CommitLoop} can reach it from its
 * own package; it may change in any release.
 */
public final class LoopControl {

    private final AtomicBoolean closing = new AtomicBoolean();
    private final Queue<SeekRequest> seeks = new ConcurrentLinkedQueue<>();
    private volatile Set<TopicPartition> assignment = Set.of();
    /** The monitor of {@link #awaitAssignment}: notified when the assignment changes or the loop ends. */
    private final Object assignmentChanged = new Object();

    private final LoopEvents events;

    /** A loop's control, before its loop has started: not closing, no seek pending, no partition owned. */
    public LoopControl() {
        this(LoopEvents.NONE);
    }

    /**
     * As {@link #LoopControl()}, for a loop whose listeners are told through {@code events}.
     *
     * @param events the loop's listeners
     */
    public LoopControl(LoopEvents events) {
        this.events = events;
    }

    /**
     * The loop's listeners, for every part of its engine.
     *
     * @return the events
     */
    public LoopEvents events() {
        return events;
    }

    /**
     * Asks the loop to stop.
     *
     * @return true for the first request only
     */
    public boolean requestClose() {
        return closing.compareAndSet(false, true);
    }

    /**
     * Whether the loop was asked to stop. Any thread.
     *
     * @return whether the loop was asked to stop
     */
    public boolean isClosing() {
        return closing.get();
    }

    /**
     * Queues a seek for the loop thread, which applies it before its next poll. Any thread.
     *
     * @param request a seek for the loop thread to apply before its next poll
     */
    public void submit(SeekRequest request) {
        seeks.add(request);
    }

    /** The oldest pending seek request, or null. */
    SeekRequest nextSeek() {
        return seeks.poll();
    }

    /**
     * Completes every pending seek request with {@code failure}: the loop will not apply them.
     *
     * @param failure what each pending request fails with
     */
    public void failPendingSeeks(RuntimeException failure) {
        SeekRequest request;
        while ((request = seeks.poll()) != null) {
            request.result().completeExceptionally(failure);
        }
    }

    /**
     * The partitions the loop owned at its last rebalance. Any thread.
     *
     * @return the partitions the loop owned at its last rebalance
     */
    public Set<TopicPartition> assignment() {
        return assignment;
    }

    void assignment(Set<TopicPartition> partitions) {
        synchronized (assignmentChanged) {
            this.assignment = partitions;
            assignmentChanged.notifyAll();
        }
    }

    /**
     * Waits until the loop owns at least one partition, the loop has ended, or {@code timeoutNanos} passed.
     *
     * @param timeoutNanos how long to wait at most
     * @param ended        whether the loop has ended (checked at each change, and after {@link #wakeWaiters()})
     * @return the partitions owned; empty if the loop ended or the time passed first
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public Set<TopicPartition> awaitAssignment(long timeoutNanos, BooleanSupplier ended) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        synchronized (assignmentChanged) {
            long left;
            while (assignment.isEmpty() && !ended.getAsBoolean() && (left = deadline - System.nanoTime()) > 0) {
                TimeUnit.NANOSECONDS.timedWait(assignmentChanged, left);
            }
            return assignment;
        }
    }

    /** Wakes every thread in {@link #awaitAssignment}, so that it sees the loop has ended. */
    public void wakeWaiters() {
        synchronized (assignmentChanged) {
            assignmentChanged.notifyAll();
        }
    }
}
