package dev.kafkaprimer.core.consumer.internal;

/**
 * One run of a {@link dev.kafkaprimer.core.consumer.CommitLoop}: the seam between the loop (its lifecycle, close
 * and seek requests, from any thread) and the engine that owns the {@code KafkaConsumer} and calls the handler.
 * Two engines implement it: {@code LoopEngine} handles records (or batches) on the loop thread, and
 * {@code ParallelEngine} hands them to worker threads. A third (transactions, share groups) implements the same
 * three methods and is chosen in {@link Engines}; the loop itself does not change.
 *
 * <p><b>Lifecycle.</b> An engine is made for one run: it creates its clients when constructed, on the loop
 * thread, and {@link #run()} always closes them before it returns or throws. It learns of close and seek
 * requests through the {@link LoopControl} it was given.
 *
 * <p><b>Not API:</b> public only so that {@code CommitLoop} can reach it from its own package; it may change in
 * any release.
 */
public interface Engine {

    /**
     * Polls and processes until the loop control says close, or processing stops; then commits finished work and
     * closes every client. On the loop thread, once.
     *
     * @throws dev.kafkaprimer.core.consumer.ProcessingStoppedException if processing stopped on a record
     * @throws RuntimeException any failure of the consumer, after the final commit was tried
     */
    void run();

    /** Makes the loop thread leave a blocking call at once, to see a close or seek request. Any thread. */
    void wakeup();

    /**
     * Whether {@code thread} is one of this engine's own threads (a worker calling the handler), which must not
     * wait for the loop to finish: it is part of what the loop waits for. Any thread.
     *
     * @param thread the thread to ask about
     * @return true if the engine runs the handler on {@code thread}
     */
    default boolean isWorker(Thread thread) {
        return false;
    }
}
