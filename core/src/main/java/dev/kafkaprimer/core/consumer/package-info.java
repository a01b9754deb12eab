/**
 * Consuming with the offsets committed only after processing. This package is the API; the engines that run
 * it live in {@link dev.kafkaprimer.core.consumer.internal} and are not for applications.
 *
 * <ul>
 *   <li>{@link dev.kafkaprimer.core.consumer.CommitLoop}: the loop. Start here: its class description explains
 *       what a crash between processing and commit does, and why the committed offset is the offset of the next
 *       record to read.</li>
 *   <li>{@link dev.kafkaprimer.core.consumer.ConsumerOptions}: what it reads and how it commits
 *       ({@link dev.kafkaprimer.core.consumer.CommitPolicy}), orders and parallelizes
 *       ({@link dev.kafkaprimer.core.consumer.Ordering}), retries ({@link dev.kafkaprimer.core.consumer.RetryPolicy})
 *       and dead-letters ({@link dev.kafkaprimer.core.consumer.DeadLetterHeaders}).</li>
 *   <li>{@link dev.kafkaprimer.core.consumer.RecordHandler}: the processing step, record by record, or
 *       {@link dev.kafkaprimer.core.consumer.BatchHandler} for a partition's records at once.</li>
 *   <li>{@link dev.kafkaprimer.core.consumer.RebalanceListener}: told when a rebalance moves partitions
 *       ({@link dev.kafkaprimer.core.consumer.RebalanceEvent}).</li>
 *   <li>What a handler throws to steer the loop ({@link dev.kafkaprimer.core.consumer.StopProcessingException},
 *       {@link dev.kafkaprimer.core.consumer.BatchFailedException}), and what the loop throws when it stops
 *       ({@link dev.kafkaprimer.core.consumer.ProcessingStoppedException}).</li>
 * </ul>
 *
 * <p>How far a group is behind is read with {@link dev.kafkaprimer.core.admin.ConsumerGroupLag}, an Admin-client
 * tool.
 */
package dev.kafkaprimer.core.consumer;
