package dev.kafkaprimer.core.consumer;

/**
 * Which records of a {@link CommitLoop} may be handled at the same time, and so which of them keep their order.
 * Together with {@link ConsumerOptions.Builder#concurrency(int)}, the number of worker threads, it decides how
 * much one consumer can do at once. Kafka itself orders records only within a partition; producers that use a
 * key (a user id, an order id) put all records of one key in one partition, in the order they were sent.
 *
 * <p>Whatever the ordering, offsets stay safe: the loop commits, per partition, only the offset below which
 * every record is finished, so a crash never skips a record (see {@link CommitLoop}, "Parallel processing").
 */
public enum Ordering {

    /**
     * One record of a partition at a time, in offset order; different partitions may be handled at the same
     * time, up to the concurrency. Guarantee: the order of the log, for every record. Cost: a consumer can use
     * at most as many threads as it owns partitions, and one slow record holds up its whole partition. The
     * default; with a concurrency of 1 the loop thread handles every record itself, as Kafka's own examples do.
     */
    PARTITION,

    /**
     * Records with the same key one at a time, in offset order; records with different keys at the same time,
     * up to the concurrency, even within one partition. Records without a key (null) have no order to keep and
     * are handled as with {@link #UNORDERED}. Guarantee: per key, the order of the log; nothing between keys.
     * Cost: worker threads, a handler that is safe to call from several of them, and memory for the records
     * waiting behind a busy key; a key that is slow or fails holds up only its own later records, but the
     * partition's committed offset cannot move past it, so a crash repeats more work.
     */
    KEY,

    /**
     * Any record at any time, up to the concurrency. Guarantee: none about order, not even for one key; only
     * that every record is handled at least once. Cost: as {@link #KEY}; it is the fastest choice, for handlers
     * whose records do not depend on each other (sending independent e-mails, say).
     */
    UNORDERED
}
