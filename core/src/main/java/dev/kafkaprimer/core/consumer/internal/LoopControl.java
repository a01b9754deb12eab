package dev.kafkaprimer.core.consumer.internal;

import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

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

    /**
     * Asks the loop to stop.
     *
     * @return true for the first request only
     */
    public boolean requestClose() {
        return closing.compareAndSet(false, true);
    }

    /** @return whether the loop was asked to stop */
    public boolean isClosing() {
        return closing.get();
    }

    /** @param request a seek for the loop thread to apply before its next poll */
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

    /** @return the partitions the loop owned at its last rebalance */
    public Set<TopicPartition> assignment() {
        return assignment;
    }

    void assignment(Set<TopicPartition> partitions) {
        this.assignment = partitions;
    }
}
