package dev.kafkaprimer.examples.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.kafkaprimer.core.consumer.CommitLoop;
import dev.kafkaprimer.core.consumer.ConsumerOptions;
import dev.kafkaprimer.core.consumer.Ordering;
import dev.kafkaprimer.examples.cli.KafkaConnection;
import dev.kafkaprimer.examples.cli.LoopThread;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The per-key engine with a slow handler: one partition holding records of 1,000 keys, a handler that waits
 * 5 ms per record (simulated I/O: a database, a service), {@link Ordering#KEY} with 64 workers. One record at
 * a time cannot pass 200 records/s here and 64 workers cannot pass 64 times that (12,800 records/s): the
 * bound of the speedup is 64. Each run reads a topic of its own with a fresh group.
 * <ul>
 *   <li>{@code key_parallel_speedup}: records/s of KEY ordering with 64 workers ÷ records/s of PARTITION
 *   ordering (one at a time), each timed from the first handler call to the end of the last, so joining the
 *   group is not counted.</li>
 *   <li>{@code key_parallel_commit_lag_ms}: from the end of the last handler call to the first moment the group
 *   coordinator answers with a committed offset that covers every record, median of several runs of 10,000
 *   records. The bench asks the coordinator (an admin request) in a loop, so the figure includes up to one such
 *   round trip, a millisecond or two on one machine.</li>
 * </ul>
 */
final class KeyParallelBench {

    static final int KEYS = 1_000;
    static final int WORKERS = 64;
    static final Duration WORK = Duration.ofMillis(5);
    /** Workers of the no-op comparison (stage 8). */
    static final int NOOP_WORKERS = WORKERS;
    /** Records per commit-lag run: the 10,000 of the issue that set the target. */
    static final int LAG_RECORDS = 10_000;

    /** The speedup, and what the commit-lag runs measured. */
    record Result(double speedup, double commitLagMs, double processingPerSecond, double committedPerSecond) {
    }

    /** One run: when the first handler call started, the last ended, and a commit covering all was seen. */
    private record Run(int records, long firstStartNanos, long lastEndNanos, long committedNanos) {
        double processingPerSecond() {
            return records / ((lastEndNanos - firstStartNanos) / 1e9);
        }

        double committedPerSecond() {
            return records / ((committedNanos - firstStartNanos) / 1e9);
        }

        double commitLagMs() {
            return (committedNanos - lastEndNanos) / 1e6;
        }
    }

    private KeyParallelBench() {
    }

    /** Measures the speedup and the commit lag (smaller runs with {@code quick}). */
    static Result measure(KafkaConnection kafka, BenchTopics topics, boolean quick, Duration deadline,
                          PrintStream out) throws Exception {
        // Each side of the speedup runs about as long: a few seconds in a full run, a second in a quick one.
        int sequentialRecords = quick ? 200 : 1_000;
        int parallelRecords = quick ? 6_400 : 40_000;
        double sequential = run(kafka, topics, "keys-partition", sequentialRecords, Ordering.PARTITION, 1,
                deadline).processingPerSecond();
        out.printf("   PARTITION ordering, 1 at a time: %,.0f records/s (%,d records)%n", sequential,
                sequentialRecords);
        double parallel = run(kafka, topics, "keys-key", parallelRecords, Ordering.KEY, WORKERS, deadline)
                .processingPerSecond();
        out.printf("   KEY ordering, %d workers:        %,.0f records/s (%,d records)%n", WORKERS, parallel,
                parallelRecords);

        int lagRuns = quick ? 3 : 5;
        List<Double> lags = new ArrayList<>();
        List<Double> processing = new ArrayList<>();
        List<Double> committed = new ArrayList<>();
        for (int i = 1; i <= lagRuns; i++) {
            Run run = run(kafka, topics, "keys-lag" + i, LAG_RECORDS, Ordering.KEY, WORKERS, deadline);
            out.printf("   commit lag run %d: %,d records, processing %,.0f records/s, processed and committed "
                            + "%,.0f records/s, last record finished -> committed %.1f ms%n", i, LAG_RECORDS,
                    run.processingPerSecond(), run.committedPerSecond(), run.commitLagMs());
            lags.add(run.commitLagMs());
            processing.add(run.processingPerSecond());
            committed.add(run.committedPerSecond());
        }
        return new Result(parallel / sequential, Stats.median(lags), Stats.median(processing),
                Stats.median(committed));
    }

    private static Run run(KafkaConnection kafka, BenchTopics topics, String name, int records, Ordering ordering,
                           int concurrency, Duration deadline) throws Exception {
        String topic = topics.create(name, 1);
        String group = topics.prefix() + name;
        fill(kafka, topic, records);
        AtomicLong firstStart = new AtomicLong();
        AtomicLong lastEnd = new AtomicLong();
        AtomicInteger handled = new AtomicInteger();
        ConsumerOptions options = ConsumerOptions.builder(kafka.bootstrapServers(), group, List.of(topic))
                .security(kafka.security())
                .ordering(ordering)
                .concurrency(concurrency)
                .build();
        CommitLoop<String, String> loop = CommitLoop.create(options, new StringDeserializer(), record -> {
            firstStart.compareAndSet(0, System.nanoTime());
            Thread.sleep(WORK.toMillis());  // the simulated I/O the bench measures, not a wait for a condition
            lastEnd.accumulateAndGet(System.nanoTime(), Math::max);
            handled.incrementAndGet();
        });
        LoopThread running = LoopThread.start("bench-" + name, loop);
        try {
            long giveUpAt = System.nanoTime() + deadline.toNanos();
            while (handled.get() < records) {
                check(running, giveUpAt, topic, handled.get() + " of " + records + " records were handled");
                Thread.sleep(1);  // a progress check; the deadline above bounds the wait
            }
            // As soon as every record was handled: ask the coordinator until it has the commit of the last one.
            // Each answer is a round trip, so no pause between the questions.
            long committed;
            while ((committed = topics.committedOffset(group, topic)) < records) {
                check(running, giveUpAt, topic, "the committed offset was " + committed + " of " + records);
            }
            return new Run(records, firstStart.get(), lastEnd.get(), System.nanoTime());
        } finally {
            running.stopQuietly(Duration.ofSeconds(30));
            topics.delete(topic);
        }
    }

    private static void check(LoopThread running, long giveUpAt, String topic, String progress) {
        if (!running.isRunning()) {
            throw new IllegalStateException("the commit loop of " + topic + " stopped when " + progress,
                    running.failure());
        }
        if (System.nanoTime() > giveUpAt) {
            throw new IllegalStateException(topic + ": the deadline passed when " + progress);
        }
    }

    private static void fill(KafkaConnection kafka, String topic, int records) throws Exception {
        Map<String, Object> config = new HashMap<>(kafka.clientProperties());
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "key-" + (i % KEYS), "record-" + i));
            }
            producer.flush();
        }
    }
}
