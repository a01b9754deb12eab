package dev.kafkaprimer.examples.wallet;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

import dev.kafkaprimer.core.config.ClientSecurity;
import dev.kafkaprimer.core.consumer.BatchFailedException;
import dev.kafkaprimer.core.consumer.CommitLoop;
import dev.kafkaprimer.core.consumer.ConsumerOptions;
import dev.kafkaprimer.core.consumer.Ordering;
import dev.kafkaprimer.core.consumer.RetryPolicy;
import dev.kafkaprimer.examples.cli.LoopThread;
import dev.kafkaprimer.examples.watch.LiveView;
import dev.kafkaprimer.examples.watch.MetricsEndpoint;
import dev.kafkaprimer.micrometer.ObservedHandlers;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One member of the wallet's consumer group: a {@link CommitLoop} on a thread of its own, handling up to
 * {@code concurrency} events at once (one user's events in order with {@link Ordering#KEY}), with one database
 * connection per event handled at once. For each event: apply it in one transaction ({@link WalletStore#apply},
 * skipped if it was applied before), then notify the third party; only then does the commit loop count it as
 * done.
 *
 * <p>If notifying fails even after the client's own retries, the handler throws: the loop retries the whole
 * record (the database step is then a no-op, the event id is known) and in the end writes it to the
 * dead-letter topic {@code wallet-events.DLT}.
 *
 * <p>With {@link Handling#IN_BATCHES} the loop hands over a partition's events of one poll at once instead:
 * they are applied in one transaction ({@link WalletStore#applyAll}), then notified all at once; see
 * {@link #handleBatch}; with {@link Handling#IN_BATCHES_BULK_NOTIFY} those notifications go in bulk calls.
 */
final class WalletMember implements AutoCloseable {

    /** How the member's loop hands events to it. */
    enum Handling {
        /** One event per handler call, one database transaction per event. */
        EVENT_BY_EVENT,
        /** A partition's events of one poll per handler call, one database transaction per batch. */
        IN_BATCHES,
        /** As {@link #IN_BATCHES}, a batch's events notified in bulk calls ({@link NotifierClient#notifyInBulk}). */
        IN_BATCHES_BULK_NOTIFY;

        /** Whether the loop hands a partition's events of one poll at once. */
        boolean inBatches() {
            return this != EVENT_BY_EVENT;
        }
    }

    /**
     * What watches a member in the parent JVM: its meters ({@code --metrics-port}), the live view ({@code --web})
     * and the tracer its handler observes with. A member in a JVM of its own has none of them ({@link #NONE}).
     */
    record Watchers(MetricsEndpoint metrics, LiveView web, ObservationRegistry observations) {
        static final Watchers NONE = new Watchers(null, null, ObservationRegistry.NOOP);
    }

    /** The wallet's settings for every member, in the parent and in a child JVM alike. */
    record Settings(String bootstrapServers, ClientSecurity security, String topic, String groupId, String db,
                    java.net.URI notifier, Ordering ordering, int concurrency, Handling handling) {
    }

    /**
     * How long a batch's notifications may take in all: well above one event's worst case (five attempts of at
     * most 5 s each), well below {@code max.poll.interval.ms} (5 minutes), after which the group would drop us.
     */
    private static final Duration NOTIFY_DEADLINE = Duration.ofSeconds(120);
    /** Records per poll in batches (kafka-clients' default is 500). */
    private static final int BATCH_POLL_RECORDS = 10_000;

    private final String name;
    /**
     * A connection for each event handled at once: a {@code WalletStore} is not thread-safe, and the loop never
     * runs more than {@code concurrency} handlers together, so taking one never waits.
     */
    private final BlockingQueue<WalletStore> stores;
    private final NotifierClient notifier;
    private final boolean bulkNotify;
    private final ObservationRegistry observations;
    private final CommitLoop<String, WalletEvent> loop;
    /** Set once, by start(), before anyone else sees this object. */
    private LoopThread running;
    private final AtomicLong processed = new AtomicLong();
    private final AtomicLong redelivered = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong batchedEvents = new AtomicLong();

    private WalletMember(String name, Settings settings, Watchers watch) throws SQLException {
        this.name = name;
        this.stores = openStores(settings.db(), settings.concurrency());
        // A batch's events each carry their own trace context: batches are not traced (see HandlerInterceptor).
        this.observations = settings.handling() == Handling.EVENT_BY_EVENT ? watch.observations()
                : ObservationRegistry.NOOP;
        this.notifier = new NotifierClient(settings.notifier(), 5, observations);
        this.bulkNotify = settings.handling() == Handling.IN_BATCHES_BULK_NOTIFY;
        ConsumerOptions.Builder options = ConsumerOptions.builder(settings.bootstrapServers(), settings.groupId(),
                        List.of(settings.topic()))
                .security(settings.security())
                .retry(RetryPolicy.builder().maxAttempts(3).initialDelay(Duration.ofMillis(50)).build())
                // KEY: one user's events one at a time and in order, different users side by side.
                .ordering(settings.ordering())
                .concurrency(settings.concurrency())
                // A member that dies (--crash-consumer) is noticed after this long, then its partitions move.
                .property(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6_000)
                .property(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1_000);
        if (settings.handling().inBatches()) {
            // Bigger batches: each ends by waiting for its slowest notification (a retry's backoff), so fewer
            // of them wait less in all: with --bulk-notify a run of 100,000 events took 5.9 s with 2,000 records
            // per poll, 3.7 s with 10,000. A partition gives at most a fetch's 1 MB (about 6,500 of these events).
            options.maxPollRecords(BATCH_POLL_RECORDS);
        }
        // The group coordinator (and the live view, which asks it who owns what) knows members by client id.
        options.property(ConsumerConfig.CLIENT_ID_CONFIG, name);
        if (watch.metrics() != null) {
            watch.metrics().measure(options, name);
        }
        if (watch.web() != null) {
            watch.web().listenTo(options, name);
        }
        if (observations != ObservationRegistry.NOOP) {
            // Each handler call a span whose parent is the trace context in the event's headers.
            options.interceptor(new ObservedHandlers(observations));
        }
        // Batches need PARTITION order and concurrency 1; WalletExample refuses other settings before we get here.
        this.loop = settings.handling().inBatches()
                ? CommitLoop.forJsonBatches(options.build(), WalletEvent.class, this::handleBatch)
                : CommitLoop.forJson(options.build(), WalletEvent.class, this::handle);
    }

    /** Creates the member and starts its loop thread. */
    static WalletMember start(String name, Settings settings, Watchers watch) throws SQLException {
        WalletMember member = new WalletMember(name, settings, watch);
        member.running = LoopThread.start(name, member.loop);
        return member;
    }

    private static BlockingQueue<WalletStore> openStores(String db, int count) throws SQLException {
        BlockingQueue<WalletStore> stores = new ArrayBlockingQueue<>(count);
        try {
            for (int i = 0; i < count; i++) {
                stores.add(WalletStore.open(db));
            }
            return stores;
        } catch (SQLException e) {
            closeAll(stores, e);
            throw e;
        }
    }

    private void handle(ConsumerRecord<String, WalletEvent> record) throws Exception {
        WalletEvent event = record.value();
        WalletStore store = stores.take();
        WalletStore.Result result;
        try {
            result = Observation.createNotStarted(WalletTracing.DATABASE, observations)
                    .observeChecked(() -> store.apply(event));
        } finally {
            stores.add(store);
        }
        notifyAndCount(event, result);
    }

    /**
     * The batch handler: the whole batch in one database transaction, then a notification for each applied
     * event, all of them at once ({@link NotifierClient#notifyAll}): the balances were changed in order, and
     * the notifications need none (each names its event), so a slow or failing call holds back nothing else.
     *
     * <p>The transaction is committed before the first notification, so when notifying event {@code i} fails
     * after every retry, the events before it are done for good (applied and notified), and
     * {@link BatchFailedException} says so: the loop retries from event {@code i} on (notifying again some that
     * were notified already: the notifier's idempotency key makes that harmless). In that retry the database
     * step finds those events' ids and changes nothing, but reports their stored outcome, so an event that was
     * applied is still notified. If
     * the transaction itself fails, it was rolled back and nothing of the batch is done: the exception goes to
     * the loop as it is, which retries the whole batch.
     */
    private void handleBatch(List<ConsumerRecord<String, WalletEvent>> records) throws Exception {
        List<WalletEvent> events = new ArrayList<>(records.size());
        for (ConsumerRecord<String, WalletEvent> record : records) {
            events.add(record.value());
        }
        WalletStore store = stores.take();
        List<WalletStore.Result> results;
        try {
            results = store.applyAll(events);
        } finally {
            stores.add(store);
        }
        batches.incrementAndGet();
        batchedEvents.addAndGet(events.size());
        // Notify every applied event at once: a failing call's backoff waits on a timer, not in front of the rest;
        // or in bulk calls, hundreds of events per round trip, only the refused ones sent again.
        List<WalletEvent> toNotify = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            if (results.get(i).outcome() == WalletStore.Outcome.APPLIED) {
                toNotify.add(events.get(i));
                positions.add(i);
            }
        }
        Optional<NotifierClient.FirstFailure> failed = bulkNotify ? notifier.notifyInBulk(toNotify, NOTIFY_DEADLINE)
                : notifier.notifyAll(toNotify, NOTIFY_DEADLINE);
        int done = failed.map(failure -> positions.get(failure.index())).orElse(events.size());
        for (int i = 0; i < done; i++) {
            count(results.get(i));
        }
        if (failed.isPresent()) {
            // The events before it are applied and notified for good; the loop retries from this one on.
            throw new BatchFailedException(done, failed.get().cause());
        }
    }

    /** The step after the database, one event at a time: notify if the event was applied, then count it. */
    private void notifyAndCount(WalletEvent event, WalletStore.Result result) throws InterruptedException {
        // A redelivered event reports the outcome it was first applied with, so one whose notification failed
        // before is notified now; the notifier is idempotent by event id, so one notified before is not twice.
        if (result.outcome() == WalletStore.Outcome.APPLIED) {
            notifier.notify(event);
        }
        count(result);
    }

    private void count(WalletStore.Result result) {
        if (result.redelivered()) {
            redelivered.incrementAndGet();
        }
        processed.incrementAndGet();
    }

    String name() {
        return name;
    }

    /** The partitions this member owns right now. */
    java.util.Set<org.apache.kafka.common.TopicPartition> assignment() {
        return loop.assignment();
    }

    long processed() {
        return processed.get();
    }

    long redelivered() {
        return redelivered.get();
    }

    /** Batches whose database transaction was committed (0 unless {@link Handling#inBatches}). */
    long batches() {
        return batches.get();
    }

    /** Events in those batches, redelivered ones included. */
    long batchedEvents() {
        return batchedEvents.get();
    }

    /** Why the loop stopped on its own, if it did; null while it runs or after a clean close. */
    Throwable failure() {
        return running.failure();
    }

    /** Stops the loop (committing finished work) and closes the database connections. */
    @Override
    public void close() throws SQLException {
        try {
            // A failure of the loop is reported by the example from failure(); here only the clean-up.
            running.stopQuietly(Duration.ofSeconds(30));
        } finally {
            SQLException failure = closeAll(stores, null);
            if (failure != null) {
                throw failure;
            }
        }
    }

    /** Closes every store, all of them even if some fail; returns {@code failure} with their failures added. */
    private static SQLException closeAll(BlockingQueue<WalletStore> stores, SQLException failure) {
        WalletStore store;
        while ((store = stores.poll()) != null) {
            try {
                store.close();
            } catch (SQLException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        return failure;
    }
}
