package dev.kafkaprimer.core.consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The processing step of a transactional {@link CommitLoop}: reads one input record and adds the records it
 * produces to {@code outputs}. The loop writes those outputs and the input's offset in one Kafka transaction, so
 * that a {@code read_committed} reader of the outputs sees each input's outputs exactly once, whatever crashes.
 *
 * <p>Called on the loop thread, one record at a time, in offset order within each partition. When it returns,
 * its outputs are sent into the open transaction and the record counts as finished. When it throws, its outputs
 * are dropped and it is retried (see {@link RetryPolicy}), then written to the dead-letter topic inside the same
 * transaction; a {@link StopProcessingException} stops the loop, as in every loop.
 *
 * <p><b>What exactly-once covers.</b> Only what goes through {@code outputs}: records in Kafka. A handler can
 * still run more than once for the same record (after a crash, an abort, a rebalance: its transaction was then
 * aborted and its outputs never became visible), so anything else it does, such as a database write or an HTTP
 * call, happens at least once and must be idempotent on its own.
 *
 * @param <K> the type of input record keys
 * @param <V> the type of input record values
 */
@FunctionalInterface
public interface TransactionalHandler<K, V> {

    /**
     * Processes one input record.
     *
     * @param record  the input record, key and value deserialized; never null
     * @param outputs where to put the records to produce for it: none, one or several
     * @throws StopProcessingException to stop the loop at this record
     * @throws Exception               any other failure, to have the record retried and then dead-lettered
     */
    void handle(ConsumerRecord<K, V> record, Outputs outputs) throws Exception;
}
