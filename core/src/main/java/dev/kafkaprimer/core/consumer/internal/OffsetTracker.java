package dev.kafkaprimer.core.consumer.internal;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kafkaprimer.core.consumer.CommitPolicy;
import dev.kafkaprimer.core.consumer.ConsumerOptions;

/**
 * Remembers, per partition, the offset after the last finished record, and commits it as the
 * {@link CommitPolicy} says. Used on the loop thread only.
 *
 * <p>Commits that fail because the group is rebalancing, because this member was already removed from it, or
 * with a short-lived error (a timeout, a coordinator moving) are logged and left pending: the next commit
 * includes them, or the partition's next owner re-reads those records (at least once). Any other commit
 * failure (such as missing authorization) is thrown.
 */
final class OffsetTracker implements FinishedWork {

    private static final Logger LOG = LoggerFactory.getLogger(OffsetTracker.class);
    /** How long the last commit before partitions go keeps trying through short-lived failures. */
    static final Duration LAST_CHANCE_DEADLINE = Duration.ofSeconds(30);

    private final Consumer<byte[], byte[]> consumer;
    private final CommitPolicy policy;
    private final int everyRecords;
    private final long intervalNanos;
    private final Map<TopicPartition, Position> finished = new HashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private final LoopEvents events;
    private int finishedSinceCommit;
    /** A commit said the group has moved on (a rebalance, or this member is no longer known): poll again first. */
    private boolean mustPollAgain;
    private long lastCommitNanos = System.nanoTime();

    OffsetTracker(Consumer<byte[], byte[]> consumer, ConsumerOptions options) {
        this(consumer, options, LoopEvents.NONE);
    }

    OffsetTracker(Consumer<byte[], byte[]> consumer, ConsumerOptions options, LoopEvents events) {
        this.events = events;
        this.consumer = consumer;
        this.policy = options.commitPolicy();
        this.everyRecords = options.commitEveryRecords();
        this.intervalNanos = options.commitInterval().toNanos();
    }

    /** The handler returned for {@code record} (or it was dead-lettered): everything up to it may be committed. */
    void finished(ConsumerRecord<?, ?> record) {
        finished(new TopicPartition(record.topic(), record.partition()), record, 1);
    }

    /**
     * The handler returned for {@code records} records of {@code partition}, the last of them {@code last}:
     * everything up to {@code last} may be committed. Allocates nothing: it runs once per record.
     */
    void finished(TopicPartition partition, ConsumerRecord<?, ?> last, int records) {
        // The committed offset is the offset of the NEXT record to read, not of the last one processed.
        finished(partition, last.offset() + 1, last.leaderEpoch(), records);
    }

    /**
     * Every record of {@code partition} below {@code next} is finished, {@code records} of them since the last
     * call for it: {@code next} may be committed.
     */
    void finished(TopicPartition partition, OffsetAndMetadata next, int records) {
        finished(partition, next.offset(), next.leaderEpoch(), records);
    }

    private void finished(TopicPartition partition, long next, Optional<Integer> leaderEpoch, int records) {
        moveTo(partition, next, leaderEpoch);
        finishedSinceCommit += records;
        boolean due = switch (policy) {
            case PER_RECORD -> true;
            case EVERY_N_RECORDS_OR_INTERVAL -> finishedSinceCommit >= everyRecords || intervalPassed();
            case PER_BATCH, ASYNC -> false;
        };
        if (due) {
            commitOnce(finished.keySet());
        }
    }

    /**
     * Every record the consumer has returned for {@code partition} is finished, and the consumer's position there
     * has moved on to {@code position} past offsets that hold no record to handle: the markers that end
     * transactions, and the records of aborted transactions that a {@code read_committed} consumer skips. Those
     * need no handling, so the position may be committed: otherwise a loop reading a transactional topic would
     * commit the offset after its last record, before the last marker, and the group's lag would never come
     * to 0. Does nothing for a partition with no finished record yet, or a position not past the finished ones.
     */
    void caughtUp(TopicPartition partition, long position) {
        Position tracked = finished.get(partition);
        if (tracked != null && position > tracked.next) {
            // No record sits at these offsets, so there is no leader epoch of one to send along.
            moveTo(partition, position, Optional.empty());
        }
    }

