package dev.kafkaprimer.core.consumer;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What a {@link CommitLoop} does with several records at once: the application's processing step, when
 * records are cheaper to process together than one by one. The usual case is a database: one transaction per
 * batch, or one multi-row insert, costs one round trip and one commit instead of one per record.
 *
 * <pre>{@code
 * CommitLoop<String, Order> loop = CommitLoop.forJsonBatches(options, Order.class, batch -> {
 *     try (Connection db = dataSource.getConnection()) {
 *         db.setAutoCommit(false);
 *         for (ConsumerRecord<String, Order> record : batch) {
 *             insertOrder(db, record.value());
 *         }
 *         db.commit();   // all orders of the batch, or none
 *     }
 * });
 * }</pre>
 *
 * <p><b>What a batch holds.</b> The records of <em>one</em> partition that <em>one</em> poll brought, in
 * offset order: never empty, never more than {@code max.poll.records}, never two partitions mixed. Only records
 * whose key and value could be read: a record the deserializers fail on (a poison pill) ends the batch before
 * it, and the loop hands the records gathered so far over first, then writes the poison pill to the dead-letter
 * topic, then gathers the records after it into the next batch. The list is unmodifiable and the loop never changes
 * it afterwards, so the handler may keep it.
 *
 * <p><b>Threads.</b> The loop calls the handler on its own thread, one batch at a time, so the handler need
 * not be thread-safe. Batches and worker threads do not mix: the factories refuse options with an
 * {@link Ordering} other than {@code PARTITION} or a concurrency above 1.
 *
 * <p><b>Commits.</b> When the handler returns, every record of the batch is finished, and the offset after
 * the last one may be committed, when the {@link CommitPolicy} says so; {@link CommitPolicy#PER_RECORD} then
 * commits once per batch. If the process crashes before that commit, the partition's next reader gets the
 * same records again: make the handler idempotent (an upsert, a unique key), as for a {@link RecordHandler}.
 *
 * <p><b>Failures</b>, from the most precise to the coarsest:
 * <ul>
 *   <li>The handler throws {@link BatchFailedException} with the index of the record that failed: the records
 *       before it are finished (and will be committed); the loop retries the rest, from the failed record on,
 *       as a batch, with the {@link RetryPolicy}'s backoff. The attempts are counted for the failed record: if
 *       a retry gets further and fails at a later record, the records before that one are finished too and
 *       the count starts again for it. When the failed record has used up its attempts, it alone is written
 *       to the dead-letter topic (with the {@code BatchFailedException}'s cause in the headers), and the
 *       records after it are handed over as a new batch.</li>
 *   <li>The handler throws any other exception: the loop cannot tell which record failed, so it retries the
 *       whole batch, and after the last attempt writes <em>every</em> record of the batch to the dead-letter
 *       topic, each with that exception in its headers. Throw {@code BatchFailedException} when you can tell
 *       which record it was, so that one bad record does not take its neighbours along.</li>
 *   <li>The handler throws {@link StopProcessingException}: the loop stops at the batch's first record,
 *       commits nothing of the batch, and {@link CommitLoop#run()} throws {@link ProcessingStoppedException}.
 *       Given as the cause of a {@code BatchFailedException}, it stops at the failed record instead, with the
 *       records before it finished.</li>
 * </ul>
 *
 * <p><b>Time.</b> While it waits to retry, the loop keeps polling (see {@link CommitLoop}), but the handler's
 * own time for the batches of one poll, one per partition, must fit in {@code max.poll.interval.ms} (5 minutes
 * by default), or the group considers the consumer dead. Lower
 * {@linkplain ConsumerOptions.Builder#maxPollRecords(int) maxPollRecords} if batches take that long.
 *
 * @param <K> the type of record keys ({@code String} unless the loop was given another key deserializer)
 * @param <V> the type of record values
 * @see RecordHandler the handler for one record at a time
 */
@FunctionalInterface
public interface BatchHandler<K, V> {

    /**
     * Processes one batch.
     *
     * @param records the records of one partition from one poll, in offset order, with keys and values
     *                deserialized (null for a tombstone); unmodifiable, never empty, never null
     * @throws BatchFailedException    to say which record failed: those before it are finished, it is retried
     * @throws StopProcessingException to stop the loop at the batch's first record
     * @throws Exception               any other failure, to have the whole batch retried and then dead-lettered
     */
    void handle(List<ConsumerRecord<K, V>> records) throws Exception;
}
