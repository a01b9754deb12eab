package dev.kafkaprimer.core.consumer.internal;

import java.util.Objects;

import org.apache.kafka.common.serialization.Deserializer;

import dev.kafkaprimer.core.consumer.BatchHandler;
import dev.kafkaprimer.core.consumer.ConsumerOptions;
import dev.kafkaprimer.core.consumer.RecordHandler;
import dev.kafkaprimer.core.consumer.TransactionOptions;
import dev.kafkaprimer.core.consumer.TransactionalHandler;

/**
 * Chooses the {@link Engine} for a loop's options and handler: records on the loop thread, records on worker
 * threads (an ordering other than {@code PARTITION}, or a concurrency above 1), batches on the loop thread, or
 * records in transactions on the loop thread.
 * Thread-safe (stateless).
 *
 * <p><b>Not API:</b> public only so that {@link dev.kafkaprimer.core.consumer.CommitLoop} can reach it from its
 * own package; it may change in any release.
 */
public final class Engines {

    private Engines() {
    }

    /**
     * The engine for a loop that hands each record to {@code handler}. Creates the engine's clients: call it on
     * the loop thread, from {@code run()}.
     *
     * @param options what to consume and how; not null
     * @param reader  reads record keys and values
     * @param handler the processing step
     * @param control what other threads share with the loop thread
     * @param <K>     the type of record keys
     * @param <V>     the type of record values
     * @return an engine, its clients created, not yet running
     */
    public static <K, V> Engine forRecords(ConsumerOptions options, RecordDeserializer<K, V> reader,
                                           RecordHandler<K, V> handler, LoopControl control) {
        RecordHandler<K, V> intercepted = InterceptedHandlers.records(Objects.requireNonNull(handler, "handler"),
                options.interceptors());
        return options.parallel()
                ? new ParallelEngine<>(options, reader, intercepted, control)
                : LoopEngine.oneByOne(options, reader, intercepted, control);
    }

    /**
     * The engine for a loop that hands each partition's records of a poll to {@code handler} at once; batches are
     * handled on the loop thread (the loop's factories refuse options that ask for workers).
     *
     * @param options what to consume and how; not null
     * @param reader  reads record keys and values
     * @param handler the processing step
     * @param control what other threads share with the loop thread
     * @param <K>     the type of record keys
     * @param <V>     the type of record values
     * @return an engine, its clients created, not yet running
     */
    public static <K, V> Engine forBatches(ConsumerOptions options, RecordDeserializer<K, V> reader,
                                           BatchHandler<K, V> handler, LoopControl control) {
        Objects.requireNonNull(handler, "handler");
        return LoopEngine.inBatches(options, reader, handler, control);
    }

    /**
     * The engine for a transactional loop: records on the loop thread, their outputs and offsets committed in
     * Kafka transactions. Creates its producer and consumer: call it on the loop thread.
     *
     * @param options      what to consume and how; not null
     * @param transactions how to run the transactions; not null
     * @param reader       reads record keys and values
     * @param handler      the processing step
     * @param control      what other threads share with the loop thread
     * @param <K>          the type of record keys
     * @param <V>          the type of record values
     * @return an engine, its clients created, not yet running
     */
    public static <K, V> Engine forTransactions(ConsumerOptions options, TransactionOptions transactions,
                                                RecordDeserializer<K, V> reader, TransactionalHandler<K, V> handler,
                                                LoopControl control) {
        return new TransactionalEngine<>(options, transactions, reader,
                InterceptedHandlers.transactional(Objects.requireNonNull(handler, "handler"), options.interceptors()),
                control);
    }
}
