package dev.kafkaprimer.micrometer;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import dev.kafkaprimer.core.consumer.LoopClient;
import dev.kafkaprimer.core.consumer.LoopListener;
import dev.kafkaprimer.core.consumer.RebalanceEvent;

/**
 * One {@code CommitLoop}'s life as Micrometer meters, with its consumer's own kafka-clients metrics in the same
 * registry. Register it like any listener:
 *
 * <pre>{@code
 * ConsumerOptions options = ConsumerOptions.builder(servers, "billing", List.of("orders"))
 *         .listener(new LoopMetrics(registry))
 *         .build();
 * }</pre>
 *
 * <table>
 *   <caption>The meters (Prometheus writes dots as underscores and adds {@code _total} or {@code _seconds})</caption>
 *   <tr><th>name</th><th>kind</th><th>tags besides group, client.id</th><th>what it counts</th></tr>
 *   <tr><td>{@value #RECORDS_HANDLED}</td><td>counter</td><td>topic, partition</td>
 *       <td>records the handler finished (they will be committed)</td></tr>
 *   <tr><td>{@value #HANDLER}</td><td>timer, p50 and p99</td><td>topic</td>
 *       <td>the handler's successful calls</td></tr>
 *   <tr><td>{@value #RETRIES}</td><td>counter</td><td>topic, partition</td>
 *       <td>failed attempts the retry policy tries again</td></tr>
 *   <tr><td>{@value #DEAD_LETTERS}</td><td>counter</td><td>topic, partition</td>
 *       <td>records written to the dead-letter topic</td></tr>
 *   <tr><td>{@value #COMMITS}</td><td>counter</td><td></td><td>commits the coordinator accepted</td></tr>
 *   <tr><td>{@value #COMMIT}</td><td>timer, p50 and p99</td><td></td>
 *       <td>synchronous commits (an asynchronous one is counted, not timed)</td></tr>
 *   <tr><td>{@value #LAG}</td><td>gauge</td><td>topic, partition</td>
 *       <td>records between the consumer's position and the log end, for each partition it owns now</td></tr>
 *   <tr><td>{@value #REBALANCES}</td><td>counter</td><td>change (assigned, revoked, lost)</td>
 *       <td>rebalance callbacks</td></tr>
 *   <tr><td>{@value #PAUSED}</td><td>gauge</td><td></td>
 *       <td>partitions paused now (a retry wait, or the loop holds all it may)</td></tr>
 *   <tr><td>{@code kafka.consumer.*}</td><td>gauges, counters</td><td>kafka.version and kafka-clients' own</td>
 *       <td>the consumer's own metrics, through Micrometer's {@code KafkaClientMetrics}</td></tr>
 * </table>
 *
 * <p>Why the timers are per topic, not per partition: a timer with percentiles keeps a histogram per series;
 * one per topic keeps memory flat however many partitions a topic has.
 *
 * <p><b>Lifecycle.</b> One instance per loop: its {@code group} and {@code client.id} tags are the loop's,
 * learnt when it starts (a second loop is refused, and logged by that loop). When the loop stops, the lag
 * gauges and the client's metrics leave the registry (nothing measures them any more); counters and timers stay,
 * so a scrape after the stop still shows the totals. A partition's lag gauge leaves when it is revoked or lost.
 * <b>Threads.</b> Thread-safe, as listeners must be: workers report handled records from several threads.
 * <b>Cost.</b> A counter increment and a timer sample per record, found in a concurrent map.
 */
public final class LoopMetrics implements LoopListener {

    /** Records the handler finished. */
    public static final String RECORDS_HANDLED = "kafka.primer.records.handled";
    /** How long the handler's successful calls took. */
    public static final String HANDLER = "kafka.primer.handler";
    /** Failed attempts that are tried again. */
    public static final String RETRIES = "kafka.primer.retries";
    /** Records written to the dead-letter topic. */
    public static final String DEAD_LETTERS = "kafka.primer.dead.letters";
    /** Commits accepted by the group coordinator. */
    public static final String COMMITS = "kafka.primer.commits";
    /** How long synchronous commits took. */
    public static final String COMMIT = "kafka.primer.commit";
    /** Records behind the log end, per owned partition. */
    public static final String LAG = "kafka.primer.lag";
    /** Partitions assigned, revoked or lost. */
    public static final String REBALANCES = "kafka.primer.rebalances";
    /** Partitions paused now. */
    public static final String PAUSED = "kafka.primer.partitions.paused";

    /** How often the client's metrics are looked at for new ones (a partition's appear when it is assigned). */
    private static final Duration CLIENT_METRICS_REFRESH = Duration.ofSeconds(5);

    private final MeterRegistry registry;
    private final Tags extraTags;
    private volatile Tags loopTags;
    private final ConcurrentMap<TopicPartition, PartitionMeters> partitions = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Timer> handlerTimers = new ConcurrentHashMap<>();
    private final ConcurrentMap<TopicPartition, LagGauge> lag = new ConcurrentHashMap<>();
    private final Set<TopicPartition> paused = ConcurrentHashMap.newKeySet();
    private Counter commits;
    private Timer commitTimer;
    private KafkaClientMetrics clientMetrics;
    private ScheduledExecutorService clientMetricsRefresh;

    /**
     * Meters for one loop, in {@code registry}.
     *
     * @param registry where the meters go; not null
     */
    public LoopMetrics(MeterRegistry registry) {
        this(registry, Tags.empty());
    }

