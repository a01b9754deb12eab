package dev.kafkaprimer.core.consumer;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.common.serialization.Deserializer;

import dev.kafkaprimer.core.consumer.internal.LoopControl;
import dev.kafkaprimer.core.consumer.internal.RecordDeserializer;
import dev.kafkaprimer.core.consumer.internal.ShareEngine;
import dev.kafkaprimer.core.consumer.internal.ShareTally;
import dev.kafkaprimer.core.json.Json;
import dev.kafkaprimer.core.json.JsonDeserializer;

/**
 * A member of a <em>share group</em> (Kafka's queues, KIP-932): any number of members take records from the
 * same partitions, and each record is acknowledged on its own once its handler has returned.
 *
 * <p><b>No ordering. None. Not even per key.</b> In a consumer group a partition belongs to one member, which
 * reads it in order; that is what keeps one user's charge before their deduct. In a share group the records of
 * one partition, and so of one key, go to many members at once and finish in any order; a released record comes
 * back after later ones. Use a share group for independent jobs (send this email, resize this image), never for
 * events whose order matters: those need a consumer group and {@link CommitLoop}.
 *
 * <p><b>When to choose it.</b> A consumer group keeps at most as many members busy as the topic has
 * partitions: six members on two partitions leave four idle, and one slow record holds up its whole partition.
 * A share group keeps all six busy, on any number of partitions, and a slow or failing record holds up only
 * itself. The price: no order, a broker that tracks every record's state (at most
 * {@code group.share.partition.max.record.locks}, 2,000 by default, in flight per partition), and Kafka 4.2 or
 * later on every broker.
 *
 * <pre>{@code
 * ShareOptions options = ShareOptions.builder("localhost:9092", "emails", List.of("outbox")).concurrency(4).build();
 * ShareLoop<String, Email> loop = ShareLoop.forJson(options, Email.class, record -> mailer.send(record.value()));
 * new Thread(loop, "emails").start();
 * // ... later, on any thread:
 * loop.close();   // finishes running handlers, acknowledges them, releases the rest
 * }</pre>
 * A new share group starts at the <em>end</em> of its topics unless its {@code share.auto.offset.reset} says
 * {@code earliest}: set it once with {@link dev.kafkaprimer.core.admin.TopicAdmin#configureShareGroup}.
 *
 * <p><b>How a record travels.</b> The broker gives each member a batch of records it <em>acquires</em> for that
 * member under a lock ({@code share.record.lock.duration.ms}, 30 s by default) and counts the delivery. The loop
 * hands the records to its workers and acknowledges each:
 * <ul>
 *   <li>the handler returned: {@code ACCEPT}, done for good;</li>
 *   <li>the handler threw something worth retrying, and the delivery count is below
 *       {@link RetryPolicy#maxAttempts()}: {@code RELEASE}: the broker delivers it again, to any member, at once
 *       (the policy's delays are not used: Kafka 4.4 has no delayed redelivery);</li>
 *   <li>the attempts are used up, the failure is {@linkplain RetryPolicy#notRetryable() not retryable}, or the key
 *       or value cannot be read (a poison pill): the record is written to its dead-letter topic
 *       ({@code <topic>.DLT}, with the {@link DeadLetterHeaders} of the commit loop plus
 *       {@link DeadLetterHeaders#DELIVERY_COUNT}), and once that write is acknowledged, {@code REJECT}: never
 *       delivered again;</li>
 *   <li>the member dies holding records: their locks expire (or the broker sees the connection drop) and they
 *       are delivered to the others with a higher delivery count. Nothing is lost; the delivery is <em>at least
 *       once</em>, and a handler must tolerate seeing a record twice.</li>
 * </ul>
 * The delivery count is the attempt number, so deliveries to members that crashed count as attempts: a record
 * that kills every member it reaches still ends in the dead-letter topic. Keep {@code maxAttempts} at or below
 * the group's {@code share.delivery.count.limit} (5 by default): at that limit the broker itself gives up on the
 * record (archives it) with no dead letter from the loop.
 *
 * <p><b>The loop's dead letters and the broker's.</b> Kafka 4.4 brokers can also write a share group's given-up
 * records to a dead-letter topic themselves (group config {@code errors.deadletterqueue.topic.name}, a topic
 * named {@code dlq.*} by default whose own config {@code errors.deadletterqueue.group.enable} is true). Those
 * letters carry headers ({@code __dlq.errors.topic}, {@code .partition}, {@code .offset}, {@code .group},
 * {@code .delivery.count}, {@code .message}) and, by default, not the record itself; the broker writes one for
 * every rejected record and every record that reached the delivery limit. This loop writes its own: the
 * record's bytes, why it failed (exception, stack trace), also for a poison pill, on any broker. Both may be on
 * at once: then a record this loop rejects has a letter in each topic; the broker's catches what the loop never
 * saw fail (a record that crashed every member it reached).
 *
 * <p><b>Slow handlers and the lock.</b> In explicit acknowledgement mode a member may not poll again before it
 * has acknowledged every record of its last poll. So the loop waits for the poll's records; one whose handler is
 * still running when half its lock has passed is acknowledged {@code RENEW}, which extends the lock (Kafka 4.2+,
 * group config {@code share.renew.acknowledge.enable}, true by default), and the broker hands it back in the next
 * poll, where the loop recognises it and keeps waiting for the same handler. If the broker refuses an
 * acknowledgement, because the lock had expired (renewal switched off) or the member lost the partition, the
 * loop logs a warning naming the records and counts it ({@link ShareCounts#acknowledgementErrors()}): they are
 * delivered again, possibly while the first handler still runs. A slow record makes its member wait before it
 * polls again, with {@code concurrency} workers; the other members go on.
 *
 * <p><b>Thread-safety and lifecycle.</b> As a {@link CommitLoop}: {@link #run()} runs the loop on the calling
 * thread, once; {@link #close()} may be called from any thread. The {@code KafkaShareConsumer} stays on the loop
 * thread; the handler runs on {@code concurrency} worker threads (one by default) and must be thread-safe when
 * there are several. {@code close()} stops taking new records, waits for running handlers up to the
 * {@linkplain ShareOptions.Builder#drainTimeout drain timeout}, acknowledges what finished, releases the records
 * of handlers still running (so another member handles them at once instead of after their lock), and closes
 * the consumer. A handler that throws {@link StopProcessingException}, or a dead letter that cannot be written,
 * stops the loop the same way, with that record released, and {@code run()} throws
 * {@link ProcessingStoppedException}.
 *
 * <p><b>Starting.</b> {@code run()} first asks the cluster for its features: a cluster without share groups
 * (feature {@code share.version}: Kafka 4.0, or 4.1 without the preview switched on) fails at once with an
 * {@code UnsupportedVersionException} naming the version needed; no answer within the
 * {@linkplain ShareOptions.Builder#startupTimeout startup timeout} fails with a {@code TimeoutException} naming the
 * address.
 *
 * @param <K> the type of record keys
 * @param <V> the type of record values
 */
