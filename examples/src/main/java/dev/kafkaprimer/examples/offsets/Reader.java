package dev.kafkaprimer.examples.offsets;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.kafkaprimer.core.consumer.CommitLoop;
import dev.kafkaprimer.core.consumer.ConsumerOptions;
import dev.kafkaprimer.examples.cli.LoopThread;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * A group member on a {@link CommitLoop} of its own thread that hands each record it processed to the main
 * thread, which prints them in order. It can stop by itself after a given offset: it then closes its own loop
 * from the handler, so that record is the last one it finishes and commits.
 */
final class Reader implements AutoCloseable {

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final BlockingQueue<ConsumerRecord<String, Entry>> processed = new LinkedBlockingQueue<>();
    private final CommitLoop<String, Entry> loop;
    /** Set once, by start(), before anyone else sees this object. */
    private LoopThread running;

    private Reader(ConsumerOptions options, long lastOffset) {
        this.loop = CommitLoop.forJson(options, Entry.class, record -> {
            processed.add(record);
            if (record.offset() == lastOffset) {
                // From the loop thread close() does not wait: the loop stops once this handler returns, then
                // commits the offset after this record.
                stop();
            }
        });
    }

    /** Starts a reader that keeps going until closed. */
    static Reader start(ConsumerOptions options) {
        return start(options, -1);
    }

    /** Starts a reader that stops by itself once it finished the record at {@code lastOffset}. */
    static Reader start(ConsumerOptions options, long lastOffset) {
        Reader reader = new Reader(options, lastOffset);
        reader.running = LoopThread.start("offsets-reader", reader.loop);
        return reader;
    }

    private void stop() {
        loop.close(Duration.ZERO);
    }

    /**
     * The next record this reader processed, in the order it did.
     *
     * @throws IllegalStateException if none comes within {@code timeout}, or the loop failed
     */
    ConsumerRecord<String, Entry> next(Duration timeout) throws InterruptedException {
        ConsumerRecord<String, Entry> record = processed.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (record == null) {
            Throwable failure = running.failure();
            throw new IllegalStateException("no record was processed within " + timeout.toSeconds() + " s"
                    + (failure == null ? "" : "; the loop failed: " + failure), failure);
        }
        return record;
    }

    /** Replays from the oldest record; the future tells the new position of each owned partition. */
    CompletableFuture<Map<TopicPartition, Long>> seekToBeginning() {
        return loop.seekToBeginning();
    }

    /**
     * Waits until the loop has stopped (committed and closed its consumer).
     *
     * @throws IllegalStateException if it is still running after {@code timeout}, or it failed
     */
    void awaitStopped(Duration timeout) throws InterruptedException {
        running.awaitStopped(timeout);
    }

    /**
     * Stops the loop, which commits what it finished, and waits for it. Interrupted while waiting, it returns
     * with the interrupt kept for the caller; the loop finishes closing on its own thread.
     */
    @Override
    public void close() {
        loop.close(CLOSE_TIMEOUT);
        try {
            awaitStopped(CLOSE_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