    /**
     * Meters for one loop, in {@code registry}, each with {@code extraTags} too (an application name, say).
     *
     * @param registry  where the meters go; not null
     * @param extraTags added to every meter; not null
     */
    public LoopMetrics(MeterRegistry registry, Tags extraTags) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.extraTags = Objects.requireNonNull(extraTags, "extraTags");
        this.loopTags = extraTags;
    }

    @Override
    public synchronized void started(LoopClient client) {
        if (clientMetrics != null) {
            throw new IllegalStateException("one LoopMetrics per CommitLoop: this one already measures "
                    + loopTags + "; give " + client + " a LoopMetrics of its own");
        }
        loopTags = extraTags.and(MeterTags.GROUP, client.groupId()).and(MeterTags.CLIENT_ID, client.clientId());
        commits = Counter.builder(COMMITS).description("commits the group coordinator accepted").tags(loopTags)
                .register(registry);
        commitTimer = Timer.builder(COMMIT).description("how long synchronous commits took")
                .publishPercentiles(0.5, 0.99).tags(loopTags).register(registry);
        Gauge.builder(PAUSED, paused, Set::size).description("partitions paused now").tags(loopTags)
                .strongReference(true).register(registry);
        clientMetricsRefresh = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "kafka-primer-client-metrics-" + client.clientId());
            thread.setDaemon(true);
            return thread;
        });
        clientMetrics = new KafkaClientMetrics(MetricsOnlyClients.consumer(client::metrics), extraTags,
                clientMetricsRefresh, CLIENT_METRICS_REFRESH);
        clientMetrics.bindTo(registry);
    }

    @Override
    public void recordHandled(ConsumerRecord<?, ?> record, long handlerNanos) {
        meters(record.topic(), record.partition()).handled.increment();
        handlerTimers.computeIfAbsent(record.topic(), topic -> Timer.builder(HANDLER)
                        .description("how long the handler's successful calls took").publishPercentiles(0.5, 0.99)
                        .tags(MeterTags.topic(loopTags, topic)).register(registry))
                .record(handlerNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void attemptFailed(ConsumerRecord<?, ?> record, int attempt, Throwable failure, boolean retrying) {
        if (retrying) {
            meters(record.topic(), record.partition()).retries.increment();
        }
    }

    @Override
    public void deadLettered(ConsumerRecord<byte[], byte[]> record, String deadLetterTopic, Throwable failure) {
        meters(record.topic(), record.partition()).deadLetters.increment();
    }

    @Override
    public void committed(Map<TopicPartition, OffsetAndMetadata> offsets, long commitNanos) {
        commits.increment();
        if (commitNanos > 0) {
            commitTimer.record(commitNanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void lagMeasured(Map<TopicPartition, Long> measured) {
        measured.forEach((partition, behind) -> lag.computeIfAbsent(partition, this::lagGauge).set(behind));
    }

    @Override
    public void rebalanced(RebalanceEvent event) {
        registry.counter(REBALANCES, loopTags.and("change", event.change().name().toLowerCase(Locale.ROOT)))
                .increment();
        if (event.change() != RebalanceEvent.Change.ASSIGNED) {
            event.partitions().forEach(this::dropLag);
            paused.removeAll(event.partitions());
        }
    }

    @Override
    public void paused(Set<TopicPartition> partitions) {
        paused.addAll(partitions);
    }

    @Override
    public void resumed(Set<TopicPartition> partitions) {
        paused.removeAll(partitions);
    }

    @Override
    public synchronized void stopped(Throwable cause) {
        Set.copyOf(lag.keySet()).forEach(this::dropLag);
        paused.clear();
        if (clientMetrics != null) {
            clientMetrics.close();
            clientMetricsRefresh.shutdownNow();
        }
    }

    @Override
    public String toString() {
        return "LoopMetrics" + loopTags;
    }

    private PartitionMeters meters(String topic, int partition) {
        return partitions.computeIfAbsent(new TopicPartition(topic, partition),
                p -> new PartitionMeters(registry, MeterTags.partition(loopTags, topic, partition)));
    }

    private LagGauge lagGauge(TopicPartition partition) {
        AtomicLong value = new AtomicLong();
        Gauge gauge = Gauge.builder(LAG, value, AtomicLong::get)
                .description("records between the consumer's position and the log end")
                .baseUnit("records").tags(MeterTags.partition(loopTags, partition.topic(), partition.partition()))
                .strongReference(true).register(registry);
        return new LagGauge(value, gauge);
    }

    private void dropLag(TopicPartition partition) {
        LagGauge gone = lag.remove(partition);
        if (gone != null) {
            registry.remove(gone.gauge());
        }
    }

    /** A partition's lag, and the gauge that shows it. */
    private record LagGauge(AtomicLong value, Gauge gauge) {
        void set(long behind) {
            value.set(behind);
        }
    }

    /** The counters of one partition, made once. */
    private static final class PartitionMeters {
        final Counter handled;
        final Counter retries;
        final Counter deadLetters;

        PartitionMeters(MeterRegistry registry, Tags tags) {
            handled = Counter.builder(RECORDS_HANDLED).description("records the handler finished").tags(tags)
                    .register(registry);
            retries = Counter.builder(RETRIES).description("failed attempts tried again").tags(tags)
                    .register(registry);
            deadLetters = Counter.builder(DEAD_LETTERS).description("records written to the dead-letter topic")
                    .tags(tags).register(registry);
        }
    }
}
