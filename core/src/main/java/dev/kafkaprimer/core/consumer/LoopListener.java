package dev.kafkaprimer.core.consumer;

import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Told what a {@link CommitLoop} does, as it does it: for metrics, a live view, an audit log. Register one or
 * more with {@link ConsumerOptions.Builder#listener(LoopListener)}; every method has an empty default, so a
 * listener implements only what it needs. Every kind of commit loop reports (record by record, with workers, in
 * batches, transactional); a {@link ShareLoop} has its counts instead ({@link ShareLoop#counts()}).
 *
 * <p><b>Threads.</b> {@link #recordHandled}, {@link #attemptFailed} and {@link #deadLettered} run on the thread
 * that handled the record: the loop thread, or a worker thread when the options ask for workers, so several at
 * once. The others run on the loop thread. A listener must therefore be thread-safe, and quick: it runs inside
 * the loop, and a slow one slows the loop (count, record a timer, put an event on a queue; do not call Kafka or
 * a database). It must not call the loop's consumer, which it cannot reach anyway, and it may call
 * {@link CommitLoop#close()}.
 *
 * <p><b>Failures.</b> A listener that throws never breaks the loop: the exception is logged (at WARN, with its
 * stack trace, the first time each listener throws; at DEBUG after that) and the loop goes on as if the call
 * had returned. <b>Cost.</b> With no listener registered, the loop does not even read the clock for them.
 */
public interface LoopListener {

    /**
     * The loop has subscribed and is about to poll for the first time. The first call a listener gets; loop
     * thread.
     *
     * @param client the consumer's group, client id and metrics (for a metrics library to sample)
     */
    default void started(LoopClient client) {
    }

    /**
     * How many records each assigned partition has that this consumer has not fetched yet: the log end (the
     * last stable offset with {@code read_committed}) minus the consumer's position, as the consumer knows them
     * from its last fetch, without asking the broker. Told after a poll, at most twice a second, for the
     * partitions whose lag is known (not before their first fetch). Fetched records still being handled are not
     * lag here; the group's lag after the commit is {@code TopicAdmin.groupLag}. Loop thread.
     *
     * @param lag records behind the log end, per partition; read-only
     */
    default void lagMeasured(Map<TopicPartition, Long> lag) {
    }

    /**
     * The handler returned for {@code record}: it is finished, and will be committed.
     *
     * @param record        the record, key and value deserialized
     * @param handlerNanos  how long the handler's successful call took; for a batch handler, the whole batch's call
     */
    default void recordHandled(ConsumerRecord<?, ?> record, long handlerNanos) {
    }

    /**
     * The handler threw for {@code record}.
     *
     * @param record   the record
     * @param attempt  which attempt failed, from 1
     * @param failure  what the handler threw
     * @param retrying true if the retry policy tries again; false if the record goes to the dead-letter topic now
     */
    default void attemptFailed(ConsumerRecord<?, ?> record, int attempt, Throwable failure, boolean retrying) {
    }

    /**
     * {@code record} was written to its dead-letter topic and acknowledged: it counts as finished. In the
     * transactional loop: sent into the open transaction, which commits it together with the record's offset.
     *
     * @param record          the record as fetched, bytes (a poison pill could not be read at all)
     * @param deadLetterTopic where it was written
     * @param failure         why: the handler's last exception, or the deserializer's
     */
    default void deadLettered(ConsumerRecord<byte[], byte[]> record, String deadLetterTopic, Throwable failure) {
    }

    /**
     * The group coordinator accepted a commit; in the transactional loop, a transaction carrying offsets committed.
     *
     * @param offsets     per partition, the committed offset: the next record to read there
     * @param commitNanos how long the commit took; 0 for an asynchronous commit, whose start is not timed
     */
    default void committed(Map<TopicPartition, OffsetAndMetadata> offsets, long commitNanos) {
    }

    /**
     * Partitions were assigned, revoked or lost: what a {@link RebalanceListener} is told, at the same moment.
     *
     * @param event what changed
     */
    default void rebalanced(RebalanceEvent event) {
    }

    /**
     * The loop stopped fetching {@code partitions}: it waits out a retry delay, or holds as many records as it may.
     *
     * @param partitions the partitions paused now
     */
    default void paused(Set<TopicPartition> partitions) {
    }

    /**
     * The loop fetches {@code partitions} again.
     *
     * @param partitions the partitions resumed now
     */
    default void resumed(Set<TopicPartition> partitions) {
    }

    /**
     * The loop has stopped: {@code run()} is about to return or throw. The last call a listener gets.
     *
     * @param cause what {@code run()} throws; null after {@code close()}
     */
    default void stopped(Throwable cause) {
    }
}
