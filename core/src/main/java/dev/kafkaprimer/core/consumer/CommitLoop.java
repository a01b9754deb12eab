package dev.kafkaprimer.core.consumer;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

import dev.kafkaprimer.core.consumer.internal.Engine;
import dev.kafkaprimer.core.consumer.internal.Engines;
import dev.kafkaprimer.core.consumer.internal.LoopControl;
import dev.kafkaprimer.core.consumer.internal.LoopEvents;
import dev.kafkaprimer.core.consumer.internal.RecordDeserializer;
import dev.kafkaprimer.core.consumer.internal.SeekRequest;
import dev.kafkaprimer.core.json.Json;
import dev.kafkaprimer.core.json.JsonDeserializer;

/**
 * A consumer loop that commits an offset only after its handler has finished every record before it: poll,
 * hand each record to a {@link RecordHandler} (or each partition's records together to a {@link BatchHandler}),
 * commit, repeat, until {@link #close()}.
 *
 * <p><b>Thread-safety and lifecycle.</b> {@link #run()} runs the loop on the calling thread and returns when
 * the loop has stopped; it may be called once. A {@code CommitLoop} is a {@link Runnable}, so give it a thread
 * of its own, or submit it to an executor whose {@code Future} then reports how it ended. Every other method
 * may be called from any thread: {@link #close()} stops the loop, the {@code seekTo...} methods move it. The
 * loop's {@code KafkaConsumer}, which is not thread-safe, never leaves the loop thread; worker threads, if
 * the options ask for them (see "Parallel processing"), live only while {@code run()} does. Creating a loop
 * opens no connection: {@code run()} creates the consumer and always closes it before returning. A loop whose
 * {@code run()} is still going when the application ends leaves its group only when the session times out,
 * and its finished but uncommitted records are processed again by the next owner: call {@code close()}, for
 * instance from a shutdown hook.
 *
 * <pre>{@code
 * ConsumerOptions options = ConsumerOptions.builder("localhost:9092", "billing", List.of("orders")).build();
 * CommitLoop<String, Order> loop = CommitLoop.forJson(options, Order.class, record -> bill(record.value()));
 * Thread worker = new Thread(loop, "billing-consumer");
 * worker.start();
 * // ... later, on any thread, for instance in a shutdown hook:
 * loop.close();   // commits what was finished, closes the consumer, waits up to 30 s for both
 * }</pre>
 *
 * <p><b>Manual offset control.</b> Auto-commit is off. The loop tracks, per partition, the last record the
 * handler finished, and commits when the {@link CommitPolicy} says so (after every poll by default), when
 * partitions are revoked in a rebalance, and when it closes. Suppose the handler stores each order in a
 * database. If the process crashes after the handler stored an order but before the commit that covers it,
 * the group's committed offset still points at that order: the next consumer of the partition reads it and
 * stores it again. Nothing is lost, but records may be processed twice: the delivery is <em>at least
 * once</em>, and handlers should tolerate duplicates (an upsert, a unique key). The opposite order, commit
 * first and process second, would lose the record instead (at most once). Note that the committed offset is
 * the offset of the <em>next</em> record to read: after finishing the record at offset 41, the loop commits
 * 42.
 *
 * <p><b>Failures.</b> A handler that throws is retried with exponential backoff ({@link RetryPolicy}), unless
 * its exception (or one in its cause chain) is bad data that fails the same way every time, such as an
 * {@code IllegalArgumentException} ({@link RetryPolicy#notRetryable()}); after the last attempt, or that one,
 * the record is written to a dead-letter topic ({@code <topic>.DLT} by default, with the
 * {@link DeadLetterHeaders}) and, once that write is acknowledged, counts as finished. A key or value the
 * deserializers cannot read (a poison pill) goes to the dead-letter topic at once, bytes untouched, and the
 * partition moves on. A handler that throws {@link StopProcessingException} (or an exception caused by one), or
 * a dead-letter write that fails, stops the loop: it commits what was finished before that record, and
 * {@code run()} throws {@link ProcessingStoppedException}. Other failures (from Kafka, or an {@code Error} from the handler) also
 * stop the loop after that commit, and {@code run()} rethrows them.
 *
 * <p><b>Starting, and a cluster that goes away.</b> {@code run()} first asks the cluster for its topics: if no
 * broker answers within {@linkplain ConsumerOptions.Builder#startupTimeout(Duration) the startup timeout} (60 s
 * by default), it fails with a {@code TimeoutException} naming the address, instead of polling a wrong address
 * forever. {@link #awaitAssignment(Duration)} waits until the member owns partitions, for tests and readiness
 * probes. A cluster lost later does not end the loop: the consumer keeps reconnecting, no records arrive, and
 * kafka-clients logs the connection failures (at WARN, through slf4j: add a logging backend to see them).
 * Commits that time out meanwhile, or fail with another short-lived error, are logged and left pending: the
 * next commit, after the next poll, includes them (the last commit before partitions go, or before the loop
 * closes, keeps trying for 30 s). A seek that fails then fails only its own future.
 *
 * <p><b>Retry waits and the group.</b> A consumer that does not call {@code poll()} within
 * {@code max.poll.interval.ms} (5 minutes by default) is removed from its group. So the loop does not sleep
 * through a retry delay: it pauses its partitions and keeps polling, which fetches nothing but keeps the
 * member alive and lets close() and rebalances through. All its partitions wait meanwhile, not only the
 * failing record's. The handler's own time per record, times {@code max.poll.records}, must still fit in
 * {@code max.poll.interval.ms}.
 *
 * <p><b>Parallel processing.</b> By default the loop thread handles one record at a time. With a
 * {@linkplain ConsumerOptions.Builder#concurrency(int) concurrency} above 1, or an {@link Ordering} other than
 * {@code PARTITION}, it hands records to that many worker threads instead, as far as the ordering allows; the
 * handler is then called from several threads at once and must be thread-safe. The consumer stays on the loop
 * thread, and the workers report each outcome back to it.
 * <pre>{@code
 * ConsumerOptions options = ConsumerOptions.builder("localhost:9092", "billing", List.of("orders"))
 *         .ordering(Ordering.KEY)   // one customer's orders in order, different customers side by side
 *         .concurrency(16)
 *         .build();
 * }</pre>
 * Records now finish out of order, and committing after "the last finished record" could skip one that is
 * still running. So the loop commits, per partition, the <em>safe offset</em>: the offset after the newest
 * record below which every record is finished. If records 40 to 45 are handed out and all but 42 finish, the
 * loop commits 42, not 46: a crash then repeats 42 to 45, and never skips 42. The price is that one slow
 * record holds back its partition's commit, and the finished records behind it must be remembered; so the
 * loop holds at most {@linkplain ConsumerOptions.Builder#maxPendingRecords(int) maxPendingRecords} (waiting,
 * being handled, or finished behind an unfinished one) and pauses fetching while it holds that many. A failing
 * record waits out its retry delay without occupying a worker or the poll loop; only the records of its own
 * key ({@code KEY}) or partition ({@code PARTITION}) wait with it. A {@link StopProcessingException} stops the
 * handing out: records being handled are finished, the safe offsets are committed (never past the stopped
 * record, so later records that finished are processed again too), and {@code run()} throws as above. Giving
 * partitions up in a rebalance, a seek and {@code close()} work alike: no new records of those partitions,
 * up to {@linkplain ConsumerOptions.Builder#drainTimeout(Duration) the drain timeout} (30 s) for the ones being
 * handled, then the commit. A handler still running after that is abandoned: its record is processed again by
 * the partition's next reader, and until the handler returns no other record of its key starts in this member.
 * At shutdown abandoned handlers are interrupted, and {@code run()} waits at most 5 s more for them, then
 * returns, logging how many still run; a dead letter one of them writes after that is refused.
 *
 * <p><b>Batches.</b> Work that is cheaper in bulk, such as one database transaction for many rows, takes a
 * {@link BatchHandler}: it gets the records one poll brought for one partition, in offset order, at once.
 * <pre>{@code
 * CommitLoop<String, Order> loop = CommitLoop.forJsonBatches(options, Order.class, batch -> orders.insertAll(batch));
 * }</pre>
 * The loop thread handles one batch at a time (batches use no worker threads), and when the handler returns
 * the whole batch is finished. A handler that can tell which record failed throws
 * {@link BatchFailedException} with its index: the records before it are finished, and the loop retries from
 * the failed record on, so that only that record ends up in the dead-letter topic. Any other exception makes
 * the loop retry the whole batch and, after the last attempt, dead-letter all of it. A poison pill ends the
 * batch before it: those records are handled first, then it is dead-lettered, then the records after it form
 * the next batch. {@code close()} lets the batch being handled finish, as it does a record, and hands over no
 * other. {@link BatchHandler} tells the details.
 *
 * <p><b>Transactions (exactly-once inside Kafka).</b> When the result of processing is itself Kafka records,
 * {@link #forJsonTransactional forJsonTransactional} and {@link #createTransactional createTransactional} make a
 * loop whose {@link TransactionalHandler} adds its outputs to an {@link Outputs}; the loop writes them, and the
 * input offsets, in one Kafka transaction, committed every
 * {@linkplain TransactionOptions.Builder#commitInterval(Duration) commit interval} (100 ms by default, several
 * polls in one). A reader of the outputs with {@code read_committed} then sees each input's outputs exactly once,
 * whatever crashes: a transaction that did not commit is aborted, its outputs are never shown to such readers,
 * and its inputs are read again from the offsets committed with the last transaction that did.
 * <pre>{@code
 * CommitLoop<String, Order> loop = CommitLoop.forJsonTransactional(options,
 *         TransactionOptions.builder("billing-" + instanceName).build(), Order.class,
 *         (record, outputs) -> outputs.send("invoices", record.key(), invoiceFor(record.value())));
 * }</pre>
 * The loop reads its inputs with {@code read_committed} whatever {@link ConsumerOptions#isolationLevel()} says
 * (outputs made from inputs that may still abort would stand on records that never happened), handles records on
 * the loop thread one at a time ({@code PARTITION} ordering, concurrency 1), and ignores the
 * {@link CommitPolicy}: the transaction is the commit. A failed attempt's outputs are dropped before its retry;
 * the dead letter of a record that keeps failing, or of a poison pill, is written inside the transaction too.
 * If the transaction fails in a way it can recover from (a send that failed, offsets the group coordinator refused
 * because this member was dropped from the group: a zombie, fenced by its group metadata), the loop aborts it,
 * rewinds its partitions to the last committed offsets and processes them again; a record whose outputs can
 * never be sent counts attempts and ends in the dead-letter topic. If it cannot recover
 * ({@code ProducerFencedException}: another instance started with the same {@code transactional.id}; missing
 * authorization), {@code run()} throws the cause. Before partitions go in a rebalance, and at {@code close()},
 * the open transaction commits; partitions lost abort it. {@link TransactionOptions} says which
 * {@code transactional.id} to choose. What exactly-once does not cover: anything the handler does outside
 * {@code outputs} (a database, an HTTP call) may happen more than once, as in any loop.
 *
 * <p><b>Shutdown</b> follows the pattern of {@code KafkaConsumer}'s documentation: {@code close()} sets a
 * flag and calls {@code wakeup()} on the consumer; the loop thread sees the flag between records, or gets a
 * {@code WakeupException} out of a blocking call, which it ignores because it is closing, then commits what
 * was finished and closes the consumer in its final step. The record being handled when {@code close()} is
 * called (with worker threads: every record being handled) is finished first; later records are left for the
 * next owner. Interrupting the loop thread, as an executor's {@code shutdownNow()} does, stops the loop the same
 * way: finished work is committed, the member leaves its group at once, and {@code run()} returns with the
 * thread's interrupt flag set (or, if the interrupt reached a handler, throws {@link ProcessingStoppedException}
 * for that record, with the flag set as well).
 *
 * <p><b>Failure modes</b>, each proved on a real broker by the test named (in the project's test sources):
 * <table class="striped">
 * <caption>What the loop does when something fails</caption>
 * <thead><tr><th>what happens</th><th>the loop</th><th>test</th></tr></thead>
 * <tbody>
 * <tr><td>the handler throws</td><td>retries with backoff, then dead-letters the record</td>
 *     <td>{@code CommitLoopTest}</td></tr>
 * <tr><td>bad data ({@link RetryPolicy#notRetryable()})</td><td>dead-letters it after one attempt</td>
 *     <td>{@code RetryClassificationTest}</td></tr>
 * <tr><td>a poison pill</td><td>dead-letters it at once, bytes untouched</td><td>{@code TypedKeysTest}</td></tr>
 * <tr><td>{@link StopProcessingException}, or a failed dead-letter write</td><td>commits up to the record,
 *     {@code run()} throws {@link ProcessingStoppedException}</td><td>{@code CommitLoopTest}</td></tr>
 * <tr><td>a rebalance</td><td>finishes, commits, gives the partitions up</td><td>{@code RebalanceTest}</td></tr>
 * <tr><td>the member lost the group</td><td>hands out nothing more, rewinds, polls to rejoin</td>
 *     <td>{@code LostMembershipTest}</td></tr>
 * <tr><td>a crash</td><td>the next owner repeats what was not committed</td><td>{@code CrashRecoveryTest}</td></tr>
 * <tr><td>an interrupt</td><td>stops like {@code close()}, flag set again</td><td>{@code CommitLoopTest}</td></tr>
 * <tr><td>commits time out (broker down)</td><td>keeps running, commits later</td>
 *     <td>{@code BrokerOutageTest}</td></tr>
 * <tr><td>no broker at start</td><td>{@code run()} fails after the startup timeout</td>
 *     <td>{@code CommitLoopLifecycleTest}</td></tr>
 * <tr><td>a seek</td><td>commits the new position first</td><td>{@code DurableSeekTest}</td></tr>
 * <tr><td>a handler outlives the drain</td><td>abandons it; its key waits for it</td>
 *     <td>{@code AbandonedHandlerTest}</td></tr>
 * <tr><td>a transaction fails: a send, a zombie's offsets, a fenced producer</td><td>aborts, rewinds, retries;
 *     a fenced producer stops the loop</td><td>{@code TransactionalLoopTest}</td></tr>
 * </tbody>
 * </table>
 *
 * @param <K> the type of record keys: {@code String} unless a key deserializer is given
 * @param <V> the type of record values
 */
