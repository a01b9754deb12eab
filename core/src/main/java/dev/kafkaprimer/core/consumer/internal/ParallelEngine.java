package dev.kafkaprimer.core.consumer.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kafkaprimer.core.consumer.CommitLoop;
import dev.kafkaprimer.core.consumer.CommitPolicy;
import dev.kafkaprimer.core.consumer.ConsumerOptions;
import dev.kafkaprimer.core.consumer.Ordering;
import dev.kafkaprimer.core.consumer.ProcessingStoppedException;
import dev.kafkaprimer.core.consumer.RecordHandler;
import dev.kafkaprimer.core.consumer.RetryPolicy;
import dev.kafkaprimer.core.consumer.internal.WorkerPool.Completion;
import dev.kafkaprimer.core.consumer.internal.WorkerPool.Result;

/**
 * One run of a {@link CommitLoop} with worker threads ({@link ConsumerOptions#concurrency()} above 1, or an
 * {@link Ordering} other than {@code PARTITION}). Only {@link #wakeup()} may be called from another thread.
 *
 * <p><b>Threads.</b> The loop thread owns the {@code KafkaConsumer} and every piece of state here. It polls,
 * reads each record's bytes, and hands records in the order {@link WorkLanes} allows to a fixed pool of
 * {@code concurrency} workers ({@link WorkerPool}): as <em>runs</em>, a lane's oldest records for one worker
 * to handle one after the other, and a little more than the workers can start at once, so that with quick
 * handlers the loop thread goes back to fetching instead of waiting on the workers after every few records. How
 * long a run and how much more both follow how long recent attempts took: with slow handlers a run is one record
 * and nothing waits for a worker. A worker makes one attempt per record (the handler, or for an unreadable
 * record the dead-letter write) and puts each outcome on a queue; the loop thread takes outcomes from that queue
 * between polls, and while it has nothing else to do it waits on that queue rather than in {@code poll()},
 * polling again at least every {@link #FETCH_CHECK_INTERVAL} (or poll timeout when it could not hand out more
 * work anyway). A record handed out but not yet started when the loop stops, or its partition is let go, does
 * not start; it comes back unstarted.
 *
 * <p><b>Safe offsets.</b> Per partition a {@link PartitionWindow} holds the fetched records in offset order;
 * only the offset below which all are finished goes to the {@link OffsetTracker}. With {@code PER_BATCH} and
 * {@code ASYNC} it is committed by time ({@link ConsumerOptions#workerCommitInterval()}), not per poll: the waits
 * for a poll and for the workers end when that commit falls due.
 *
 * <p><b>Backpressure.</b> When the windows together hold {@link ConsumerOptions#maxPendingRecords()} records,
 * every partition is paused (polls go on, fetching nothing) until the oldest records are finished.
 *
 * <p><b>Retries.</b> A failed attempt comes back to the loop thread, which logs it and schedules the next
 * attempt after the {@link RetryPolicy}'s delay; meanwhile the record's lane (its key, or partition) waits, and
 * other lanes go on. A worker writes the dead letter after the last attempt itself.
 *
 * <p><b>Giving partitions up.</b> On revocation, a seek and at shutdown the loop starts no new attempt for the
 * partitions concerned, waits up to the options' {@code drainTimeout} for their records being handled, then
 * commits their safe offsets. Records still running after that are abandoned: their outcome is ignored and
 * their partition's next reader handles them again; until an abandoned handler returns, no record of its key
 * (its partition, with {@code PARTITION} ordering) starts in this member. Lost partitions are abandoned at
 * once, without a commit. At shutdown, abandoned handlers are interrupted and waited for up to
 * {@link #WORKER_STOP_TIMEOUT}; {@code run()} then returns, logging how many it leaves running.
 *
 * <p>Why one class of some 400 lines: every method here reads or changes the loop thread's state (windows,
 * lanes, running records, the pause), and the order of those changes is the engine's correctness argument; the
 * parts that need no such state live apart ({@link WorkerPool}, {@link WorkLanes}, {@link PartitionWindow},
 * {@link OffsetTracker}, {@link PartitionOwnership}, {@link DeadLetterPublisher}).
 *
 * @param <K> the type of record keys
 * @param <V> the type of record values
 */
final class ParallelEngine<K, V> implements Engine {

    /** At shutdown, how long the loop waits for interrupted handlers to end before it returns without them. */
    static final Duration WORKER_STOP_TIMEOUT = Duration.ofSeconds(5);
    /** While records are being handled and more could be fetched, the loop polls at least this often. */
    static final Duration FETCH_CHECK_INTERVAL = Duration.ofMillis(10);

