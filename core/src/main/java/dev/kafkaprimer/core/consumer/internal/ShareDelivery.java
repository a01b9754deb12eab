package dev.kafkaprimer.core.consumer.internal;

import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One record a share group gave this member: its bytes, what it was read as (or why it could not be), and, once
 * its handler has returned, how to acknowledge it. Made and acknowledged on the loop thread; a worker sets the
 * outcome, which the loop reads after the worker put the delivery on the loop's finished queue (that hand-off
 * orders the two).
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class ShareDelivery<K, V> {

    /** Where a delivery is: which partition's offset. A record comes back under the same id after a renewal. */
    record Id(String topic, int partition, long offset) {

        static Id of(ConsumerRecord<?, ?> record) {
            return new Id(record.topic(), record.partition(), record.offset());
        }

        @Override
        public String toString() {
            return topic + "-" + partition + " offset " + offset;
        }
    }

    private final Id id;
    /** The record as the last poll that returned it did: the consumer acknowledges only that object. */
    private ConsumerRecord<byte[], byte[]> raw;
    private final ConsumerRecord<K, V> typed;
    private final RuntimeException unreadable;
    /** When the broker's lock on this record last started: at its acquisition, then at each renewal. */
    private long lockStartNanos;
    /** Whether the last poll returned it: only such records may be acknowledged before the next poll. */
    private boolean inLastPoll = true;
    private volatile AcknowledgeType outcome;

    private ShareDelivery(ConsumerRecord<byte[], byte[]> raw, ConsumerRecord<K, V> typed,
                          RuntimeException unreadable, long nowNanos) {
        this.id = Id.of(raw);
        this.raw = raw;
        this.typed = typed;
        this.unreadable = unreadable;
        this.lockStartNanos = nowNanos;
    }

    /** Reads {@code raw} with {@code reader}; a key or value it cannot read makes a poison-pill delivery. */
    static <K, V> ShareDelivery<K, V> read(ConsumerRecord<byte[], byte[]> raw, RecordDeserializer<K, V> reader,
                                           long nowNanos) {
        try {
            return new ShareDelivery<>(raw, reader.deserialize(raw), null, nowNanos);
        } catch (RuntimeException e) {
            return new ShareDelivery<>(raw, null, e, nowNanos);
        }
    }

    Id id() {
        return id;
    }

    ConsumerRecord<byte[], byte[]> raw() {
        return raw;
    }

    /** The record as the handler sees it; null for a poison pill. */
    ConsumerRecord<K, V> typed() {
        return typed;
    }

    /** Why its key or value could not be read; null if it could. */
    RuntimeException unreadable() {
        return unreadable;
    }

    /** The broker's count of deliveries of this record, this one included (1 on a first delivery). */
    int deliveryCount() {
        return raw.deliveryCount().map(Short::intValue).orElse(1);
    }

    long lockStartNanos() {
        return lockStartNanos;
    }

    boolean inLastPoll() {
        return inLastPoll;
    }

    /** The loop renewed the lock: the record is out of the last poll until the broker returns it again. */
    void renewed() {
        inLastPoll = false;
    }

    /** A poll returned the record again after its renewal; its lock started again. */
    void returnedAgain(ConsumerRecord<byte[], byte[]> again, long nowNanos) {
        raw = again;
        inLastPoll = true;
        lockStartNanos = nowNanos;
    }

    /** Set by the worker before it hands the delivery back. */
    void finish(AcknowledgeType outcome) {
        this.outcome = outcome;
    }

    /** How to acknowledge it; null while its handler runs. */
    AcknowledgeType outcome() {
        return outcome;
    }
}
