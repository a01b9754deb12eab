package dev.kafkaprimer.core.consumer.internal;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transactional loop's open transaction: the outputs and dead letters sent into it, and the input offsets
 * that go with them. It begins with the first thing sent or finished and ends with {@link #commit} or
 * {@link #abort}; outputs and offsets are committed together, or neither is. Loop thread only, except the
 * producer's callbacks, which only note the first failed send.
 */
final class Transaction {

    /** A send into the transaction that failed, with the input record it was for. */
    record SendFailure(ConsumerRecord<byte[], byte[]> input, boolean deadLetter, Exception cause) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(Transaction.class);

    private final Producer<byte[], byte[]> producer;
    private final long intervalNanos;
    private final Duration commitDeadline;
    private final LoopEvents events;
    /** Per input partition, the offset after its last finished record: what the commit stores. */
    private final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    /** Per input partition, its first record in this transaction: where an abort rewinds it to. */
    private final Map<TopicPartition, Long> firstOffsets = new HashMap<>();
    /**
     * The first failed send of this transaction. A new one per transaction: callbacks of an aborted
     * transaction's sends may still come after the abort, and must not fail the next one.
     */
    private AtomicReference<SendFailure> failure = new AtomicReference<>();
    private boolean open;
    private long openedNanos;
    private int records;

    Transaction(Producer<byte[], byte[]> producer, Duration commitInterval, Duration commitDeadline) {
        this(producer, commitInterval, commitDeadline, LoopEvents.NONE);
    }

    Transaction(Producer<byte[], byte[]> producer, Duration commitInterval, Duration commitDeadline,
                LoopEvents events) {
        this.events = events;
        this.producer = producer;
        this.intervalNanos = commitInterval.toNanos();
        this.commitDeadline = commitDeadline;
    }

    /**
     * Sends {@code output} (an output or a dead letter of {@code input}) into the transaction, beginning it if
     * needed. Does not wait: a failure is noted, and fails the commit.
     *
     * @throws KafkaException if the producer refused it at once (it already failed, or the topic's metadata did
     *                        not come within {@code max.block.ms}); noted as the failure too
     */
    void send(ProducerRecord<byte[], byte[]> output, ConsumerRecord<byte[], byte[]> input, boolean deadLetter) {
        begin();
        AtomicReference<SendFailure> ofThisTransaction = failure;
        try {
            producer.send(output, (metadata, e) -> {
                if (e != null) {
                    ofThisTransaction.compareAndSet(null, new SendFailure(input, deadLetter, e));
                }
            });
        } catch (KafkaException e) {
            ofThisTransaction.compareAndSet(null, new SendFailure(input, deadLetter, e));
            throw e;
        }
    }

    /** {@code record} of {@code partition} is finished: its offset goes with this transaction. */
    void finished(TopicPartition partition, ConsumerRecord<byte[], byte[]> record) {
        begin();
        firstOffsets.putIfAbsent(partition, record.offset());
        offsets.put(partition, new OffsetAndMetadata(record.offset() + 1, record.leaderEpoch(), ""));
        records++;
    }

    /**
     * The consumer returned records of {@code partition} up to {@code lastReturned} and is at {@code position}:
     * if every one of them is finished in this transaction, its offset moves to the position, past the transaction
     * markers after the last one, which need no handling. If the last one is not finished (the loop gave up on
     * it, or is closing), nothing moves: the position would skip it.
     */
    void caughtUp(TopicPartition partition, long lastReturned, long position) {
        OffsetAndMetadata last = offsets.get(partition);
        if (last != null && last.offset() == lastReturned + 1 && position > last.offset()) {
            offsets.put(partition, new OffsetAndMetadata(position));
        }
    }

    boolean isOpen() {
        return open;
    }

    /** Whether the transaction has been open for the commit interval. */
    boolean isDue() {
        return open && System.nanoTime() - openedNanos >= intervalNanos;
    }

    /** Nanoseconds until the transaction is due, for the poll to wait at most; the interval if none is open. */
    long nanosUntilDue() {
        return open ? Math.max(0, openedNanos + intervalNanos - System.nanoTime()) : intervalNanos;
    }

    /** The first send that failed, if any: the transaction cannot commit then. */
    SendFailure sendFailure() {
        return failure.get();
    }

    /** The input records finished in this transaction. */
    int records() {
        return records;
    }

    /** Drops the input offsets of {@code partitions}; only for partitions with nothing finished since the commit. */
    void forget(Collection<TopicPartition> partitions) {
        offsets.keySet().removeAll(partitions);
        firstOffsets.keySet().removeAll(partitions);
    }

    /**
     * Commits: sends the input offsets with the consumer's group metadata, which lets the group coordinator
     * refuse them if this member is no longer the partitions' owner, then commits outputs and offsets together.
     * A commit that times out is retried, as kafka-clients asks (an abort is not allowed then: the commit may be
     * completing), until the commit deadline.
     *
     * @throws KafkaException abortable or fatal, as {@link TransactionErrors} tells
     */
    void commit(ConsumerGroupMetadata group) {
        if (!open) {
            return;
        }
        long started = System.nanoTime();
        if (!offsets.isEmpty()) {
            producer.sendOffsetsToTransaction(Map.copyOf(offsets), group);
        }
        long deadline = started + commitDeadline.toNanos();
        while (true) {
            try {
                producer.commitTransaction();
                break;
            } catch (TimeoutException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw new TransactionErrors.OutcomeUnknownException("the commit of a transaction of " + records
                            + " records was not acknowledged within " + commitDeadline.toMillis() + " ms", e);
                }
                LOG.warn("The commit of a transaction of {} records timed out; trying it again: {}", records,
                        e.toString());
            }
        }
        if (!offsets.isEmpty()) {
            events.committed(offsets, System.nanoTime() - started);
        }
        reset();
    }

    /**
     * Aborts: the outputs and offsets of the transaction are discarded (readers with {@code read_committed}
     * never see the outputs).
     *
     * @return per input partition, the offset to rewind to: its first record in the aborted transaction
     * @throws KafkaException if the abort itself failed: the producer cannot go on
     */
    Map<TopicPartition, Long> abort() {
        Map<TopicPartition, Long> rewind = Map.copyOf(firstOffsets);
        if (open) {
            producer.abortTransaction();
        }
        reset();
        return rewind;
    }

    private void begin() {
        if (!open) {
            producer.beginTransaction();
            open = true;
            openedNanos = System.nanoTime();
        }
    }

    private void reset() {
        open = false;
        offsets.clear();
        firstOffsets.clear();
        failure = new AtomicReference<>();
        records = 0;
    }
}