public final class CommitLoop<K, V> implements Runnable, AutoCloseable {

    /** How long {@link #close()} waits for the loop to finish. */
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private enum State { NEW, RUNNING, FINISHED, CLOSED_BEFORE_RUN }

    private final ConsumerOptions options;
    private final RecordDeserializer<K, V> reader;
    /** Makes the engine of the run, on the loop thread: one kind per way of handling (records, batches, transactions). */
    private final EngineMaker<K, V> engineMaker;
    private final LoopControl control;
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private final CountDownLatch finished = new CountDownLatch(1);
    /** Wakes the running engine's consumer; set once the engine exists. */
    private volatile Runnable wakeEngine;
    /** Whether a thread is one of the engine's workers, which close() must not make wait for the loop. */
    private volatile Predicate<Thread> isWorker = thread -> false;
    private volatile Thread loopThread;

    /** How a loop makes its engine, from the reader of its records and the control it shares with it. */
    @FunctionalInterface
    private interface EngineMaker<K, V> {
        Engine make(RecordDeserializer<K, V> reader, LoopControl control);
    }

    private CommitLoop(ConsumerOptions options, Deserializer<K> keys, Deserializer<V> values,
                       RecordHandler<K, V> handler) {
        this(options, keys, values, records(options, Objects.requireNonNull(handler, "handler")));
    }

