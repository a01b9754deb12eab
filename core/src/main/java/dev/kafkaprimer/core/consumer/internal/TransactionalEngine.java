package dev.kafkaprimer.core.consumer.internal;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kafkaprimer.core.consumer.ConsumerOptions;
import dev.kafkaprimer.core.consumer.ProcessingStoppedException;
import dev.kafkaprimer.core.consumer.TransactionOptions;
import dev.kafkaprimer.core.consumer.TransactionalHandler;

/**
 * The engine of a transactional {@code CommitLoop}: read, process, write, with the outputs and the input offsets
 * committed in one Kafka transaction. On the loop thread, one record at a time:
 * <ol>
 *   <li>poll (the consumer reads {@code read_committed});</li>
 *   <li>hand each record to the handler, which adds its outputs to a buffer; when it returns, send them into
 *   the open transaction (begun by the first send) and note the record's offset. A failure is retried with
 *   the retry policy's backoff, then the record is dead-lettered, also into the transaction; a poison pill at
 *   once;</li>
 *   <li>once the transaction has been open for the commit interval, send the offsets with the consumer's group
 *   metadata and commit. Several polls may share one transaction.</li>
 * </ol>
 * A failure the transaction can recover from (see {@link TransactionErrors}) aborts it: the partitions are
 * rewound to where the transaction began, which is their last committed offset, and the records are processed
 * again; if a send of one record's outputs failed, that record's attempt counts as failed, so a record whose
 * outputs can never be written ends in the dead-letter topic instead of aborting forever. A fatal failure stops
 * the loop. Before partitions go in a rebalance the open transaction is committed; partitions lost abort it.
 *
 * <p>Only {@link #wakeup()} may be called from another thread.
 *
 * @param <K> the type of input record keys
 * @param <V> the type of input record values
 */
