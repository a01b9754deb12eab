package dev.kafkaprimer.core.consumer.internal;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One fetched record in a loop with worker threads, from fetch to finished: the raw record (for the
 * dead-letter topic), the record as the handler sees it, or the deserializer's failure for a record that
 * cannot be read. The loop thread creates it and keeps its state; a worker thread only reads the final
 * fields while it runs an attempt.
 *
 * @param <K> the type of record keys
 * @param <V> the type of record values
 */
final class WorkItem<K, V> {

    private final ConsumerRecord<byte[], byte[]> record;
    private final ConsumerRecord<K, V> typed;
    private final RuntimeException unreadable;
    private final PartitionWindow window;
    private int attempts;
    private boolean finished;
    private long retryAtNanos;
    /** When the first attempt failed; set by the loop thread before it hands out the second attempt. */
    private long firstFailureMillis;
    /** When the loop thread last queued an attempt at it for the workers. */
    private long queuedAtNanos;
    /** The record after it in the run a worker handles one after the other, or null; set by the loop thread. */
    private WorkItem<K, V> nextInRun;

    private WorkItem(ConsumerRecord<byte[], byte[]> record, ConsumerRecord<K, V> typed,
                     RuntimeException unreadable, PartitionWindow window) {
        this.record = record;
        this.typed = typed;
        this.unreadable = unreadable;
        this.window = window;
    }

    static <K, V> WorkItem<K, V> readable(ConsumerRecord<byte[], byte[]> record, ConsumerRecord<K, V> typed,
                                    PartitionWindow window) {
        return new WorkItem<>(record, typed, null, window);
    }

    /** A poison pill: no attempt can read it, so its only attempt writes it to the dead-letter topic. */
    static <K, V> WorkItem<K, V> unreadable(ConsumerRecord<byte[], byte[]> record, RuntimeException failure,
                                      PartitionWindow window) {
        return new WorkItem<>(record, null, failure, window);
    }

    ConsumerRecord<byte[], byte[]> record() {
        return record;
    }

    /** The record for the handler; null for a poison pill. */
    ConsumerRecord<K, V> typed() {
        return typed;
    }

    /** Why the record could not be read, or null. */
    RuntimeException unreadable() {
        return unreadable;
    }

    PartitionWindow window() {
        return window;
    }

    /** Counts a new attempt and returns its number, from 1. */
    int startAttempt() {
        return ++attempts;
    }

    int attempts() {
        return attempts;
    }

    /** The attempt counted by {@link #startAttempt()} did not start: its run stopped at an older record. */
    void undoAttempt() {
        attempts--;
    }

    WorkItem<K, V> nextInRun() {
        return nextInRun;
    }

    void nextInRun(WorkItem<K, V> next) {
        nextInRun = next;
    }

    boolean isFinished() {
        return finished;
    }

    void finish() {
        finished = true;
    }

    long firstFailureMillis() {
        return firstFailureMillis;
    }

    void firstFailedAt(long millis) {
        firstFailureMillis = millis;
    }

    long queuedAtNanos() {
        return queuedAtNanos;
    }

    void queuedAt(long nanos) {
        queuedAtNanos = nanos;
    }

    long retryAtNanos() {
        return retryAtNanos;
    }

    void retryAt(long nanos) {
        retryAtNanos = nanos;
    }

    @Override
    public String toString() {
        return record.topic() + "-" + record.partition() + " offset " + record.offset();
    }
}