    private CommitLoop(ConsumerOptions options, Deserializer<K> keys, Deserializer<V> values,
                       BatchHandler<K, V> handler) {
        this(options, keys, values, batches(options, Objects.requireNonNull(handler, "handler")));
    }

    private CommitLoop(ConsumerOptions options, Deserializer<K> keys, Deserializer<V> values,
                       EngineMaker<K, V> engineMaker) {
        this.options = Objects.requireNonNull(options, "options");
        this.control = new LoopControl(LoopEvents.of(options.listeners()));
        this.reader = new RecordDeserializer<>(keys, values);
        this.engineMaker = engineMaker;
    }

    private static <K, V> EngineMaker<K, V> records(ConsumerOptions options, RecordHandler<K, V> handler) {
        return (reader, control) -> Engines.forRecords(options, reader, handler, control);
    }

    private static <K, V> EngineMaker<K, V> batches(ConsumerOptions options, BatchHandler<K, V> handler) {
        return (reader, control) -> Engines.forBatches(options, reader, handler, control);
    }

    /**
     * A loop reading JSON values into {@code valueType} with {@link Json#defaultMapper()}, and keys as UTF-8 text.
     *
     * @param options   what to consume and how; not null
     * @param valueType the class JSON values are read into, such as a record; not null
     * @param handler   the processing step; not null
     * @param <V>       the type of record values
     * @return a loop, not yet running
     */
    public static <V> CommitLoop<String, V> forJson(ConsumerOptions options, Class<V> valueType,
                                                    RecordHandler<String, V> handler) {
        return new CommitLoop<>(options, KeyDeserializers.text(), json(valueType), handler);
    }