    /** The offset after the last finished record of {@code partition}, or -1 if none is finished. */
    long finishedUpTo(TopicPartition partition) {
        Position tracked = finished.get(partition);
        return tracked == null ? -1 : tracked.next;
    }

    /**
     * Whether a commit since the last {@link #polled()} found that the group has moved on without this member
     * (a rebalance in progress, or a generation the group no longer knows): the loop should hand out no more of
     * what it holds, and poll to rejoin.
     */
    boolean mustPollAgain() {
        return mustPollAgain;
    }

    /** The loop found by itself that it is no longer a member: the same as a refused commit. */
    void requirePoll() {
        mustPollAgain = true;
    }

    /** Whether some partition has finished records past its last committed offset. */
    boolean hasUncommitted() {
        for (Map.Entry<TopicPartition, Position> entry : finished.entrySet()) {
            if (isUncommitted(entry.getKey(), entry.getValue())) {
                return true;
            }
        }
        return false;
    }

    /** The loop is about to poll, which rejoins the group if needed. */
    void polled() {
        mustPollAgain = false;
    }

    /** The records of one poll are done (or the poll returned none). */
    void afterPoll() {
        switch (policy) {
            case PER_BATCH -> commitOnce(finished.keySet());
            case ASYNC -> commitAsync();
            case EVERY_N_RECORDS_OR_INTERVAL -> {
                if (intervalPassed()) {
                    commitOnce(finished.keySet());
                }
            }
            case PER_RECORD -> { /* committed after each record already */ }
        }
    }

    /**
     * Commits what was finished in {@code partitions}, trying once; what fails stays pending for the next commit.
     * The routine commits use it, and so does a seek, whose own commit of the new positions follows.
     */
    void commitOnce(Collection<TopicPartition> partitions) {
        commitSync(partitions, false);
    }

    /** Commits what was finished in {@code partitions} now, whatever the policy: they are revoked or lost. */
    @Override
    public void commitNow(Collection<TopicPartition> partitions) {
        commitSync(partitions, true);
    }

    /**
     * Commits {@code positions} as they are, where a seek has just put them: back for a replay, forward for a
     * skip. Without this, the committed offset would move only with the next finished record, and a restart
     * before one would resume at the old offset: a skip of 10,000 records would be undone, a replay lost.
     * Waits for the broker, as {@code commitSync} does; unlike the routine commits, a failure is thrown, so
     * that the seek's caller learns the new position is not stored.
     */
    void commitPositions(Map<TopicPartition, Long> positions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        positions.forEach((partition, next) -> {
            moveTo(partition, next, Optional.empty());
            offsets.put(partition, new OffsetAndMetadata(next));
        });
        if (!offsets.isEmpty()) {
            long started = events.active() ? System.nanoTime() : 0;
            consumer.commitSync(offsets);
            remember(offsets);
            if (events.active()) {
                events.committed(offsets, System.nanoTime() - started);
            }
        }
    }

    /**
     * The final commit, before the consumer closes. {@code close()} woke the consumer up to stop the loop; if
     * that wake-up is still pending, it surfaces here once, and the commit is simply made again.
     */
    void commitBeforeClose() {
        try {
            commitSync(finished.keySet(), true);
        } catch (WakeupException e) {
            commitSync(finished.keySet(), true);
        }
    }

    /** Drops what is known about {@code partitions}: they belong to another member now. */
    @Override
    public void forget(Collection<TopicPartition> partitions) {
        finished.keySet().removeAll(partitions);
        committed.keySet().removeAll(partitions);
    }