    private static final Logger LOG = LoggerFactory.getLogger(ParallelEngine.class);

    private final ConsumerOptions options;
    private final RecordDeserializer<K, V> reader;
    private final HandlerCall.Body<ConsumerRecord<K, V>> handler;
    private final LoopControl control;
    private final KafkaConsumer<byte[], byte[]> consumer;
    /** Tells the listeners the consumer's ids, metrics and lag. */
    private final ConsumerWatch watch;
    private final OffsetTracker offsets;
    private final PartitionOwnership ownership;
    private final LoopEvents events;
    private final DeadLetterPublisher deadLetters;
    private final WorkerPool<K, V> workers;
    private final Map<TopicPartition, PartitionWindow> windows = new HashMap<>();
    private final WorkLanes<K, V> lanes;
    /** Attempts handed to the workers whose outcome has not been taken yet: queued or being handled. */
    private int handedOut;
    /** The batch {@link #handOut()} gives the workers, reused. */
    private final List<WorkItem<K, V>> toHandOut = new ArrayList<>();
    private int pending;
    private boolean fetchPaused;
    private boolean shuttingDown;
    private ProcessingStoppedException stopped;
    private Throwable workerFailure;
    private long lastCommitNanos = System.nanoTime();
    /** PER_BATCH and ASYNC: commit by the worker commit interval (the other policies have their own rule). */
    private final boolean commitsByInterval;

    ParallelEngine(ConsumerOptions options, RecordDeserializer<K, V> reader, RecordHandler<K, V> handler,
                   LoopControl control) {
        this.options = options;
        this.reader = reader;
        this.handler = handler::handle;
        this.control = control;
        this.events = control.events();
        this.deadLetters = new DeadLetterPublisher(options, events);
        this.consumer = ClientProperties.openConsumer(options, deadLetters);
        this.offsets = new OffsetTracker(consumer, options, control.events());
        this.ownership = new PartitionOwnership(consumer, offsets, control, options.rebalanceListener());
        this.watch = new ConsumerWatch(consumer, events);
        this.lanes = new WorkLanes<>(options.ordering());
        this.commitsByInterval = options.commitPolicy() == CommitPolicy.PER_BATCH
                || options.commitPolicy() == CommitPolicy.ASYNC;
        this.workers = new WorkerPool<>(options.concurrency(), Thread.currentThread().getName(), this::attempt);
    }

    /** Whether {@code thread} is one of this engine's workers. Any thread. */
    @Override
    public boolean isWorker(Thread thread) {
        return workers.isWorker(thread);
    }

    /** Makes the loop thread leave a blocking consumer call or its wait for workers. Any thread. */
    @Override
    public void wakeup() {
        consumer.wakeup();
        workers.wake();
    }