    /**
     * A loop reading values with any deserializer, such as a {@link JsonDeserializer} over an own
     * {@code ObjectMapper}, and keys as UTF-8 text. The loop calls the deserializer once per record, on the loop
     * thread; an exception it throws makes that record a poison pill. It is used as given ({@code configure} is
     * not called) and closed with the loop.
     *
     * @param options           what to consume and how; not null
     * @param valueDeserializer reads record values; not null
     * @param handler           the processing step; not null
     * @param <V>               the type of record values
     * @return a loop, not yet running
     */
    public static <V> CommitLoop<String, V> create(ConsumerOptions options, Deserializer<V> valueDeserializer,
                                                   RecordHandler<String, V> handler) {
        return new CommitLoop<>(options, KeyDeserializers.text(), valueDeserializer, handler);
    }

    /**
     * A loop reading keys and values with any deserializers: the consumer's side of a {@code JsonProducer} given
     * its own key serializer. {@link KeyDeserializers} has the common key formats ({@code Long}, {@code UUID},
     * bytes, JSON). A key or value the deserializers fail on makes its record a poison pill: it goes to the
     * dead-letter topic at once, bytes untouched. Both are called on the loop thread only, used as given
     * ({@code configure} is not called) and closed with the loop.
     * <pre>{@code
     * CommitLoop<Long, Order> loop = CommitLoop.create(options, KeyDeserializers.longs(),
     *         new JsonDeserializer<>(Json.defaultMapper(), Order.class), record -> bill(record.key(), record.value()));
     * }</pre>
     *
     * @param options           what to consume and how; not null
     * @param keyDeserializer   reads record keys (called with null for a record without a key); not null
     * @param valueDeserializer reads record values; not null
     * @param handler           the processing step; not null
     * @param <K>               the type of record keys
     * @param <V>               the type of record values
     * @return a loop, not yet running
     */
    public static <K, V> CommitLoop<K, V> create(ConsumerOptions options, Deserializer<K> keyDeserializer,
                                                 Deserializer<V> valueDeserializer, RecordHandler<K, V> handler) {
        return new CommitLoop<>(options, keyDeserializer, valueDeserializer, handler);
    }