    /**
     * Commits synchronously, each try waiting at most {@code default.api.timeout.ms} (a minute by default).
     *
     * <p>A short-lived failure (the coordinator moving or not answering in time: a {@code RetriableException},
     * {@code TimeoutException} included) must not end the loop: the offsets stay pending. A routine commit
     * leaves them to the next commit, after the next poll; the last commit before partitions go
     * ({@code lastChance}: revocation, seek, close) tries again until {@link #LAST_CHANCE_DEADLINE}, since no
     * later commit of this member will include them. Either way a record whose offset is never committed is
     * only processed again by the partition's next reader (at least once), never skipped.
     */
    private void commitSync(Collection<TopicPartition> partitions, boolean lastChance) {
        Map<TopicPartition, OffsetAndMetadata> pending = pending(partitions);
        if (pending.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + LAST_CHANCE_DEADLINE.toNanos();
        for (int tries = 1; ; tries++) {
            try {
                long started = events.active() ? System.nanoTime() : 0;
                consumer.commitSync(pending);
                remember(pending);
                if (events.active()) {
                    events.committed(pending, System.nanoTime() - started);
                }
                return;
            } catch (RebalanceInProgressException e) {
                // Routine with cooperative rebalancing: the broker takes no commits until the rebalance is over,
                // which needs this member to poll. The next commit retries.
                LOG.info("Commit of {} waits for the rebalance in progress; left pending", pending);
                mustPollAgain = true;
                return;
            } catch (CommitFailedException e) {
                // The group no longer knows this member's generation (or epoch): its partitions may have another
                // owner already. Handling more of them now would only be repeated by that owner.
                LOG.warn("Could not commit {}, left pending (a later commit includes them, or the partitions' next "
                        + "owner reads those records again): {}", pending, e.toString());
                mustPollAgain = true;
                return;
            } catch (RetriableException e) {
                if (!lastChance || System.nanoTime() - deadline > 0) {
                    LOG.warn("Commit of {} failed after {} tr{} with a short-lived error, left pending ({}): {}",
                            pending, tries, tries == 1 ? "y" : "ies", lastChance
                                    ? "the partitions' next owner reads those records again"
                                    : "the next commit retries it", e.toString());
                    return;
                }
                LOG.info("Commit of {} failed with a short-lived error, trying again: {}", pending, e.toString());
            }
        }
    }

    private void commitAsync() {
        Map<TopicPartition, OffsetAndMetadata> pending = pending(finished.keySet());
        if (pending.isEmpty()) {
            return;
        }
        resetCounters();
        // The callback runs on this thread, inside a later poll() or commit call.
        consumer.commitAsync(pending, (offsets, error) -> {
            if (error == null) {
                remember(offsets);
                events.committed(offsets, 0);
            } else {
                LOG.warn("Asynchronous commit of {} failed, not retried: the next commit covers it, and a "
                        + "synchronous one follows at revocation and close: {}", offsets, error.toString());
            }
        });
    }

    private Map<TopicPartition, OffsetAndMetadata> pending(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> pending = new HashMap<>();
        for (TopicPartition partition : partitions) {
            Position position = finished.get(partition);
            if (position != null && isUncommitted(partition, position)) {
                pending.put(partition, new OffsetAndMetadata(position.next, position.leaderEpoch, ""));
            }
        }
        return pending;
    }

    private boolean isUncommitted(TopicPartition partition, Position position) {
        return !Objects.equals(committed.get(partition), position.next);
    }

    /** Records that everything of {@code partition} below {@code next} is finished (or skipped by a seek). */
    private void moveTo(TopicPartition partition, long next, Optional<Integer> leaderEpoch) {
        Position position = finished.computeIfAbsent(partition, unused -> new Position());
        position.next = next;
        position.leaderEpoch = leaderEpoch;
    }

    private void remember(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((partition, offset) -> committed.put(partition, offset.offset()));
        resetCounters();
    }

    private void resetCounters() {
        finishedSinceCommit = 0;
        lastCommitNanos = System.nanoTime();
    }

    private boolean intervalPassed() {
        return System.nanoTime() - lastCommitNanos >= intervalNanos;
    }

    /**
     * Where one partition's finished records end. Updated in place for every finished record, and turned into
     * an {@code OffsetAndMetadata} only when committed: one object per partition instead of one per record.
     */
    private static final class Position {
        /** The offset after the last finished record: what a commit sends. */
        long next;
        /** That record's leader epoch, sent along so the broker can tell a stale offset after a leader change. */
        Optional<Integer> leaderEpoch = Optional.empty();
    }
}
