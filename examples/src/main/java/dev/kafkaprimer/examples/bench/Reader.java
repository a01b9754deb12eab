package dev.kafkaprimer.examples.bench;

import java.time.Duration;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kafkaprimer.core.consumer.CommitLoop;
import dev.kafkaprimer.core.consumer.ConsumerOptions;
import dev.kafkaprimer.core.consumer.Ordering;
import dev.kafkaprimer.core.json.JsonDeserializer;

/**
 * One side's consumer, running on a thread of its own and handing every event to a {@link RecordSink}: our
 * {@link CommitLoop}, or the hand-written {@link RawPollLoop}. {@link #stop()} stops the loop (its last commit
 * and the consumer's close happen then) and waits for the thread.
 */
final class Reader {

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final Runnable stop;
    private final Thread thread;

    private Reader(Runnable loop, Runnable stop, RecordSink sink, String name) {
        this.stop = stop;
        this.thread = new Thread(() -> {
            try {
                loop.run();
            } catch (RuntimeException | Error e) {
                sink.fail(e);
            }
        }, name);
    }

    /** Starts {@code side}'s consumer of {@code topic} in a new group {@code groupId}; ours is sequential. */
    static Reader start(Side side, BenchClients clients, ObjectMapper mapper, String groupId, String topic,
                        RecordSink sink) {
        return start(side, clients, Ordering.PARTITION, 1, mapper, groupId, topic, sink);
    }

    /**
     * Starts {@code side}'s consumer of {@code topic} in a new group {@code groupId}; ours with {@code ordering}
     * and {@code concurrency} workers (the raw side is always the one hand-written poll loop).
     */
    static Reader start(Side side, BenchClients clients, Ordering ordering, int concurrency, ObjectMapper mapper,
                        String groupId, String topic, RecordSink sink) {
        Reader reader;
        if (side == Side.OURS) {
            ConsumerOptions options = clients.consumerOptions(groupId, topic, ordering, concurrency);
            CommitLoop<String, BenchEvent> loop = CommitLoop.create(options,
                    new JsonDeserializer<>(mapper, BenchEvent.class), record -> sink.accept(record.value()));
            reader = new Reader(loop, () -> loop.close(CLOSE_TIMEOUT), sink, "bench-commit-loop");
        } else {
            RawPollLoop loop = new RawPollLoop(clients, groupId, topic, mapper, sink);
            reader = new Reader(loop, loop::close, sink, "bench-raw-poll-loop");
        }
        reader.thread.start();
        return reader;
    }

    /** Stops the loop and waits up to 30 s for its thread to end. */
    void stop() throws InterruptedException {
        stop.run();
        thread.join(CLOSE_TIMEOUT.toMillis());
        if (thread.isAlive()) {
            throw new IllegalStateException(thread.getName() + " did not stop within " + CLOSE_TIMEOUT.toSeconds()
                    + " s");
        }
    }
}