    /**
     * A loop reading JSON values into {@code valueType} with {@link Json#defaultMapper()}, and keys as UTF-8 text,
     * and handing them to {@code handler} in batches: the records of one partition from one poll at a time
     * (see "Batches" above).
     *
     * @param options   what to consume and how; with the default {@link Ordering#PARTITION} and a concurrency
     *                  of 1, since batches are handled on the loop thread; not null
     * @param valueType the class JSON values are read into, such as a record; not null
     * @param handler   the processing step for a batch; not null
     * @param <V>       the type of record values
     * @return a loop, not yet running
     * @throws IllegalArgumentException if {@code options} ask for worker threads (another ordering, or a
     *                                  concurrency above 1), or have a {@link HandlerInterceptor}
     */
    public static <V> CommitLoop<String, V> forJsonBatches(ConsumerOptions options, Class<V> valueType,
                                                           BatchHandler<String, V> handler) {
        return createBatching(options, KeyDeserializers.text(), json(valueType), handler);
    }

    /**
     * A loop reading values with any deserializer and keys as UTF-8 text, as
     * {@link #create(ConsumerOptions, Deserializer, RecordHandler)} does, and handing them to {@code handler} in
     * batches: the records of one partition from one poll at a time (see "Batches" above).
     *
     * @param options           what to consume and how; with the default {@link Ordering#PARTITION} and a
     *                          concurrency of 1, since batches are handled on the loop thread; not null
     * @param valueDeserializer reads record values; a record it fails on is dead-lettered, not put in a batch;
     *                          not null
     * @param handler           the processing step for a batch; not null
     * @param <V>               the type of record values
     * @return a loop, not yet running
     * @throws IllegalArgumentException if {@code options} ask for worker threads (another ordering, or a
     *                                  concurrency above 1), or have a {@link HandlerInterceptor}
     */
    public static <V> CommitLoop<String, V> createBatching(ConsumerOptions options, Deserializer<V> valueDeserializer,
                                                           BatchHandler<String, V> handler) {
        return createBatching(options, KeyDeserializers.text(), valueDeserializer, handler);
    }

