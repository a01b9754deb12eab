package dev.kafkaprimer.core.consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Thrown by {@link CommitLoop#run()} when the loop stopped at a record it must not get past: the handler
 * threw a {@link StopProcessingException}, or the record could not be written to the dead-letter topic.
 *
 * <p>By the time it is thrown the loop has committed every record finished before this one, and not this
 * one, and has closed its consumer: the group's committed offset for {@link #partition()} is at most
 * {@link #offset()}, so the next consumer of that partition starts with this record again.
 */
public final class ProcessingStoppedException extends RuntimeException {

    /** The partition of the record the loop stopped at. */
    private final TopicPartition partition;
    /** The offset of the record the loop stopped at. */
    private final long offset;

    /**
     * Made by the loop's engine when it stops at {@code record}; applications catch it, they do not throw it.
     *
     * @param record the record the loop stopped at; not null
     * @param reason why, in a few words
     * @param cause  the failure, or null
     */
    public ProcessingStoppedException(ConsumerRecord<?, ?> record, String reason, Throwable cause) {
        super("stopped at " + record.topic() + "-" + record.partition() + " offset " + record.offset() + ": "
                + reason + (cause == null ? "" : " (" + cause + ")")
                + "; its offset was not committed, so the group will read it again", cause);
        this.partition = new TopicPartition(record.topic(), record.partition());
        this.offset = record.offset();
    }

    /**
     * The partition of the record the loop stopped at.
     *
     * @return the topic and partition; never null
     */
    public TopicPartition partition() {
        return partition;
    }

    /**
     * The offset of the record the loop stopped at: not processed, not committed.
     *
     * @return the record's offset
     */
    public long offset() {
        return offset;
    }
}
