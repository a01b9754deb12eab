package dev.kafkaprimer.core.consumer.internal;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;

import dev.kafkaprimer.core.consumer.BatchHandler;
import dev.kafkaprimer.core.consumer.CommitLoop;
import dev.kafkaprimer.core.consumer.ConsumerOptions;
import dev.kafkaprimer.core.consumer.RecordHandler;

/**
 * One run of a {@link CommitLoop}: owns the {@code KafkaConsumer} from creation to close, on the loop thread.
 * Only {@link #wakeup()} may be called from another thread.
 *
 * @param <K> the type of record keys
 * @param <V> the type of record values
 */
final class LoopEngine<K, V> implements Engine {

    private final ConsumerOptions options;
    private final RecordDeserializer<K, V> reader;
    private final LoopControl control;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final OffsetTracker offsets;
    private final PartitionOwnership ownership;
    private final DeadLetterPublisher deadLetters;
    private final PartitionProcessor processor;
    private final PollDeadline pollDeadline;
    /** Tells the listeners the consumer's ids, metrics and lag. */
    private final ConsumerWatch watch;

    /** A loop that hands each record to {@code handler} by itself. */
    static <K, V> LoopEngine<K, V> oneByOne(ConsumerOptions options, RecordDeserializer<K, V> reader,
                                            RecordHandler<K, V> handler, LoopControl control) {
        return new LoopEngine<>(options, reader, control, parts -> new RecordProcessor<>(handler, parts));
    }

    /** A loop that hands the records of each partition from each poll to {@code handler} together. */
    static <K, V> LoopEngine<K, V> inBatches(ConsumerOptions options, RecordDeserializer<K, V> reader,
                                             BatchHandler<K, V> handler, LoopControl control) {
        return new LoopEngine<>(options, reader, control, parts -> new BatchProcessor<>(handler, parts));
    }

    private LoopEngine(ConsumerOptions options, RecordDeserializer<K, V> reader, LoopControl control,
                       Function<PartitionProcessor.Parts<K, V>, PartitionProcessor> processorFor) {
        this.options = options;
        this.reader = reader;
        this.control = control;
        this.deadLetters = new DeadLetterPublisher(options, control.events());
        this.consumer = ClientProperties.openConsumer(options, deadLetters);
        this.offsets = new OffsetTracker(consumer, options, control.events());
        this.ownership = new PartitionOwnership(consumer, offsets, control, options.rebalanceListener());
        this.processor = processorFor.apply(new PartitionProcessor.Parts<>(reader, deadLetters,
                new RetryBackoff(options.retry(), this::awaitRetry), offsets, this::mayGoOn, this::giveBack,
                control.events()));
        this.pollDeadline = new PollDeadline(options);
        this.watch = new ConsumerWatch(consumer, control.events());
    }

    /** Makes a blocking consumer call on the loop thread throw {@link WakeupException}. Any thread. */
    @Override
    public void wakeup() {
        consumer.wakeup();
    }

    /** Polls and processes until closed or stopped, then commits finished work and closes the clients. */
    @Override
    public void run() {
        Throwable failure = null;
        try {
            ClusterAnswer.await(consumer, options);
            options.subscribe(consumer, ownership);
            watch.started(options.groupId());
            while (!control.isClosing()) {
                applySeekRequests();
                processAll(poll(options.pollTimeout()));
                offsets.afterPoll();
                watch.polled();
            }
        } catch (WakeupException e) {
            // Expected when close() woke us up; otherwise someone else called wakeup(): a failure.
            if (!control.isClosing()) {
                failure = e;
            }
        } catch (InterruptException e) {
            // The loop thread was interrupted (an executor's shutdownNow()): a request to stop, like close().
            // The shutdown steps commit and leave the group, and hand the interrupt flag back to run()'s caller.
            control.requestClose();
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        shutDown(failure);
    }

    /** Hands records over partition by partition, in offset order, stopping early when closing. */
    private void processAll(ConsumerRecords<byte[], byte[]> records) {
        for (TopicPartition partition : records.partitions()) {
            if (control.isClosing()) {
                return;
            }
            List<ConsumerRecord<byte[], byte[]>> fetched = records.records(partition);
            processor.process(partition, fetched);
            // If the last one is finished, commit past the transaction markers after it too.
            ConsumerPositions.catchUp(consumer, offsets, partition, fetched.get(fetched.size() - 1).offset());
        }
    }

    /** Polls, noting when: {@code max.poll.interval.ms} counts from the last call. */
    private ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
        offsets.polled();
        pollDeadline.polled();
        return consumer.poll(timeout);
    }

    /**
     * Checked before each record (or batch): the loop is not closing, still owns {@code partition}, and is
     * still a member of the group. A rebalance inside a retry wait may have taken the partition: its new owner
     * reads the rest. And a member that has not polled for {@code max.poll.interval.ms} has been removed from
     * the group (its client leaves by itself), as has one whose commit the group refused: its partitions may
     * have a new owner already, who will handle the same records. So it hands out nothing more, and polls to
     * rejoin; what it gave up is read again from the committed offsets.
     */
    private boolean mayGoOn(TopicPartition partition) {
        if (control.isClosing() || !ownership.owns(partition) || offsets.mustPollAgain()) {
            return false;
        }
        if (pollDeadline.missed()) {
            offsets.requirePoll();
            return false;
        }
        return true;
    }

    /**
     * {@code partition}'s records from {@code offset} on were fetched but not handled: rewinds to them, so that
     * a partition this member keeps does not skip them. One it no longer has is read by its next owner.
     */
    private void giveBack(TopicPartition partition, long offset) {
        if (!control.isClosing() && consumer.assignment().contains(partition)) {
            consumer.seek(partition, offset);
        }
    }

    /** Waits out a retry delay polling, partitions paused, so that the group does not drop this member. */
    private boolean awaitRetry(TopicPartition partition, Duration delay) {
        return PausedWait.await(consumer, ownership, this::poll, partition, delay, () -> !control.isClosing(),
                () -> { });
    }

    private void applySeekRequests() {
        SeekRequest request;
        while ((request = control.nextSeek()) != null) {
            var partitions = Set.copyOf(consumer.assignment());
            // Commit what is finished first; then the seek commits the new positions, so a restart resumes there.
            offsets.commitOnce(partitions);
            SeekSteps.apply(request, consumer, partitions, offsets, () -> { });
        }
    }

    /** Commits finished work and closes everything; the first failure is thrown, later ones are attached to it. */
    private void shutDown(Throwable failure) {
        ShutdownSteps steps = new ShutdownSteps(failure);
        steps.run(offsets::commitBeforeClose);
        steps.closeClients(consumer, deadLetters, reader);
        steps.rethrow();
    }
}