    /** Polls, hands out and collects until closed or stopped, then finishes, commits and closes everything. */
    @Override
    public void run() {
        Throwable failure = null;
        try {
            ClusterAnswer.await(consumer, options);
            options.subscribe(consumer, new Rebalance());
            watch.started(options.groupId());
            while (!control.isClosing() && stopped == null && workerFailure == null) {
                applySeekRequests();
                applyBackpressure();
                ConsumerRecords<byte[], byte[]> records = consumer.poll(pollTimeout());
                accept(records);
                watch.polled();
                takeCompletions();
                handOut();
                commitIfDue();
                if (records.isEmpty()) {
                    awaitCompletion();
                    // The wait ends early when a commit falls due, or when it took outcomes that make one due.
                    commitIfDue();
                }
            }
        } catch (WakeupException e) {
            // Expected when close() woke us up; otherwise someone else called wakeup(): a failure.
            if (!control.isClosing()) {
                failure = e;
            }
        } catch (InterruptException e) {
            // The loop thread was interrupted (an executor's shutdownNow()): a request to stop, like close().
            // The shutdown steps commit and leave the group, and hand the interrupt flag back to run()'s caller.
            control.requestClose();
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        shutDown(failure);
    }

    /**
     * Zero while workers may report (their outcomes are awaited after the poll), else up to the next retry or the
     * next commit due, whichever comes first.
     */
    private Duration pollTimeout() {
        if (handedOut > 0 || workers.hasCompletions()) {
            return Duration.ZERO;
        }
        long until = Math.min(lanes.nanosUntilNextRetry(System.nanoTime()), untilCommitDue());
        return until < options.pollTimeout().toNanos() ? Duration.ofNanos(until) : options.pollTimeout();
    }

    /** Pauses fetching while the loop holds as many records as it may; resumes once it holds fewer. */
    private void applyBackpressure() {
        boolean full = pending >= options.maxPendingRecords();
        if (full && !fetchPaused) {
            Set<TopicPartition> assigned = consumer.assignment();
            consumer.pause(assigned);
            events.paused(assigned);
            fetchPaused = true;
            LOG.debug("Holding {} records, the most allowed: fetching paused", pending);
        } else if (!full && fetchPaused) {
            // Only this engine pauses partitions, so every paused partition was paused here.
            Set<TopicPartition> paused = consumer.paused();
            consumer.resume(paused);
            events.resumed(paused);
            fetchPaused = false;
            LOG.debug("Holding {} records: fetching resumed", pending);
        }
    }

    private void accept(ConsumerRecords<byte[], byte[]> records) {
        for (TopicPartition partition : records.partitions()) {
            PartitionWindow window = windows.get(partition);
            if (window == null) {
                throw new IllegalStateException("poll() returned records of " + partition
                        + ", which this loop is not reading");
            }
            for (ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
                WorkItem<K, V> item = read(record, window);
                window.add(item);
                lanes.add(item);
                pending++;
            }
        }
    }

    /** Reads key and value on the loop thread, as the sequential loop does: deserializers need not be thread-safe. */
    private WorkItem<K, V> read(ConsumerRecord<byte[], byte[]> record, PartitionWindow window) {
        try {
            return WorkItem.readable(record, reader.deserialize(record), window);
        } catch (RuntimeException poisonPill) {
            return WorkItem.unreadable(record, poisonPill, window);
        }
    }

    /** Hands records to idle workers, retries whose time has come first; none once the loop is stopping. */
    private void handOut() {
        if (control.isClosing() || stopped != null || workerFailure != null) {
            return;
        }
        lanes.releaseDueRetries(System.nanoTime());
        int limit = options.concurrency() + workers.queueAhead();
        int runLength = workers.runLength();
        while (handedOut < limit) {
            WorkItem<K, V> run = lanes.take(Math.min(runLength, limit - handedOut));
            if (run == null) {
                break;
            }
            for (WorkItem<K, V> item = run; item != null; item = item.nextInRun()) {
                item.startAttempt();
                item.window().handedOneOut();
                handedOut++;
            }
            toHandOut.add(run);
        }
        workers.submitAll(toHandOut);
        toHandOut.clear();
    }

    /** Runs on a worker: one attempt at {@code item}. Never throws; the outcome says what happened. */
    private Completion<K, V> attempt(WorkItem<K, V> item, int attempt) {
        if (control.isClosing() || item.window().isClosing()) {
            // Handed out, but queued behind other work when the loop began to close or to let the partition go:
            // nothing new starts then, as if it had never been handed out.
            return new Completion<>(item, Result.NOT_STARTED, null);
        }
        try {
            if (item.unreadable() != null) {
                // No retry can make these bytes readable: dead-letter them untouched, and move on.
                deadLetters.publish(item.record(), item.unreadable(), DeadLetterPublisher.History.unreadable());
                return new Completion<>(item, Result.FINISHED, null);
            }
            long started = events.active() ? System.nanoTime() : 0;
            Exception failure = HandlerCall.attempt(handler, item.typed(), item.record());
            if (failure == null) {
                if (events.active()) {
                    events.recordHandled(item.typed(), System.nanoTime() - started);
                }
                return new Completion<>(item, Result.FINISHED, null);
            }
            boolean givesUp = RetryBackoff.givesUp(options.retry(), attempt, item.toString(), failure);
            events.attemptFailed(item.typed(), attempt, failure, !givesUp);
            if (!givesUp) {
                return new Completion<>(item, Result.RETRY, failure);
            }
            // The loop thread noted when the first attempt failed, unless this was the first.
            long firstFailure = attempt == 1 ? System.currentTimeMillis() : item.firstFailureMillis();
            deadLetters.publish(item.record(), failure, new DeadLetterPublisher.History(attempt, firstFailure));
            return new Completion<>(item, Result.FINISHED, null);
        } catch (ProcessingStoppedException stoppedOrDeadLetterFailed) {
            workers.halt();
            return new Completion<>(item, Result.STOP, stoppedOrDeadLetterFailed);
        } catch (RuntimeException | Error unexpected) {
            workers.halt();
            return new Completion<>(item, Result.FAILED, unexpected);
        }
    }

    private void takeCompletions() {
        Completion<K, V> completion;
        while ((completion = workers.poll()) != null) {
            take(completion);
        }
    }

    /**
     * With nothing fetched and records being handled, waits for a worker's outcome instead of in poll(): up to
     * the poll timeout when no more work could be handed out anyway, else up to the fetch-check interval; never
     * past the next retry.
     */
    private void awaitCompletion() {
        if (handedOut == 0) {
            return;
        }
        boolean cannotTakeMore = fetchPaused || handedOut >= options.concurrency() + workers.queueAhead();
        long wait = Math.min(lanes.nanosUntilNextRetry(System.nanoTime()),
                (cannotTakeMore ? options.pollTimeout() : FETCH_CHECK_INTERVAL).toNanos());
        Completion<K, V> completion = workers.await(Math.min(Math.min(wait, untilNudge()), untilCommitDue()));
        if (completion != null) {
            take(completion);
            takeCompletions();
            handOut();
        }
    }

    /** Applies a worker's outcome, on the loop thread. */
    private void take(Completion<K, V> completion) {
        if (completion.result() == Result.WAKE) {
            return;
        }
        WorkItem<K, V> item = completion.item();
        handedOut--;
        item.window().oneCameBack();
        lanes.abandonedEnded(item);
        if (completion.result() == Result.FAILED) {
            workerFailure = ShutdownSteps.attach(workerFailure, completion.failure());
            return;
        }
        PartitionWindow window = item.window();
        if (windows.get(window.partition()) != window) {
            if (completion.result() == Result.NOT_STARTED) {
                return;   // nothing happened to it: the partition's next reader handles it, as any other
            }
            LOG.info("Ignoring the outcome ({}) of {}: the partition was given up or rewound while it was handled, "
                    + "so its next reader handles it again", completion.result(), item);
            return;
        }
        switch (completion.result()) {
            case FINISHED -> finished(item);
            case NOT_STARTED -> {
                item.undoAttempt();
                lanes.notStarted(item);
            }
            case RETRY -> retryLater(item, completion.failure());
            case STOP -> stopped = (ProcessingStoppedException) ShutdownSteps.attach(stopped, completion.failure());
            default -> throw new IllegalStateException("unexpected outcome " + completion.result());
        }
    }

    private void finished(WorkItem<K, V> item) {
        item.finish();
        lanes.finished(item);
        PartitionWindow window = item.window();
        int released = window.advance();
        if (released > 0) {
            pending -= released;
            try {
                offsets.finished(window.partition(), window.safeOffset(), released);
                if (window.size() == 0) {
                    // Every record returned for it is finished: commit past the transaction markers after them.
                    ConsumerPositions.catchUp(consumer, offsets, window.partition());
                }
            } catch (WakeupException e) {
                // close() woke the consumer while a commit was due: the final commit makes it again.
                if (!control.isClosing()) {
                    throw e;
                }
            }
        }
    }

    private void retryLater(WorkItem<K, V> item, Throwable failure) {
        if (item.window().isClosing() || shuttingDown || stopped != null) {
            LOG.warn("Attempt {} failed for {}; not retried, as the loop is letting its partition go: its next "
                    + "reader handles it again: {}", item.attempts(), item, failure.toString());
            return;
        }
        if (item.attempts() == 1) {
            item.firstFailedAt(System.currentTimeMillis());
        }
        Duration delay = options.retry().delayAfter(item.attempts());
        LOG.warn("Attempt {} of {} failed for {}, retrying in {} ms: {}", item.attempts(),
                options.retry().maxAttempts(), item, delay.toMillis(), failure.toString());
        lanes.retryAt(item, System.nanoTime() + delay.toNanos());
    }

    /**
     * Commits the finished prefixes once they have moved and the worker commit interval has passed since the last
     * commit, or at once when no record is being handled any more. Records finish one by one on the workers, so
     * unlike the sequential loop this does not wait for a poll: finished work is committed within about an
     * interval whether or not new records arrive, and never more often, however fast records finish. Called
     * after every poll and every wait for workers. With {@code PER_RECORD} the tracker has committed each move
     * already; {@code EVERY_N_RECORDS_OR_INTERVAL} keeps its own count and interval.
     */
    private void commitIfDue() {
        if (!commitsByInterval) {
            offsets.afterPoll();
            return;
        }
        if (!offsets.hasUncommitted()) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastCommitNanos >= options.workerCommitInterval().toNanos()) {
            lastCommitNanos = now;
            offsets.afterPoll();
        }
    }

