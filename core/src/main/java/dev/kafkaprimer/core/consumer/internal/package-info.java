/**
 * The engines behind {@link dev.kafkaprimer.core.consumer.CommitLoop}. <b>Not API:</b> the public types here are
 * public only so that the loop can reach them from its own package; any of them may change in any release.
 * Applications use {@link dev.kafkaprimer.core.consumer}.
 *
 * <p>For a reader who wants to see how the loop works, in this order:
 * <ul>
 *   <li>{@link dev.kafkaprimer.core.consumer.internal.Engine}: the seam, one run of a loop;
 *       {@link dev.kafkaprimer.core.consumer.internal.Engines} picks one for the options.</li>
 *   <li>{@code LoopEngine}: poll, process on the loop thread, commit. It
 *       processes each partition's records with a {@code PartitionProcessor}
 *       ({@code RecordProcessor} record by record, {@code BatchProcessor} in batches).</li>
 *   <li>{@code ParallelEngine}: the same on worker threads, with
 *       {@code WorkLanes} keeping per-key or per-partition order and {@code PartitionWindow} computing the safe
 *       offset to commit.</li>
 *   <li>{@code TransactionalEngine}: read, process, write on the loop thread, the outputs and input offsets
 *       committed together in a Kafka {@code Transaction} (with {@code BufferedOutputs} holding a handler call's
 *       outputs until it returns, and {@code TransactionErrors} telling an abortable failure from a fatal one).</li>
 *   <li>The parts they share: {@code OffsetTracker} (what is finished and when to commit),
 *       {@code PartitionOwnership} (rebalances, with {@code FinishedWork}: what each engine commits before partitions go),
 *       {@code PollDeadline} ({@code max.poll.interval.ms}), {@code DeadLetterPublisher}, {@code RetryBackoff},
 *       {@code HandlerCall} (calling the handler and classifying what it throws), {@code RecordDeserializer}
 *       (poison pills), {@code ClientProperties} (the client settings built from the options) and
 *       {@code ShutdownSteps} (the last steps, in order, the first failure kept).</li>
 *   <li>{@link dev.kafkaprimer.core.consumer.internal.LoopControl} and
 *       {@link dev.kafkaprimer.core.consumer.internal.SeekRequest}: what other threads hand the loop thread.</li>
 * </ul>
 */
package dev.kafkaprimer.core.consumer.internal;
