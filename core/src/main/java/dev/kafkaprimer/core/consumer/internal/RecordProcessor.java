package dev.kafkaprimer.core.consumer.internal;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import dev.kafkaprimer.core.consumer.ProcessingStoppedException;
import dev.kafkaprimer.core.consumer.RecordHandler;

/**
 * Takes records to finished one at a time: deserializes each, hands it to the {@link RecordHandler}, retries
 * with backoff, and dead-letters what cannot be processed. Loop thread only.
 *
 * @param <K> the type of record keys
 * @param <V> the type of record values
 */
final class RecordProcessor<K, V> implements PartitionProcessor {

    private final HandlerCall.Body<ConsumerRecord<K, V>> handler;
    private final Parts<K, V> parts;

    RecordProcessor(RecordHandler<K, V> handler, Parts<K, V> parts) {
        this.handler = handler::handle;
        this.parts = parts;
    }

    @Override
    public void process(TopicPartition partition, List<ConsumerRecord<byte[], byte[]>> records) {
        for (ConsumerRecord<byte[], byte[]> record : records) {
            // Closing, a rebalance inside a retry wait took the partition, or the group moved on without this
            // member: this record and the rest are read again, by this member or the partition's next owner.
            if (!parts.mayGoOn(partition) || !processOne(partition, record)) {
                parts.giveBack(partition, record.offset());
                return;
            }
        }
    }

    /**
     * Processes {@code record} until it is finished: handled, or written to the dead-letter topic.
     *
     * @return true when finished (the offset tracker knows); false when it was given up unfinished because its
     *         partition was revoked or the loop is closing (its next reader will process it)
     * @throws ProcessingStoppedException if the handler asked to stop, or the dead-letter write failed
     */
    private boolean processOne(TopicPartition partition, ConsumerRecord<byte[], byte[]> record) {
        ConsumerRecord<K, V> typed;
        try {
            typed = parts.reader().deserialize(record);
        } catch (RuntimeException poisonPill) {
            // No retry can make these bytes readable: dead-letter them untouched, and move on.
            parts.deadLetter(record, poisonPill, DeadLetterPublisher.History.unreadable());
            return true;
        }
        long firstFailure = 0;
        LoopEvents events = parts.events();
        for (int attempt = 1; ; attempt++) {
            long started = events.active() ? System.nanoTime() : 0;
            Exception failure = HandlerCall.attempt(handler, typed, record);
            if (failure == null) {
                parts.offsets().finished(partition, record, 1);
                if (events.active()) {
                    events.recordHandled(typed, System.nanoTime() - started);
                }
                return true;
            }
            if (attempt == 1) {
                firstFailure = System.currentTimeMillis();
            }
            String what = record.topic() + "-" + record.partition() + " offset " + record.offset();
            boolean givesUp = parts.retries().givesUp(attempt, what, failure);
            events.attemptFailed(typed, attempt, failure, !givesUp);
            if (givesUp) {
                parts.deadLetter(record, failure, new DeadLetterPublisher.History(attempt, firstFailure));
                return true;
            }
            if (!parts.retries().awaitNextAttempt(attempt, partition, what, failure)) {
                return false;
            }
        }
    }
}
