package dev.kafkaprimer.core.consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What a {@link CommitLoop} does with each record: the application's processing step.
 *
 * <p>By default the loop calls the handler on its own thread, one record at a time, in offset order within
 * each partition. With a {@linkplain ConsumerOptions.Builder#concurrency(int) concurrency} above 1 (or another
 * {@link Ordering}) it calls it from worker threads, several records at a time, in the order the
 * {@code Ordering} keeps: then the handler must be thread-safe. When the handler returns, the record counts
 * as finished and its offset may be committed. When it throws, the loop retries it (see {@link RetryPolicy})
 * and finally sends it to the dead-letter topic; a {@link StopProcessingException} stops the loop instead.
 *
 * <p>A record may be handed over more than once (after a crash or a rebalance, before its offset was
 * committed): handlers should be idempotent, or tolerate duplicates.
 *
 * <p>When records are cheaper to process together, such as many rows in one database transaction, use a
 * {@link BatchHandler} instead: it gets the records of one partition from one poll at once.
 *
 * @param <K> the type of record keys ({@code String} unless the loop was given another key deserializer)
 * @param <V> the type of record values
 */
@FunctionalInterface
public interface RecordHandler<K, V> {

    /**
     * Processes one record.
     *
     * @param record the record, with its key and value deserialized; the value is null for a
     *               tombstone (a record with no value); never null itself
     * @throws StopProcessingException to stop the loop at this record
     * @throws Exception               any other failure, to have the record retried and then dead-lettered
     */
    void handle(ConsumerRecord<K, V> record) throws Exception;
}