final class TransactionalEngine<K, V> implements Engine, FinishedWork {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionalEngine.class);

    private final ConsumerOptions options;
    private final RecordDeserializer<K, V> reader;
    private final TransactionalHandler<K, V> handler;
    private final LoopControl control;
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Transaction transaction;
    private final PartitionOwnership ownership;
    private final RetryBackoff retries;
    private final PollDeadline pollDeadline;
    /** Tells the listeners the consumer's ids, metrics and lag. */
    private final ConsumerWatch watch;
    private final BufferedOutputs outputs = new BufferedOutputs();
    /** Failed attempts of records whose outputs could not be sent: "partition:offset" to the count and cause. */
    private final Map<String, FailedSends> failedSends = new HashMap<>();
    /** Counts aborts: a poll's remaining records are not handled after one, as their partitions were rewound. */
    private long aborts;
    private boolean mustPoll;

    private record FailedSends(int attempts, long firstFailureMillis, Exception lastCause) {
    }

    TransactionalEngine(ConsumerOptions options, TransactionOptions transactions, RecordDeserializer<K, V> reader,
                        TransactionalHandler<K, V> handler, LoopControl control) {
        this.options = options;
        this.reader = reader;
        this.handler = handler;
        this.control = control;
        this.producer = new KafkaProducer<>(ClientProperties.transactionalProducer(options, transactions),
                new ByteArraySerializer(), new ByteArraySerializer());
        this.consumer = ClientProperties.openConsumer(ClientProperties.transactionalConsumer(options),
                () -> producer.close(Duration.ZERO));
        this.transaction = new Transaction(producer, transactions.commitInterval(), transactions.transactionTimeout(),
                control.events());
        this.ownership = new PartitionOwnership(consumer, this, control, options.rebalanceListener());
        this.retries = new RetryBackoff(options.retry(), this::awaitRetry);
        this.pollDeadline = new PollDeadline(options);
        this.watch = new ConsumerWatch(consumer, control.events());
    }

    @Override
    public void wakeup() {
        consumer.wakeup();
    }

    @Override
    public void run() {
        Throwable failure = null;
        try {
            ClusterAnswer.await(consumer, options);
            // Fences an older producer with the same transactional.id and aborts what it left open.
            producer.initTransactions();
            options.subscribe(consumer, ownership);
            watch.started(options.groupId());
            while (!control.isClosing()) {
                applySeekRequests();
                processAll(poll(Duration.ofNanos(Math.min(options.pollTimeout().toNanos(),
                        transaction.nanosUntilDue()))));
                commitIfDue();
                watch.polled();
            }
        } catch (WakeupException e) {
            if (!control.isClosing()) {
                failure = e;
            }
        } catch (InterruptException e) {
            control.requestClose();
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        shutDown(failure);
    }

    private ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
        pollDeadline.polled();
        mustPoll = false;
        return consumer.poll(timeout);
    }

    private void processAll(ConsumerRecords<byte[], byte[]> records) {
        long abortsBefore = aborts;
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> fetched = records.records(partition);
            for (ConsumerRecord<byte[], byte[]> record : fetched) {
                if (!mayGoOn(partition)) {
                    giveBack(partition, record.offset());
                    break;
                }
                boolean finished = processRecoverably(partition, record);
                if (aborts != abortsBefore) {
                    return;  // rewound to the last commit: these records come again with the next poll
                }
                if (!finished) {
                    giveBack(partition, record.offset());
                    break;
                }
            }
            if (consumer.assignment().contains(partition)) {
                catchUp(partition, fetched.get(fetched.size() - 1).offset());
            }
        }
    }

    /**
     * {@link #processOne}, then the commit if it is due; a failed send, noticed now or thrown at once, aborts the
     * transaction instead.
     */
    private boolean processRecoverably(TopicPartition partition, ConsumerRecord<byte[], byte[]> record) {
        try {
            boolean finished = processOne(partition, record);
            Transaction.SendFailure failedSend = transaction.sendFailure();
            if (failedSend != null) {
                abortAndRewind(new KafkaException("a send into the transaction failed", failedSend.cause()));
            } else {
                commitIfDue();
            }
            return finished;
        } catch (KafkaException e) {
            if (TransactionErrors.isFatal(e)) {
                throw e;
            }
            abortAndRewind(e);
            return false;
        }
    }

    /**
     * Takes {@code record} to finished: its outputs, or its dead letter, sent into the transaction, and its
     * offset noted there.
     *
     * @return false if it was given up unfinished (closing, or its partition left during a retry wait)
     */
    private boolean processOne(TopicPartition partition, ConsumerRecord<byte[], byte[]> record) {
        ConsumerRecord<K, V> typed;
        try {
            typed = reader.deserialize(record);
        } catch (RuntimeException poisonPill) {
            return deadLetter(partition, record, poisonPill, DeadLetterPublisher.History.unreadable());
        }
        String what = record.topic() + "-" + record.partition() + " offset " + record.offset();
        FailedSends sends = failedSends.get(key(record));
        int attempt = 0;
        long firstFailure = 0;
        if (sends != null) {
            // Earlier transactions with this record's outputs aborted because a send failed: those were attempts.
            attempt = sends.attempts();
            firstFailure = sends.firstFailureMillis();
            if (retries.givesUp(attempt, what, sends.lastCause())) {
                return deadLetter(partition, record, sends.lastCause(),
                        new DeadLetterPublisher.History(attempt, firstFailure));
            }
            if (!retries.awaitNextAttempt(attempt, partition, what, sends.lastCause())) {
                return false;
            }
        }
        while (true) {
            attempt++;
            outputs.beginCall();
            LoopEvents events = control.events();
            long started = events.active() ? System.nanoTime() : 0;
            Exception failure = HandlerCall.attempt(r -> handler.handle(r, outputs), typed, record);
            List<ProducerRecord<byte[], byte[]>> made = outputs.endCall();
            if (failure == null) {
                for (ProducerRecord<byte[], byte[]> output : made) {
                    transaction.send(output, record, false);
                }
                transaction.finished(partition, record);
                if (events.active()) {
                    events.recordHandled(typed, System.nanoTime() - started);
                }
                return true;
            }
            if (attempt == 1) {
                firstFailure = System.currentTimeMillis();
            }
            boolean givesUp = retries.givesUp(attempt, what, failure);
            events.attemptFailed(typed, attempt, failure, !givesUp);
            if (givesUp) {
                return deadLetter(partition, record, failure, new DeadLetterPublisher.History(attempt, firstFailure));
            }
            if (!retries.awaitNextAttempt(attempt, partition, what, failure)) {
                return false;
            }
        }
    }

    /** Writes {@code record} to its dead-letter topic inside the transaction; finished with it. */
    private boolean deadLetter(TopicPartition partition, ConsumerRecord<byte[], byte[]> record, Throwable failure,
                               DeadLetterPublisher.History history) {
        ProducerRecord<byte[], byte[]> letter = DeadLetterPublisher.letterFor(options, record, failure, history);
        transaction.send(letter, record, true);
        transaction.finished(partition, record);
        control.events().deadLettered(record, letter.topic(), failure);
        LOG.warn("Dead-lettering {}-{} offset {} inside the transaction after {}", record.topic(),
                record.partition(), record.offset(), failure.toString());
        return true;
    }

    /** Checked before each record: not closing, still the partition's owner, and still in the group. */
    private boolean mayGoOn(TopicPartition partition) {
        if (control.isClosing() || mustPoll || !ownership.owns(partition)) {
            return false;
        }
        if (pollDeadline.missed()) {
            mustPoll = true;
            return false;
        }
        return true;
    }

    private void giveBack(TopicPartition partition, long offset) {
        if (!control.isClosing() && consumer.assignment().contains(partition)) {
            consumer.seek(partition, offset);
        }
    }

    /** If every record up to {@code lastReturned} is finished, commit past the markers after it too. */
    private void catchUp(TopicPartition partition, long lastReturned) {
        ConsumerPositions.knownPosition(consumer, partition)
                .ifPresent(position -> transaction.caughtUp(partition, lastReturned, position));
    }

    private void commitIfDue() {
        if (transaction.isDue()) {
            commitOrAbort();
        }
    }

    /** Commits the open transaction; aborts it and rewinds if that fails in a way it can recover from. */
    private void commitOrAbort() {
        if (!transaction.isOpen()) {
            return;
        }
        int records = transaction.records();
        try {
            transaction.commit(consumer.groupMetadata());
            failedSends.clear();
            LOG.debug("Committed a transaction of {} records", records);
        } catch (KafkaException e) {
            if (TransactionErrors.isFatal(e)) {
                throw e;
            }
            abortAndRewind(e);
        }
    }

    /**
     * Aborts the open transaction and rewinds its partitions, so that their records are processed again in the
     * next one. A failed send counts as a failed attempt of the record it was for.
     *
     * @throws ProcessingStoppedException if the failed send was a dead letter: the loop cannot put the record
     *                                    anywhere, so it stops rather than skip it
     */
    private void abortAndRewind(KafkaException cause) {
        Transaction.SendFailure failedSend = transaction.sendFailure();
        int records = transaction.records();
        Map<TopicPartition, Long> rewind = transaction.abort();
        aborts++;
        LOG.warn("Aborted a transaction of {} records, rewinding {} to their last committed offsets: {}", records,
                rewind, cause.toString());
        rewind.forEach((partition, offset) -> {
            if (consumer.assignment().contains(partition)) {
                consumer.seek(partition, offset);
            }
        });
        if (failedSend == null) {
            return;
        }
        ConsumerRecord<byte[], byte[]> input = failedSend.input();
        if (failedSend.deadLetter()) {
            throw new ProcessingStoppedException(input, "could not write it to its dead-letter topic",
                    failedSend.cause());
        }
        failedSends.merge(key(input), new FailedSends(1, System.currentTimeMillis(), failedSend.cause()),
                (before, now) -> new FailedSends(before.attempts() + 1, before.firstFailureMillis(), now.lastCause()));
    }

    private static String key(ConsumerRecord<byte[], byte[]> record) {
        return record.topic() + "-" + record.partition() + ":" + record.offset();
    }

    /**
     * Waits out a retry delay as the sequential loop does, and commits the transaction meanwhile when it is due,
     * so that a long backoff does not hold it open towards its timeout. An abort meanwhile (that commit failed)
     * rewound the partition: the retry is off, the record comes again with the next poll.
     */
    private boolean awaitRetry(TopicPartition partition, Duration delay) {
        long abortsBefore = aborts;
        return PausedWait.await(consumer, ownership, this::poll, partition, delay,
                () -> !control.isClosing() && aborts == abortsBefore, this::commitIfDue);
    }

    private void applySeekRequests() {
        SeekRequest request;
        while ((request = control.nextSeek()) != null) {
            commitOrAbort();
            SeekSteps.apply(request, consumer, Set.copyOf(consumer.assignment()),
                    new OffsetTracker(consumer, options), () -> { });
        }
    }

    /** Revoked cleanly: the open transaction, which has every finished record, commits before they go. */
    @Override
    public void commitNow(Collection<TopicPartition> partitions) {
        commitOrAbort();
    }

    @Override
    public void forget(Collection<TopicPartition> partitions) {
        transaction.forget(partitions);
        failedSends.keySet().removeIf(key -> partitions.stream()
                .anyMatch(partition -> key.startsWith(partition.topic() + "-" + partition.partition() + ":")));
    }

    /** Lost: another member may own them already, and this member's transaction would be refused. Abort it. */
    @Override
    public void lost(Collection<TopicPartition> partitions) {
        if (transaction.isOpen()) {
            abortAndRewind(new KafkaException("partitions " + partitions + " were lost"));
        }
        forget(partitions);
    }

    /**
     * Commits the open transaction (or aborts it), then closes the consumer, leaving the group, and the producer.
     * After a fatal failure the producer can do nothing more, so nothing is tried with it.
     */
    private void shutDown(Throwable failure) {
        ShutdownSteps steps = new ShutdownSteps(failure);
        if (failure == null || !TransactionErrors.isFatal(failure)) {
            steps.run(this::commitOrAbort);
        }
        steps.run(() -> consumer.close(CloseOptions.timeout(ShutdownSteps.CLIENT_CLOSE_TIMEOUT)));
        steps.run(() -> producer.close(ShutdownSteps.CLIENT_CLOSE_TIMEOUT));
        steps.run(reader::close);
        steps.rethrow();
    }
}
