package dev.kafkaprimer.core.consumer.internal;

import java.util.List;
import java.util.function.ObjLongConsumer;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import dev.kafkaprimer.core.consumer.BatchHandler;
import dev.kafkaprimer.core.consumer.ProcessingStoppedException;
import dev.kafkaprimer.core.consumer.RecordHandler;

/**
 * How the sequential loop ({@link LoopEngine}) takes the records one poll brought for one partition from raw
 * bytes to finished: {@link RecordProcessor} hands them to a {@link RecordHandler} one by one,
 * {@link BatchProcessor} to a {@link BatchHandler} in batches. Either way it hands them over in offset order and
 * tells the {@link OffsetTracker} about finished records in that order, so a commit never covers a record that
 * is not finished. Loop thread only.
 */
interface PartitionProcessor {

    /**
     * Processes {@code records}, all of {@code partition}, until each is finished (handled, or written to the
     * dead-letter topic), or until it gives up: when the loop is closing, the partition was revoked during a
     * retry wait, or the group moved on without this member (no poll for {@code max.poll.interval.ms}, or a
     * refused commit). What it gives up stays unfinished and uncommitted, is given back (the partition rewound to
     * it), and is read again: by this member if it keeps the partition, else by the partition's next owner.
     *
     * @throws ProcessingStoppedException if the handler asked to stop, or a dead-letter write failed
     */
    void process(TopicPartition partition, List<ConsumerRecord<byte[], byte[]>> records);

    /**
     * The parts of the loop both ways of processing work with; built once per run by {@link LoopEngine}.
     *
     * @param reader      reads fetched bytes into the records handlers see
     * @param deadLetters writes what cannot be processed to the dead-letter topic
     * @param retries     how often to retry, and the wait in between
     * @param offsets     told of every finished record, in offset order
     * @param goOn        whether the loop may go on with a partition: it is not closing, still owns it and is
     *                    still a member of the group
     * @param giveBack    rewinds a partition to the first record it fetched but gave up before handling, so that
     *                    it is read again (by this member, if it keeps the partition)
     * @param events      the loop's listeners, told of each handled record and failed attempt
     * @param <K>         the type of record keys
     * @param <V>         the type of record values
     */
    record Parts<K, V>(RecordDeserializer<K, V> reader, DeadLetterPublisher deadLetters, RetryBackoff retries,
                    OffsetTracker offsets, Predicate<TopicPartition> goOn, ObjLongConsumer<TopicPartition> giveBack,
                    LoopEvents events) {

        /** {@code partition}'s records from {@code offset} on were not handled: read them again. */
        void giveBack(TopicPartition partition, long offset) {
            giveBack.accept(partition, offset);
        }

        /** Whether the loop may go on with {@code partition}: checked before each record, or batch. */
        boolean mayGoOn(TopicPartition partition) {
            return goOn.test(partition);
        }

        /**
         * Writes {@code record} to its dead-letter topic, bytes untouched, with {@code failure} and
         * {@code history} in the headers; once acknowledged, the record is finished.
         *
         * @throws ProcessingStoppedException if the write failed
         */
        void deadLetter(ConsumerRecord<byte[], byte[]> record, Throwable failure,
                        DeadLetterPublisher.History history) {
            deadLetters.publish(record, failure, history);
            offsets.finished(record);
        }

        /**
         * Writes {@code records}, consecutive records of {@code partition} in offset order, to the dead-letter
         * topic with the same {@code failure}, waiting once for all acknowledgements; then all are finished.
         *
         * @throws ProcessingStoppedException if a write failed: none of them counts as finished then
         */
        void deadLetterAll(TopicPartition partition, List<ConsumerRecord<byte[], byte[]>> records, Throwable failure,
                           DeadLetterPublisher.History history) {
            deadLetters.publishAll(records, failure, history);
            offsets.finished(partition, records.get(records.size() - 1), records.size());
        }
    }
}
