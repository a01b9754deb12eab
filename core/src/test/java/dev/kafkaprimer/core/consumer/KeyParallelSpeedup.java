package dev.kafkaprimer.core.consumer;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.kafkaprimer.testkit.Await;
import dev.kafkaprimer.testkit.EmbeddedKafkaCluster;

/**
 * The recipe for {@code key_parallel_speedup}: records per second of a {@link CommitLoop} with
 * {@link Ordering#KEY} and concurrency 64, divided by records per second with {@link Ordering#PARTITION}
 * (concurrency 1), on one partition holding records of 1,000 distinct keys (key {@code key-(i mod 1000)}),
 * with a handler that waits 5 ms per record. Each measurement uses a fresh group reading the topic from the
 * start; the clock runs from the first handler call to the last one's end, so joining the group is not
 * counted. Everything else is at its default (commit policy PER_BATCH, max.poll.records 500,
 * maxPendingRecords 5,000, workerCommitInterval 5 ms). Sequential handling cannot exceed 200 records/s here,
 * and 64 workers at most 64 × 200 = 12,800: the ideal ratio is 64.
 *
 * <p>Not a test (nothing here asserts a time): run {@link #main} by hand, against a broker given as the first
 * argument, or without arguments against an embedded one. {@link ParallelCommitLoopTest} runs
 * {@link #measure} once at a small size, so this recipe keeps compiling and working.
 */
final class KeyParallelSpeedup {

    static final int KEYS = 1_000;
    static final Duration WORK = Duration.ofMillis(5);
    static final Duration TIMEOUT = Duration.ofMinutes(5);

    private KeyParallelSpeedup() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            measure(args[0]);
            return;
        }
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start(1)) {
            measure(kafka.bootstrapServers());
        }
    }

    private static void measure(String bootstrapServers) throws Exception {
        // Enough records for each side to run a few seconds at its expected rate.
        String sequentialTopic = createAndFill(bootstrapServers, 1_000);
        String parallelTopic = createAndFill(bootstrapServers, 40_000);
        double sequential = measure(bootstrapServers, sequentialTopic, 1_000, Ordering.PARTITION, 1).perSecond();
        double parallel = measure(bootstrapServers, parallelTopic, 40_000, Ordering.KEY, 64).perSecond();
        System.out.printf(Locale.ROOT, "PARTITION, concurrency 1: %.0f records/s%n", sequential);
        System.out.printf(Locale.ROOT, "KEY, concurrency 64:      %.0f records/s%n", parallel);
        System.out.printf(Locale.ROOT, "key_parallel_speedup=%.1f%n", parallel / sequential);
    }

    /** Creates a one-partition topic and writes {@code records} records over {@link #KEYS} keys to it. */
    static String createAndFill(String bootstrapServers, int records) throws Exception {
        String topic = "speedup-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "key-" + (i % KEYS), "value-" + i));
            }
            producer.flush();
        }
        return topic;
    }

    /**
     * One measurement: how fast, and whether it was right.
     *
     * @param perSecond  records per second from the first handler call to the end of the last
     * @param handled    handler calls that succeeded
     * @param outOfOrder records of a key handled before an earlier record of the same key
     */
    record Measurement(double perSecond, int handled, int outOfOrder) {
    }

    /** Consumes all {@code records} of {@code topic} with a new group and a handler that waits {@link #WORK}. */
    static Measurement measure(String bootstrapServers, String topic, int records, Ordering ordering,
                               int concurrency) {
        Map<String, Long> lastOffsetByKey = new ConcurrentHashMap<>();
        AtomicInteger outOfOrder = new AtomicInteger();
        AtomicLong firstStart = new AtomicLong();
        AtomicLong lastEnd = new AtomicLong();
        AtomicInteger handled = new AtomicInteger();
        ConsumerOptions options = ConsumerOptions.builder(bootstrapServers, "speedup-" + UUID.randomUUID(),
                        List.of(topic))
                .ordering(ordering)
                .concurrency(concurrency)
                .build();
        CommitLoop<String, String> loop = CommitLoop.create(options, new StringDeserializer(), record -> {
            firstStart.compareAndSet(0, System.nanoTime());
            Long previous = lastOffsetByKey.put(record.key(), record.offset());
            if (previous != null && previous > record.offset()) {
                outOfOrder.incrementAndGet();
            }
            Thread.sleep(WORK.toMillis());  // the handler's simulated I/O, what the speedup is about; not a wait
            lastEnd.accumulateAndGet(System.nanoTime(), Math::max);
            handled.incrementAndGet();
        });
        try (LoopThread running = LoopThread.start(loop, "speedup-" + ordering)) {
            Await.until(TIMEOUT, records + " records handled", () -> {
                if (running.hasEnded()) {
                    throw new AssertionError("the loop ended", running.awaitEnd(Duration.ZERO));
                }
                return handled.get() >= records;
            });
        }
        return new Measurement(records / ((lastEnd.get() - firstStart.get()) / 1e9), handled.get(), outOfOrder.get());
    }
}
