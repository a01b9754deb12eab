package dev.kafkaprimer.core.consumer.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kafkaprimer.core.consumer.ProcessingStoppedException;
import dev.kafkaprimer.core.consumer.RecordHandler;
import dev.kafkaprimer.core.consumer.ShareOptions;

/**
 * The share loop's engine: poll, hand each new record to a worker, wait until the poll's records are handled
 * (or their locks need renewing), acknowledge each, poll again. Runs on the loop thread, which alone touches the
 * {@code KafkaShareConsumer}; workers only run handlers and write dead letters.
 *
 * <p>Why it waits before polling again: in explicit acknowledgement mode a share consumer refuses to poll while
 * any record of its last poll is unacknowledged. A record whose handler still runs when half its lock has passed
 * is acknowledged {@code RENEW} instead: the broker extends the lock and returns the record in the next poll,
 * where the loop recognises it (same partition and offset) and does not start it twice.
 *
 * <p><b>Not API:</b> public only so that {@link dev.kafkaprimer.core.consumer.ShareLoop} can make one.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class ShareEngine<K, V> {

    private static final Logger LOG = LoggerFactory.getLogger(ShareEngine.class);
    /** The broker's default lock, assumed until the first poll tells the group's own. */
    private static final long DEFAULT_LOCK_MS = 30_000;
    /** How long the last acknowledgements may take to reach the broker at close. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    /** The longest one wait for handlers lasts before the loop looks at close() and the locks again. */
    private static final long MAX_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** Offsets named in one warning at most. */
    private static final int OFFSETS_NAMED = 10;

    private final ShareOptions options;
    private final RecordDeserializer<K, V> reader;
    private final RecordHandler<K, V> handler;
    private final LoopControl control;
    private final ShareTally tally;
    /** Records handed to workers and not yet back, by partition and offset. Loop thread only. */
    private final Map<ShareDelivery.Id, ShareDelivery<K, V>> running = new LinkedHashMap<>();
    /** Deliveries back from the workers and not yet acknowledged. Loop thread only. */
    private final List<ShareDelivery<K, V>> handled = new ArrayList<>();
    /** Deliveries whose handler has returned, put by workers, taken by the loop thread. */
    private final BlockingQueue<ShareDelivery<K, V>> finished = new LinkedBlockingQueue<>();
    /** The first failure that must stop the loop (a stop request, a dead letter not written, an Error). */
    private final AtomicReference<Throwable> stopCause = new AtomicReference<>();
    private volatile KafkaShareConsumer<byte[], byte[]> consumer;
    private volatile ExecutorService workers;

    /**
     * An engine for one run of a share loop.
     *
     * @param options the loop's options
     * @param reader  reads each record's key and value
     * @param handler the application's handler
     * @param control where {@code close()} asks the loop to stop
     * @param tally   where the loop counts what it acknowledged
     */
    public ShareEngine(ShareOptions options, RecordDeserializer<K, V> reader, RecordHandler<K, V> handler,
                       LoopControl control, ShareTally tally) {
        this.options = options;
        this.reader = reader;
        this.handler = handler;
        this.control = control;
        this.tally = tally;
    }

    /** Wakes the loop thread from a poll: {@code close()} calls it after asking the loop to stop. Any thread. */
    public void wakeup() {
        KafkaShareConsumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
    }

    /**
     * Whether {@code thread} is one of this engine's workers (a handler calling {@code close()}).
     *
     * @param thread a thread
     * @return whether it is a worker of this engine
     */
    public boolean isWorker(Thread thread) {
        return thread.getName().startsWith(workerPrefix());
    }

    /**
     * Runs until {@code close()} or a failure that stops the loop; always closes what it opened.
     *
     * @throws ProcessingStoppedException if a handler asked to stop or a dead letter could not be written
     */
    public void run() {
        ShareGroupSupport.require(options);
        DeadLetterPublisher deadLetters = new DeadLetterPublisher(DeadLetterRoute.of(options), LoopEvents.NONE);
        try {
            consumer = new KafkaShareConsumer<>(ClientProperties.shareConsumer(options),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());
        } catch (RuntimeException e) {
            deadLetters.close(Duration.ZERO);
            throw e;
        }
        workers = Executors.newFixedThreadPool(options.concurrency(), workerThreads());
        ShareWork<K, V> work = new ShareWork<>(handler, options.retry(), deadLetters, finished, stopCause);
        Throwable failed = null;
        Throwable stoppedBy;
        try {
            consumer.setAcknowledgementCommitCallback(this::acknowledgementsDone);
            consumer.subscribe(options.topics());
            while (!control.isClosing() && stopCause.get() == null) {
                ConsumerRecords<byte[], byte[]> polled;
                try {
                    polled = consumer.poll(options.pollTimeout());
                } catch (WakeupException e) {
                    continue; // close() woke the poll: the loop condition ends the loop
                }
                long lockMs = consumer.acquisitionLockTimeoutMs().map(Integer::longValue).orElse(DEFAULT_LOCK_MS);
                startNew(polled, work);
                awaitHandlers(lockMs);
                acknowledgeFinished();
                if (control.isClosing() || stopCause.get() != null) {
                    break; // what still runs is waited for, then acknowledged or released, in shutDown
                }
                renewStillRunning();
            }
        } catch (RuntimeException | Error e) {
            failed = e;
            throw e;
        } finally {
            // What stopped the loop, before shutDown: handlers interrupted there (abandoned at close) also stop.
            stoppedBy = stopCause.get();
            shutDown(deadLetters, failed == null ? stoppedBy : failed);
        }
        Throwable cause = stoppedBy;
        Throwable whileClosing = stopCause.get();
        if (whileClosing != null && whileClosing != cause) {
            LOG.warn("A handler of share group {} failed while the loop was closing; its record was released: {}",
                    options.groupId(), whileClosing.toString());
        }
        if (cause instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
    }

    private void startNew(ConsumerRecords<byte[], byte[]> polled, ShareWork<K, V> work) {
        long now = System.nanoTime();
        for (ConsumerRecord<byte[], byte[]> record : polled) {
            ShareDelivery<K, V> again = running.get(ShareDelivery.Id.of(record));
            if (again != null) {
                again.returnedAgain(record, now); // renewed last time round: its handler is still running
                continue;
            }
            ShareDelivery<K, V> delivery = ShareDelivery.read(record, reader, now);
            if (delivery.deliveryCount() > 1) {
                tally.redelivered();
            }
            running.put(delivery.id(), delivery);
            workers.execute(() -> work.handle(delivery));
        }
    }

    /**
     * Waits until every record of the last poll is handled, the loop is asked to stop, or the oldest running
     * record has held its lock for half the lock's duration (time to renew it).
     */
    private void awaitHandlers(long lockMs) {
        long renewAfterNanos = TimeUnit.MILLISECONDS.toNanos(lockMs) / 2;
        collectFinished();
        while (anyInLastPollRunning() && !control.isClosing() && stopCause.get() == null) {
            long wait = oldestLockStart() + renewAfterNanos - System.nanoTime();
            if (wait <= 0) {
                return;
            }
            awaitAFinish(Math.min(wait, MAX_WAIT_NANOS));
        }
    }

    /** Takes every delivery the workers handed back, without waiting. */
    private void collectFinished() {
        ShareDelivery<K, V> done;
        while ((done = finished.poll()) != null) {
            running.remove(done.id());
            handled.add(done);
        }
    }

    /** Waits up to {@code nanos} for a worker to hand a delivery back, then takes all that are back. */
    private void awaitAFinish(long nanos) {
        try {
            ShareDelivery<K, V> done = finished.poll(Math.max(0, nanos), TimeUnit.NANOSECONDS);
            if (done != null) {
                running.remove(done.id());
                handled.add(done);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new org.apache.kafka.common.errors.InterruptException(e);
        }
        collectFinished();
    }

    private boolean anyInLastPollRunning() {
        for (ShareDelivery<K, V> delivery : running.values()) {
            if (delivery.inLastPoll()) {
                return true;
            }
        }
        return false;
    }

    private long oldestLockStart() {
        long oldest = Long.MAX_VALUE;
        for (ShareDelivery<K, V> delivery : running.values()) {
            oldest = Math.min(oldest, delivery.lockStartNanos());
        }
        return oldest;
    }

    private void acknowledgeFinished() {
        for (ShareDelivery<K, V> delivery : handled) {
            acknowledge(delivery, delivery.outcome());
        }
        handled.clear();
    }

    /** Every record of the last poll still being handled gets its lock extended, so the poll may go on. */
    private void renewStillRunning() {
        for (ShareDelivery<K, V> delivery : running.values()) {
            if (delivery.inLastPoll()) {
                LOG.debug("Renewing the lock of {}: its handler is still running", delivery.id());
                acknowledge(delivery, AcknowledgeType.RENEW);
                delivery.renewed();
            }
        }
    }

    private void acknowledge(ShareDelivery<K, V> delivery, AcknowledgeType type) {
        // The record object of the last poll: the consumer acknowledges only records it returned there.
        consumer.acknowledge(delivery.raw(), type);
        tally.acknowledged(type);
    }

    /**
     * Called by the consumer, on the loop thread, when the broker answered a batch of acknowledgements. A
     * refusal loses nothing (the records are delivered again), but it means a handler ran while its record's
     * lock was gone, or the member lost the partition: worth a warning naming the records.
     */
    private void acknowledgementsDone(Map<TopicIdPartition, Set<Long>> offsets, Exception failure) {
        if (failure == null) {
            return;
        }
        int refused = offsets.values().stream().mapToInt(Set::size).sum();
        tally.acknowledgementsRefused(refused);
        offsets.forEach((partition, numbers) -> LOG.warn("The broker refused the acknowledgement of {} record(s) "
                + "of {}-{} (offsets {}{}): {}. They will be delivered again, to this member or another: a handler "
                + "that takes longer than the group's share.record.lock.duration.ms, with lock renewal off, causes "
                + "this", numbers.size(), partition.topic(), partition.partition(),
                numbers.stream().sorted().limit(OFFSETS_NAMED).toList(),
                numbers.size() > OFFSETS_NAMED ? "..." : "", failure.toString()));
    }

    /**
     * Lets running handlers finish (up to the drain timeout), acknowledges what finished and releases what did
     * not, so that no record waits for its lock to expire; then closes the consumer, which sends those
     * acknowledgements, the workers and the dead-letter producer. A failure here does not hide
     * {@code failure}, the one that stopped the loop: it is added to it as suppressed.
     */
    private void shutDown(DeadLetterPublisher deadLetters, Throwable failure) {
        try {
            workers.shutdown();
            long deadline = System.nanoTime() + options.drainTimeout().toNanos();
            collectFinished();
            while (!running.isEmpty() && System.nanoTime() < deadline) {
                awaitAFinish(deadline - System.nanoTime());
            }
            acknowledgeAtClose();
            workers.shutdownNow();
            Map<TopicIdPartition, java.util.Optional<KafkaException>> results;
            try {
                results = consumer.commitSync(CLOSE_TIMEOUT);
            } catch (WakeupException e) {
                results = consumer.commitSync(CLOSE_TIMEOUT); // close()'s wakeup, not yet used by a poll
            }
            results.forEach((partition, error) -> error.ifPresent(e -> LOG.warn("Acknowledgements of {} were not "
                    + "accepted at close: {}; its records will be delivered again", partition, e.toString())));
        } catch (KafkaException e) {
            LOG.warn("Could not send the last acknowledgements of share group {}: {}; the records are delivered "
                    + "again once their locks expire", options.groupId(), e.toString());
        } catch (RuntimeException e) {
            if (failure == null) {
                throw e;
            }
            failure.addSuppressed(e); // the failure that stopped the loop is what run() throws
        } finally {
            try {
                consumer.close(CLOSE_TIMEOUT);
            } finally {
                deadLetters.close(CLOSE_TIMEOUT);
            }
        }
    }

    private void acknowledgeAtClose() {
        acknowledgeFinished();
        for (ShareDelivery<K, V> abandoned : running.values()) {
            if (abandoned.inLastPoll()) {
                LOG.warn("Releasing {} at close: its handler did not finish within the drain timeout ({}); another "
                        + "member will handle it again", abandoned.id(), options.drainTimeout());
                acknowledge(abandoned, AcknowledgeType.RELEASE);
            }
        }
        running.clear();
    }

    private String workerPrefix() {
        return "share-worker-" + options.groupId() + "-" + System.identityHashCode(this) + "-";
    }

    private ThreadFactory workerThreads() {
        AtomicInteger next = new AtomicInteger();
        String prefix = workerPrefix();
        return task -> {
            Thread thread = new Thread(task, prefix + next.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