    /**
     * A loop reading keys and values with any deserializers, as
     * {@link #create(ConsumerOptions, Deserializer, Deserializer, RecordHandler)} does, and handing them to
     * {@code handler} in batches (see "Batches" above).
     *
     * @param options           what to consume and how; with the default {@link Ordering#PARTITION} and a
     *                          concurrency of 1, since batches are handled on the loop thread; not null
     * @param keyDeserializer   reads record keys; a record it fails on is dead-lettered, not put in a batch;
     *                          not null
     * @param valueDeserializer reads record values; likewise; not null
     * @param handler           the processing step for a batch; not null
     * @param <K>               the type of record keys
     * @param <V>               the type of record values
     * @return a loop, not yet running
     * @throws IllegalArgumentException if {@code options} ask for worker threads (another ordering, or a
     *                                  concurrency above 1), or have a {@link HandlerInterceptor}
     */
    public static <K, V> CommitLoop<K, V> createBatching(ConsumerOptions options, Deserializer<K> keyDeserializer,
                                                         Deserializer<V> valueDeserializer,
                                                         BatchHandler<K, V> handler) {
        requireNoWorkers(options);
        return new CommitLoop<>(options, keyDeserializer, valueDeserializer, handler);
    }

    /**
     * A transactional loop reading JSON values into {@code valueType} with {@link Json#defaultMapper()}, and keys
     * as UTF-8 text: the handler's outputs and the input offsets are committed in one Kafka transaction (see
     * "Transactions" above).
     * <pre>{@code
     * CommitLoop<String, WalletEvent> loop = CommitLoop.forJsonTransactional(options,
     *         TransactionOptions.builder("balances-" + instanceName).build(), WalletEvent.class,
     *         (record, outputs) -> outputs.send("balances", record.key(), apply(record.value())));
     * }</pre>
     *
     * @param options      what to consume and how; with the default {@link Ordering#PARTITION} and a concurrency
     *                     of 1 (records are handled on the loop thread); not null
     * @param transactions the transactional id and the transactions' interval and timeout; not null
     * @param valueType    the class JSON values are read into; not null
     * @param handler      the processing step, which adds its outputs; not null
     * @param <V>          the type of input record values
     * @return a loop, not yet running
     * @throws IllegalArgumentException if {@code options} ask for worker threads
     */
    public static <V> CommitLoop<String, V> forJsonTransactional(ConsumerOptions options,
                                                                 TransactionOptions transactions, Class<V> valueType,
                                                                 TransactionalHandler<String, V> handler) {
        return createTransactional(options, transactions, KeyDeserializers.text(), json(valueType), handler);
    }

