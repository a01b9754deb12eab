package dev.kafkaprimer.examples.bench;

import java.io.PrintStream;
import java.time.Duration;
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
 * {@code key_parallel_speedup}: records per second of a commit loop with {@link Ordering#KEY} and 64 workers,
 * divided by records per second with {@link Ordering#PARTITION} (one at a time), on one partition holding
 * records of 1,000 keys, with a handler that waits 5 ms per record (simulated I/O: a database, a service).
 * One record at a time cannot pass 200 records/s here and 64 workers cannot pass 64 times that: the bound
 * is 64. The clock runs from the first handler call to the end of the last, so joining the group is not
 * counted. Each side reads a topic of its own with a fresh group.
 */
final class KeyParallelBench {

    static final int KEYS = 1_000;
    static final int WORKERS = 64;
    static final Duration WORK = Duration.ofMillis(5);

    private KeyParallelBench() {
    }

    /** Measures both sides (a small run with {@code quick}) and returns the ratio. */
    static double speedup(KafkaConnection kafka, BenchTopics topics, boolean quick, Duration deadline,
                          PrintStream out) throws Exception {
        // Each side runs about as long: a few seconds in a full run, a second in a quick one.
        int sequentialRecords = quick ? 200 : 1_000;
        int parallelRecords = quick ? 6_400 : 40_000;
        double sequential = recordsPerSecond(kafka, topics, "keys-partition", sequentialRecords,
                Ordering.PARTITION, 1, deadline);
        out.printf("   PARTITION ordering, 1 at a time: %,.0f records/s (%,d records)%n", sequential,
                sequentialRecords);
        double parallel = recordsPerSecond(kafka, topics, "keys-key", parallelRecords, Ordering.KEY, WORKERS,
                deadline);
        out.printf("   KEY ordering, %d workers:        %,.0f records/s (%,d records)%n", WORKERS, parallel,
                parallelRecords);
        return parallel / sequential;
    }

    private static double recordsPerSecond(KafkaConnection kafka, BenchTopics topics, String name, int records,
                                           Ordering ordering, int concurrency, Duration deadline) throws Exception {
        String topic = topics.create(name, 1);
        fill(kafka, topic, records);
        AtomicLong firstStart = new AtomicLong();
        AtomicLong lastEnd = new AtomicLong();
        AtomicInteger handled = new AtomicInteger();
        ConsumerOptions options = ConsumerOptions.builder(kafka.bootstrapServers(), topics.prefix() + name,
                        List.of(topic))
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
                if (!running.isRunning()) {
                    throw new IllegalStateException("the commit loop of " + topic + " stopped after "
                            + handled.get() + " of " + records + " records", running.failure());
                }
                if (System.nanoTime() > giveUpAt) {
                    throw new IllegalStateException(topic + ": only " + handled.get() + " of " + records
                            + " records were handled within " + deadline.toSeconds() + " s");
                }
                Thread.sleep(20);  // a progress check; the deadline above bounds the wait
            }
        } finally {
            running.stopQuietly(Duration.ofSeconds(30));
            topics.delete(topic);
        }
        return records / ((lastEnd.get() - firstStart.get()) / 1e9);
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
