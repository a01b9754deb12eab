package dev.kafkaprimer.core.consumer.internal;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kafkaprimer.core.consumer.BatchFailedException;
import dev.kafkaprimer.core.consumer.BatchHandler;
import dev.kafkaprimer.core.consumer.ProcessingStoppedException;
import dev.kafkaprimer.core.consumer.StopProcessingException;

/**
 * Takes records to finished in batches, for a {@link BatchHandler}: gathers the readable records of one
 * partition from one poll, hands them over at once, retries with backoff, and dead-letters what cannot be
 * processed, as {@link BatchHandler} describes. Loop thread only.
 *
 * <p>The offsets stay in order: a poison pill is dead-lettered only after the records before it were handed
 * over, and after a {@link BatchFailedException} only the records before the failed one count as finished.
 *
 * @param <K> the type of record keys
 * @param <V> the type of record values
 */
final class BatchProcessor<K, V> implements PartitionProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(BatchProcessor.class);

    private final HandlerCall.Body<List<ConsumerRecord<K, V>>> handler;
    private final Parts<K, V> parts;

    BatchProcessor(BatchHandler<K, V> handler, Parts<K, V> parts) {
        this.handler = handler::handle;
        this.parts = parts;
    }

    @Override
    public void process(TopicPartition partition, List<ConsumerRecord<byte[], byte[]>> records) {
        Gathered<K, V> gathered = new Gathered<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            ConsumerRecord<K, V> typed;
            try {
                typed = parts.reader().deserialize(record);
            } catch (RuntimeException poisonPill) {
                // The records before it first, so that every offset is finished in order.
                if (!handle(partition, gathered)) {
                    return;   // it gave the rest back
                }
                if (!parts.mayGoOn(partition)) {
                    parts.giveBack(partition, record.offset());
                    return;
                }
                parts.deadLetter(record, poisonPill, DeadLetterPublisher.History.unreadable());
                gathered = new Gathered<>();
                continue;
            }
            gathered.add(record, typed);
        }
        handle(partition, gathered);
    }

    /**
     * Hands the gathered records over, then what is left of them after each failure, until every one is
     * finished: handled, or written to the dead-letter topic.
     *
     * @return true when all are finished; false when the rest was given up unfinished, and given back (read
     *         again), because the partition was revoked, the loop is closing, or the group moved on without
     *         this member
     * @throws ProcessingStoppedException if the handler asked to stop, or a dead-letter write failed
     */
    private boolean handle(TopicPartition partition, Gathered<K, V> gathered) {
        int first = 0;      // the first record not finished yet: the next batch starts here
        int attempts = 0;   // attempts at batches starting with that record
        long firstFailure = 0;  // when the first of those attempts failed
        while (first < gathered.size()) {
            if (!parts.mayGoOn(partition)) {
                parts.giveBack(partition, gathered.fetched(first).offset());
                return false;
            }
            attempts++;
            List<ConsumerRecord<K, V>> batch = gathered.readFrom(first);
            long started = parts.events().active() ? System.nanoTime() : 0;
            Exception failure = HandlerCall.attempt(handler, batch, gathered.fetched(first));
            long took = parts.events().active() ? System.nanoTime() - started : 0;
            if (failure == null) {
                finish(partition, gathered, first, gathered.size());
                handled(batch, batch.size(), took);
                return true;
            }
            int failedIndex = failedIndex(failure, batch, gathered.fetched(first));
            if (failedIndex > 0) {
                // The handler got this far: those records are done, and the failed one is now the first, on its
                // first failed attempt.
                finish(partition, gathered, first, first + failedIndex);
                handled(batch, failedIndex, took);
                first += failedIndex;
                attempts = 1;
            }
            if (attempts == 1) {
                firstFailure = System.currentTimeMillis();
            }
            Throwable cause = failure instanceof BatchFailedException pinpointed ? pinpointed.getCause() : failure;
            StopProcessingException stop = FailureChain.find(cause, StopProcessingException.class);
            if (stop != null) {
                throw new ProcessingStoppedException(gathered.fetched(first), "the handler asked to stop", stop);
            }
            String what = describe(gathered, first, failedIndex >= 0);
            boolean givesUp = parts.retries().givesUp(attempts, what, cause);
            failed(batch, Math.max(0, failedIndex), failedIndex >= 0, attempts, cause, !givesUp);
            if (!givesUp) {
                if (!parts.retries().awaitNextAttempt(attempts, partition, what, cause)) {
                    parts.giveBack(partition, gathered.fetched(first).offset());
                    return false;
                }
            } else if (failedIndex >= 0) {
                // Only the failed record is given up on; the records after it go on as a new batch.
                parts.deadLetter(gathered.fetched(first), cause,
                        new DeadLetterPublisher.History(attempts, firstFailure));
                first++;
                attempts = 0;
            } else {
                // The handler did not say which record failed: every record of the batch is given up on, in one
                // round trip to the dead-letter topic.
                parts.deadLetterAll(partition, gathered.fetchedFrom(first), cause,
                        new DeadLetterPublisher.History(attempts, firstFailure));
                return true;
            }
        }
        return true;
    }

    /**
     * Where in {@code batch} the handler said it failed; -1 when it did not say (a plain exception), or named a
     * record the batch does not have, which is then a failure of the whole batch.
     */
    private static int failedIndex(Exception failure, List<?> batch, ConsumerRecord<?, ?> first) {
        if (!(failure instanceof BatchFailedException pinpointed)) {
            return -1;
        }
        if (pinpointed.failedIndex() < batch.size()) {
            return pinpointed.failedIndex();
        }
        LOG.warn("The batch handler said record {} failed, but its batch of {} records from {}-{} offset {} has no "
                        + "such record; treating it as a failure of the whole batch", pinpointed.failedIndex(),
                batch.size(), first.topic(), first.partition(), first.offset());
        return -1;
    }

    /** The first {@code count} records of {@code batch} are handled: each listener hears of each, with the call's time. */
    private void handled(List<ConsumerRecord<K, V>> batch, int count, long took) {
        if (parts.events().active()) {
            for (int i = 0; i < count; i++) {
                parts.events().recordHandled(batch.get(i), took);
            }
        }
    }

    /**
     * A failed attempt: of the one record the handler named ({@code at}), or of every record of the batch from
     * {@code at} on when it did not say which failed.
     */
    private void failed(List<ConsumerRecord<K, V>> batch, int at, boolean oneRecord, int attempt, Throwable cause,
                        boolean retrying) {
        if (parts.events().active()) {
            int to = oneRecord ? at + 1 : batch.size();
            for (int i = at; i < to; i++) {
                parts.events().attemptFailed(batch.get(i), attempt, cause, retrying);
            }
        }
    }

    /** Tells the offset tracker, in one call, that records {@code from} to {@code to} (exclusive) are finished. */
    private void finish(TopicPartition partition, Gathered<K, V> gathered, int from, int to) {
        parts.offsets().finished(partition, gathered.fetched(to - 1), to - from);
    }

    /** For the log: the failed record, or the whole batch from {@code first} on. */
    private static String describe(Gathered<?, ?> gathered, int first, boolean oneRecord) {
        ConsumerRecord<byte[], byte[]> failed = gathered.fetched(first);
        String where = failed.topic() + "-" + failed.partition() + " offset " + failed.offset();
        int size = gathered.size() - first;
        return oneRecord
                ? where + " (the first of a batch of " + size + ")"
                : "a batch of " + size + " record(s) from " + where;
    }

    /**
     * The readable records gathered for one batch, in offset order: as fetched, for the dead-letter topic, and
     * as read, for the handler.
     */
    private static final class Gathered<K, V> {
        private final List<ConsumerRecord<byte[], byte[]>> fetched = new ArrayList<>();
        private final List<ConsumerRecord<K, V>> read = new ArrayList<>();

        void add(ConsumerRecord<byte[], byte[]> record, ConsumerRecord<K, V> typed) {
            fetched.add(record);
            read.add(typed);
        }

        int size() {
            return fetched.size();
        }

        ConsumerRecord<byte[], byte[]> fetched(int index) {
            return fetched.get(index);
        }

        /** The records from {@code first} on, as fetched. */
        List<ConsumerRecord<byte[], byte[]>> fetchedFrom(int first) {
            return fetched.subList(first, fetched.size());
        }

        /** The records from {@code first} on, as the handler gets them: an unmodifiable copy it may keep. */
        List<ConsumerRecord<K, V>> readFrom(int first) {
            return List.copyOf(read.subList(first, read.size()));
        }
    }
}
