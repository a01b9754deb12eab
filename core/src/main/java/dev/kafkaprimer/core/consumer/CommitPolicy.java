package dev.kafkaprimer.core.consumer;

/**
 * When a {@link CommitLoop} commits the offsets of records its handler has finished. Every policy commits
 * only finished work and commits synchronously when partitions are revoked and when the loop closes; they
 * differ in how much finished-but-uncommitted work a crash (a killed process, a lost machine) leaves behind.
 * That work is read and handled again by whichever consumer takes the partition over: the delivery is
 * <em>at least once</em>, and the policy sets how many duplicates a crash may cause.
 *
 * <p>A commit is a request to the group coordinator, a broker: its cost is a network round trip and a write
 * to the internal {@code __consumer_offsets} topic.
 *
 * <p>With worker threads (see {@link Ordering}) what is committed is each partition's safe offset, the one
 * below which every record is finished; {@link #PER_RECORD} then commits each time it moves. Records finish one
 * by one there, not a poll at a time, so {@link #PER_BATCH} and {@link #ASYNC} commit by time instead: once the
 * safe offsets have moved and {@link ConsumerOptions.Builder#workerCommitInterval(java.time.Duration)} (5 ms by
 * default) has passed since the last commit, whether or not new records arrive. A crash then repeats what
 * finished in the last interval, plus what was being handled.
 *
 * <p>With a {@link BatchHandler} a batch is finished as a whole when the handler returns, so {@link #PER_RECORD}
 * commits once per batch (and once per record the loop writes to the dead-letter topic), and
 * {@link #EVERY_N_RECORDS_OR_INTERVAL} counts the batch's records and checks after each batch.
 */
public enum CommitPolicy {

    /**
     * Commit synchronously after every record. Guarantee: a crash repeats at most the one record that was
     * being handled. Cost: one blocking round trip per record, which bounds throughput to a few hundred or
     * thousand records a second per consumer.
     */
    PER_RECORD,

    /**
     * Commit synchronously once every record of one {@code poll()} is finished. Guarantee: a crash repeats at
     * most one poll's worth, up to {@code max.poll.records} per consumer. Cost: one round trip per poll. The
     * default: a good balance for most handlers.
     */
    PER_BATCH,

    /**
     * Commit synchronously once N records were finished since the last commit, or once T has passed since it
     * (checked after each record and after each poll, even an empty one). Guarantee: a crash repeats at most
     * about N records or T of work. Cost: one round trip per N records, and at most one per T when traffic is
     * slow. N and T are set with {@link ConsumerOptions.Builder#commitEvery(int, java.time.Duration)}.
     */
    EVERY_N_RECORDS_OR_INTERVAL,

    /**
     * Commit asynchronously after every poll, without waiting for the answer; a final synchronous commit
     * happens when partitions are revoked and when the loop closes. Guarantee: as {@link #PER_BATCH} when
     * commits succeed; a failed asynchronous commit is not retried (the next one covers it, being newer), so a
     * crash right after a failure may repeat a few polls' worth. Cost: the lowest latency, since the loop
     * never waits for the coordinator while running.
     */
    ASYNC
}