    /** How long until {@link #commitIfDue()} would commit finished work; Long.MAX_VALUE if none waits. */
    private long untilCommitDue() {
        if (!commitsByInterval || !offsets.hasUncommitted()) {
            return Long.MAX_VALUE;
        }
        return Math.max(0, lastCommitNanos + options.workerCommitInterval().toNanos() - System.nanoTime());
    }

    private void applySeekRequests() {
        SeekRequest request;
        while ((request = control.nextSeek()) != null) {
            Set<TopicPartition> partitions = Set.copyOf(consumer.assignment());
            // Finish what is being handled and commit what is finished before the position moves.
            finishRunning(partitions);
            offsets.commitOnce(partitions);
            SeekSteps.apply(request, consumer, partitions, offsets, () -> {
                // What was fetched from the old positions is read again from the new ones, or not at all.
                forget(partitions);
                partitions.forEach(partition -> windows.put(partition, new PartitionWindow(partition)));
            });
        }
    }

    /**
     * Starts no new attempt for {@code partitions} and waits, up to the drain timeout, until none of their
     * records is being handled; other partitions' outcomes are applied meanwhile too.
     */
    private void finishRunning(Collection<TopicPartition> partitions) {
        Set<PartitionWindow> closing = new HashSet<>();
        partitions.stream().map(windows::get).filter(Objects::nonNull).forEach(closing::add);
        closing.forEach(PartitionWindow::close);
        long deadline = System.nanoTime() + options.drainTimeout().toNanos();
        long left;
        while ((left = runningIn(closing)) > 0) {
            long wait = deadline - System.nanoTime();
            if (wait <= 0) {
                LOG.warn("{} record(s) of {} still being handled after {} ms; giving up on them: their partition's "
                        + "next reader handles them again, and their keys start nothing new here until they end",
                        left, partitions, options.drainTimeout().toMillis());
                return;
            }
            Completion<K, V> completion = workers.await(Math.min(wait, untilNudge()));
            if (completion != null) {
                take(completion);
            }
        }
    }

