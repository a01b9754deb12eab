/**
 * Consuming with the offsets committed only after processing: {@link dev.kafkaprimer.core.consumer.CommitLoop}
 * (the loop), {@link dev.kafkaprimer.core.consumer.ConsumerOptions} (what it reads and how it commits, retries
 * and dead-letters), {@link dev.kafkaprimer.core.consumer.RecordHandler} (the processing step, record by record, or
 * {@link dev.kafkaprimer.core.consumer.BatchHandler} for a partition's records at once),
 * {@link dev.kafkaprimer.core.consumer.RebalanceListener} (told when a rebalance moves partitions), and
 * {@link dev.kafkaprimer.core.consumer.ConsumerGroupLag} (how far a group is behind).
 *
 * <p>Start with the class description of {@code CommitLoop}: it explains what a crash between processing and
 * commit does, and why the committed offset is the offset of the next record to read.
 */
package dev.kafkaprimer.core.consumer;
