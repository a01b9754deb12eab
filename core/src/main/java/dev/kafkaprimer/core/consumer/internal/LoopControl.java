package dev.kafkaprimer.core.consumer;

import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.common.TopicPartition;

/**
 * What other threads share with the loop thread: the request to close, pending seek requests, and a
 * snapshot of the assignment. Thread-safe.
 */
final class LoopControl {

    private final AtomicBoolean closing = new AtomicBoolean();
    private final Queue<SeekRequest> seeks = new ConcurrentLinkedQueue<>();
    private volatile Set<TopicPartition> assignment = Set.of();

    /** Asks the loop to stop. Returns true for the first request only. */
    boolean requestClose() {
        return closing.compareAndSet(false, true);
    }

    boolean isClosing() {
        return closing.get();
    }

    void submit(SeekRequest request) {
        seeks.add(request);
    }

    /** The oldest pending seek request, or null. */
    SeekRequest nextSeek() {
        return seeks.poll();
    }

    /** Completes every pending seek request with {@code failure}: the loop will not apply them. */
    void failPendingSeeks(RuntimeException failure) {
        SeekRequest request;
        while ((request = seeks.poll()) != null) {
            request.result().completeExceptionally(failure);
        }
    }

    Set<TopicPartition> assignment() {
        return assignment;
    }

    void assignment(Set<TopicPartition> partitions) {
        this.assignment = partitions;
    }
}