    /**
     * A transactional loop reading keys and values with any deserializers (see "Transactions" above); a record
     * they fail on is dead-lettered inside the transaction.
     *
     * @param options           what to consume and how; with the default {@link Ordering#PARTITION} and a
     *                          concurrency of 1; not null
     * @param transactions      the transactional id and the transactions' interval and timeout; not null
     * @param keyDeserializer   reads input record keys; not null
     * @param valueDeserializer reads input record values; not null
     * @param handler           the processing step, which adds its outputs; not null
     * @param <K>               the type of input record keys
     * @param <V>               the type of input record values
     * @return a loop, not yet running
     * @throws IllegalArgumentException if {@code options} ask for worker threads
     */
    public static <K, V> CommitLoop<K, V> createTransactional(ConsumerOptions options, TransactionOptions transactions,
                                                              Deserializer<K> keyDeserializer,
                                                              Deserializer<V> valueDeserializer,
                                                              TransactionalHandler<K, V> handler) {
        if (Objects.requireNonNull(options, "options").parallel()) {
            throw new IllegalArgumentException("a transactional loop handles records on the loop thread, one at a "
                    + "time: it needs ordering PARTITION with concurrency 1, but the options have ordering "
                    + options.ordering() + " with concurrency " + options.concurrency());
        }
        Objects.requireNonNull(transactions, "transactions");
        Objects.requireNonNull(handler, "handler");
        return new CommitLoop<>(options, keyDeserializer, valueDeserializer, (reader, control) ->
                Engines.forTransactions(options, transactions, reader, handler, control));
    }

    private static <V> Deserializer<V> json(Class<V> valueType) {
        return new JsonDeserializer<>(Json.defaultMapper(), valueType);
    }

    /** Batches are one partition's records, in order, on the loop thread: no worker threads, no interceptors. */
    private static void requireNoWorkers(ConsumerOptions options) {
        if (Objects.requireNonNull(options, "options").parallel()) {
            throw new IllegalArgumentException("a batch handler needs ordering PARTITION with concurrency 1 (it gets "
                    + "one partition's records at a time, on the loop thread), but the options have ordering "
                    + options.ordering() + " with concurrency " + options.concurrency());
        }
        if (!options.interceptors().isEmpty()) {
            // Silently skipping them would lose what the user asked for (a trace, a logging context).
            throw new IllegalArgumentException("a batch handler is not intercepted (a batch holds many records, each "
                    + "with its own trace context), but the options have " + options.interceptors().size()
                    + " interceptor(s): use a record handler, or wrap the batch handler yourself");
        }
    }

    /**
     * Runs the loop on this thread until {@link #close()} is called or processing stops. When it returns or
     * throws, finished work is committed (as far as the cluster allowed) and the consumer is closed. If
     * {@code close()} was called before, it returns at once without connecting.
     *
     * @throws ProcessingStoppedException if the handler threw {@link StopProcessingException}, or a record
     *                                    could not be written to its dead-letter topic
     * @throws IllegalStateException      if {@code run()} was called before
     * @throws org.apache.kafka.common.KafkaException for failures of the consumer itself, such as an invalid
     *                                    setting, missing authorization or a lost connection beyond its timeouts
     */
    @Override
    public void run() {
        if (!state.compareAndSet(State.NEW, State.RUNNING)) {
            if (state.get() == State.CLOSED_BEFORE_RUN) {
                return;
            }
            throw new IllegalStateException("run() may be called only once; this loop is " + state.get());
        }
        loopThread = Thread.currentThread();
        try {
            Engine engine = engineMaker.make(reader, control);
            // close() reads wakeEngine after setting its flag; the loop reads the flag after this assignment.
            wakeEngine = engine::wakeup;
            isWorker = engine::isWorker;
            engine.run();
            control.events().stopped(null);
        } catch (RuntimeException | Error e) {
            control.events().stopped(e);
            throw e;
        } finally {
            state.set(State.FINISHED);
            control.failPendingSeeks(new IllegalStateException("the loop stopped before it applied the seek"));
            finished.countDown();
            control.wakeWaiters();
        }
    }

    /**
     * Stops the loop and waits up to {@link #DEFAULT_CLOSE_TIMEOUT} for it to commit and close.
     *
     * @see #close(Duration)
     */
    @Override
    public void close() {
        close(DEFAULT_CLOSE_TIMEOUT);
    }

    /**
     * Stops the loop: the records being handled are finished, the rest are left, finished work is committed and
     * the consumer is closed, on the loop thread. Waits at most {@code timeout} for that; the loop goes on
     * finishing if the time is up. Safe to call from any thread, more than once. Called from the loop thread
     * itself or a worker thread (from the handler), it does not wait: the loop stops once the handler returns.
     *
     * @param timeout how long to wait for the loop to finish; zero to not wait; not null
     * @return true if the loop has finished (or never ran), false if it is still finishing
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
            Runnable wake = wakeEngine;
            if (wake != null && state.get() == State.RUNNING) {
                wake.run();
            }
        }
        if (Thread.currentThread() == loopThread || isWorker.test(Thread.currentThread())) {
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
     * The partitions this member owns right now, as of its last rebalance.
     *
     * @return an immutable snapshot; empty before the first assignment and after the loop stopped
     * @see ConsumerOptions.Builder#rebalanceListener(RebalanceListener) to be told of each change instead
     */
    public Set<TopicPartition> assignment() {
        return state.get() == State.RUNNING ? control.assignment() : Set.of();
    }