public final class ShareLoop<K, V> implements Runnable, AutoCloseable {

    private enum State { NEW, RUNNING, FINISHED, CLOSED_BEFORE_RUN }

    private final ShareOptions options;
    private final RecordDeserializer<K, V> reader;
    private final RecordHandler<K, V> handler;
    private final LoopControl control = new LoopControl();
    private final ShareTally tally = new ShareTally();
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile ShareEngine<K, V> engine;
    private volatile Thread loopThread;

    private ShareLoop(ShareOptions options, Deserializer<K> keys, Deserializer<V> values,
                      RecordHandler<K, V> handler) {
        this.options = Objects.requireNonNull(options, "options");
        this.reader = new RecordDeserializer<>(keys, values);
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    /**
     * A share loop reading JSON values of type {@code valueType} and keys as UTF-8 text.
     *
     * @param options   the group and how to behave; not null
     * @param valueType the class values are read as; not null
     * @param handler   the work for one record; not null
     * @param <V>       the type of record values
     * @return a loop, not yet running
     */
    public static <V> ShareLoop<String, V> forJson(ShareOptions options, Class<V> valueType,
                                                   RecordHandler<String, V> handler) {
        return create(options, KeyDeserializers.text(),
                new JsonDeserializer<>(Json.defaultMapper(), Objects.requireNonNull(valueType, "valueType")), handler);
    }

    /**
     * A share loop reading keys and values with the given deserializers, used as given ({@code configure} is not
     * called), on the loop thread, and closed with the loop. One that throws makes its record a poison pill.
     *
     * @param options           the group and how to behave; not null
     * @param keyDeserializer   reads record keys; not null
     * @param valueDeserializer reads record values; not null
     * @param handler           the work for one record; not null
     * @param <K>               the type of record keys
     * @param <V>               the type of record values
     * @return a loop, not yet running
     */
    public static <K, V> ShareLoop<K, V> create(ShareOptions options, Deserializer<K> keyDeserializer,
                                                Deserializer<V> valueDeserializer, RecordHandler<K, V> handler) {
        return new ShareLoop<>(options, keyDeserializer, valueDeserializer, handler);
    }

    /**
     * Runs the loop on this thread until {@link #close()} or a failure that stops it; returns at once if
     * {@code close()} came first.
     *
     * @throws ProcessingStoppedException if a handler threw {@link StopProcessingException} or a dead letter could
     *                                    not be written (the record was released)
     * @throws org.apache.kafka.common.errors.UnsupportedVersionException if the cluster does not run share groups
     * @throws org.apache.kafka.common.errors.TimeoutException if the cluster did not answer within the startup
     *                                    timeout
     * @throws IllegalStateException      if {@code run()} was called before
     */
    @Override
    public void run() {
        if (!state.compareAndSet(State.NEW, State.RUNNING)) {
            if (state.get() == State.CLOSED_BEFORE_RUN) {
                return;
            }
            throw new IllegalStateException("run() may be called only once; this share loop is " + state.get());
        }
        loopThread = Thread.currentThread();
        try (reader) {
            ShareEngine<K, V> made = new ShareEngine<>(options, reader, handler, control, tally);
            engine = made;
            if (control.isClosing()) {
                return; // close() came between the state change and the engine: it found nothing to wake
            }
            made.run();
        } finally {
            state.set(State.FINISHED);
            finished.countDown();
        }
    }

    /**
     * Stops the loop and waits up to 30 s for it to acknowledge and close.
     *
     * @see #close(Duration)
     */
    @Override
    public void close() {
        close(CommitLoop.DEFAULT_CLOSE_TIMEOUT);
    }

    /**
     * Stops the loop: running handlers finish (up to the drain timeout), finished records are acknowledged, the
     * others released, the consumer closed. Any thread, more than once; from the loop's own threads (a handler)
     * it does not wait.
     *
     * @param timeout how long to wait for that; zero to not wait; not null
     * @return true if the loop has finished (or never ran)
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public boolean close(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, was " + timeout);
        }
        if (control.requestClose()) {
            if (state.compareAndSet(State.NEW, State.CLOSED_BEFORE_RUN)) {
                finished.countDown();
                return true;
            }
            ShareEngine<K, V> running = engine;
            if (running != null) {
                running.wakeup();
            }
        }
        ShareEngine<K, V> running = engine;
        if (Thread.currentThread() == loopThread || (running != null && running.isWorker(Thread.currentThread()))) {
            return false;
        }
        try {
            return finished.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * What this member has acknowledged so far. Any thread.
     *
     * @return a snapshot of the counts
     */
    public ShareCounts counts() {
        return tally.snapshot();
    }

    @Override
    public String toString() {
        return "ShareLoop{group=" + options.groupId() + ", topics=" + options.topics() + ", " + state.get() + "}";
    }
}
