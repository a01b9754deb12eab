package dev.kafkaprimer.core.consumer;

/**
 * Where a {@link TransactionalHandler} puts the records it makes from one input record. Nothing is sent while
 * the handler runs: the loop keeps the outputs and sends them, in the order given, into the open transaction
 * only when the handler returns. So a handler that throws after adding two outputs leaves no trace of them,
 * and its retry starts from nothing; a handler that returns has all its outputs in the same transaction as its
 * input's offset, visible to {@code read_committed} readers together or not at all.
 *
 * <p>Keys are written as UTF-8 text and values as JSON with {@link dev.kafkaprimer.core.json.Json#defaultMapper()},
 * as a {@code JsonProducer} writes them, so a {@code CommitLoop.forJson} reads them back. The value is turned into
 * JSON at once, inside {@link #send}: a value Jackson cannot write fails the handler there (a
 * {@code SerializationException}, retried and dead-lettered like any handler failure).
 *
 * <p>Valid only during the handler call it was passed to, and on the loop thread; not thread-safe.
 */
public interface Outputs {

    /**
     * Adds a record to write to {@code topic} when the handler returns; its partition is chosen from the key, as
     * the producer chooses it.
     *
     * @param topic the topic to write to; not null
     * @param key   the record key (null for none; the default partitioner then spreads such records)
     * @param value the value, written as JSON; null for a tombstone
     * @throws org.apache.kafka.common.errors.SerializationException if {@code value} cannot be written as JSON
     */
    void send(String topic, String key, Object value);
}