    /**
     * Waits until this member owns at least one partition: for a test that must not produce before the group is
     * formed, or a readiness probe. Any thread except the loop's own.
     *
     * @param timeout how long to wait at most; not null
     * @return the partitions owned, not empty
     * @throws org.apache.kafka.common.errors.TimeoutException if no partition was assigned within {@code timeout}
     *                                  (a group with more members than partitions leaves some without any)
     * @throws IllegalStateException    if the loop has stopped, or stops meanwhile (its {@code run()} says why)
     * @throws org.apache.kafka.common.errors.InterruptException if the waiting thread is interrupted (the
     *                                  interrupt flag stays set)
     */
    public Set<TopicPartition> awaitAssignment(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        Set<TopicPartition> owned;
        try {
            owned = control.awaitAssignment(timeout.toNanos(), this::hasEnded);
        } catch (InterruptedException e) {
            throw new org.apache.kafka.common.errors.InterruptException("interrupted while waiting for partitions", e);
        }
        if (hasEnded()) {
            throw new IllegalStateException("the loop of group " + options.groupId() + " is not running ("
                    + state.get() + "), so it owns no partitions");
        }
        if (owned.isEmpty()) {
            throw new org.apache.kafka.common.errors.TimeoutException("no partition of " + options.groupId()
                    + " was assigned to this member within " + timeout.toMillis() + " ms");
        }
        return owned;
    }

    private boolean hasEnded() {
        State now = state.get();
        return now == State.FINISHED || now == State.CLOSED_BEFORE_RUN;
    }

    /**
     * Replays: moves every partition this member owns to its oldest stored record. Applied on the loop thread
     * before its next poll: finished work is committed first, then the new positions are committed too (the
     * committed offset moves back), and only then does the future complete. So a restart, or the partition's
     * next owner, resumes at the new position even if no record was handled since: the replay is not lost,
     * and a skip with {@link #seekToEnd()} is not undone.
     *
     * @return the new positions (offsets of the next record to read) per owned partition, once applied and
     *         committed; fails if the loop stops first, or if the commit of the new positions failed (the
     *         consumer has moved, but a restart may resume at the offset committed before)
     */
    public CompletableFuture<Map<TopicPartition, Long>> seekToBeginning() {
        return submit(SeekRequest.to(SeekRequest.Target.BEGINNING, null));
    }

    /**
     * Skips: moves every partition this member owns past its newest record, as {@link #seekToBeginning()}.
     *
     * @return the new positions per owned partition, when applied; fails if the loop stops first
     */
    public CompletableFuture<Map<TopicPartition, Long>> seekToEnd() {
        return submit(SeekRequest.to(SeekRequest.Target.END, null));
    }

    /**
     * Replays from a point in time: moves every partition this member owns to its first record whose timestamp
     * is at or after {@code time} (past the end if there is none), as {@link #seekToBeginning()}.
     *
     * @param time the point in time; not null
     * @return the new positions per owned partition, when applied; fails if the loop stops first
     */
    public CompletableFuture<Map<TopicPartition, Long>> seekToTimestamp(Instant time) {
        return submit(SeekRequest.to(SeekRequest.Target.TIMESTAMP, Objects.requireNonNull(time, "time")));
    }

    private CompletableFuture<Map<TopicPartition, Long>> submit(SeekRequest request) {
        control.submit(request);
        if (state.get() == State.FINISHED || state.get() == State.CLOSED_BEFORE_RUN) {
            control.failPendingSeeks(new IllegalStateException("the loop is not running"));
        }
        return request.result();
    }

    @Override
    public String toString() {
        return "CommitLoop{" + state.get() + ", groupId=" + options.groupId() + ", assignment=" + assignment() + "}";
    }
}