    /**
     * Lets the pool wake one more worker if handed-out records have waited too long for one; returns how long
     * the loop thread may wait before it asks again.
     */
    private long untilNudge() {
        return workers.nudge() ? WorkerPool.NUDGE_AFTER.toNanos() : Long.MAX_VALUE;
    }

    private long runningIn(Set<PartitionWindow> closing) {
        return closing.stream().mapToLong(PartitionWindow::handedOut).sum();
    }

    /** Drops everything held for {@code partitions}; outcomes still to come for them will be ignored. */
    private void forget(Collection<TopicPartition> partitions) {
        for (TopicPartition partition : partitions) {
            PartitionWindow window = windows.remove(partition);
            if (window != null) {
                pending -= window.size();
            }
        }
        lanes.drop(partitions);
    }

    /** Finishes running work (bounded), commits safe offsets and closes everything; throws the first failure. */
    private void shutDown(Throwable failure) {
        shuttingDown = true;
        ShutdownSteps steps = new ShutdownSteps(failure);
        steps.run(() -> finishRunning(Set.copyOf(windows.keySet())));
        // Handlers still running now are past the wait: interrupt them; their records are read again.
        workers.shutdownNow();
        steps.run(this::awaitWorkers);
        steps.add(workerFailure);
        steps.add(stopped);
        steps.run(offsets::commitBeforeClose);
        steps.closeClients(consumer, deadLetters, reader);
        steps.rethrow();
    }

    /** After {@code shutdownNow()}: waits (bounded) for the workers to end, and says how many it leaves running. */
    private void awaitWorkers() {
        if (!workers.awaitStopped(WORKER_STOP_TIMEOUT)) {
            takeCompletions();
            LOG.warn("{} handler(s) still running {} s after they were interrupted; run() returns without them: "
                    + "their records are not committed (the partitions' next owners read them again), and a dead "
                    + "letter they write now is refused", handedOut, WORKER_STOP_TIMEOUT.toSeconds());
        }
    }

    /**
     * The rebalance listener: keeps a window per owned partition, lets given-up partitions finish first, and
     * leaves commits and the published assignment to {@link PartitionOwnership}. Called on the loop thread,
     * inside {@code poll()} and {@code close()}.
     */
    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            partitions.forEach(partition -> windows.put(partition, new PartitionWindow(partition)));
            if (fetchPaused) {
                consumer.pause(partitions);
                events.paused(Set.copyOf(partitions));
            }
            ownership.onPartitionsAssigned(partitions);
        }

        /** Given up cleanly: finish their records being handled (bounded), then commit their safe offsets. */
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            try {
                if (!shuttingDown) {
                    finishRunning(partitions);
                }
            } finally {
                try {
                    ownership.onPartitionsRevoked(partitions);
                } finally {
                    forget(partitions);
                }
            }
        }

        /** Lost: another member may own them already, so nothing is waited for and nothing is committed. */
        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            try {
                ownership.onPartitionsLost(partitions);
            } finally {
                forget(partitions);
            }
        }
    }
}
