package dev.kafkaprimer.examples.failover;

import java.time.Duration;
import java.util.Map;
import java.util.HashMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends the values 1, 2, 3, ... (keyed {@code user-1..user-12}) about every 10 ms, on its own thread, until
 * {@link #stop} or until {@code maxRunTime} has passed, and remembers which values the cluster acknowledged.
 *
 * <p>The producer is idempotent with {@code acks=all}: a value is acknowledged once every in-sync replica
 * has it (at least {@code min.insync.replicas}), and retries after a lost connection cannot write it twice.
 *
 * <p>Thread-safety: {@link #run} on one thread; the other methods from any thread.
 */
final class ContinuousProducer implements Runnable {

    private static final long PAUSE_BETWEEN_SENDS_MS = 10;
    /** Twelve keys: enough that every one of three partitions gets some (six would all miss partition 0). */
    static final int USERS = 12;

    private final Map<String, Object> client;
    private final String topic;
    private final Duration maxRunTime;
    private final Duration closeTimeout;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();
    private final AtomicReference<RuntimeException> crash = new AtomicReference<>();
    private final Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
    private final Map<Integer, AckGap> gaps = new ConcurrentHashMap<>();

    /** {@code client}: {@code bootstrap.servers} and security settings. */
    ContinuousProducer(Map<String, Object> client, String topic, Duration maxRunTime, Duration closeTimeout) {
        this.client = client;
        this.topic = topic;
        this.maxRunTime = maxRunTime;
        this.closeTimeout = closeTimeout;
    }

    @Override
    public void run() {
        long giveUpAt = System.nanoTime() + maxRunTime.toNanos();
        KafkaProducer<String, String> producer =
                new KafkaProducer<>(config(), new StringSerializer(), new StringSerializer());
        try {
            for (long value = 1; running.get() && System.nanoTime() < giveUpAt; value++) {
                send(producer, value);
                Thread.sleep(PAUSE_BETWEEN_SENDS_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            crash.set(e);
        } finally {
            // Closing waits for the records still in flight, so every send ends acknowledged or failed.
            producer.close(closeTimeout);
        }
    }

    /** Asks the loop to end; {@link #run} returns once the sends in flight are settled. */
    void stop() {
        running.set(false);
    }

    int acknowledgedCount() {
        return acknowledged.size();
    }

    Set<Long> acknowledged() {
        return Set.copyOf(acknowledged);
    }

    long sent() {
        return sent.get();
    }

    long failed() {
        return failed.get();
    }

    /** What ended {@link #run} unexpectedly, or null. */
    RuntimeException crash() {
        return crash.get();
    }

    /** The first send that failed, or null. */
    Exception firstFailure() {
        return firstFailure.get();
    }

    /** Per partition, the longest time between two acknowledgements: how long writes there were stalled. */
    Map<Integer, Long> longestAckGapMs() {
        Map<Integer, Long> longest = new TreeMap<>();
        gaps.forEach((partition, gap) -> longest.put(partition, gap.longestMs()));
        return longest;
    }

    private void send(KafkaProducer<String, String> producer, long value) {
        String key = "user-" + (value % USERS + 1);
        sent.incrementAndGet();
        try {
            producer.send(new ProducerRecord<>(topic, key, Long.toString(value)),
                    (metadata, error) -> settle(value, metadata, error));
        } catch (RuntimeException e) {
            // send() itself failed (e.g. no metadata within max.block.ms): the value was never sent.
            settle(value, null, e);
        }
    }

    private void settle(long value, RecordMetadata metadata, Exception error) {
        if (error == null) {
            acknowledged.add(value);
            gaps.computeIfAbsent(metadata.partition(), p -> new AckGap()).acknowledgedNow();
        } else {
            failed.incrementAndGet();
            firstFailure.compareAndSet(null, error);
        }
    }

    private Map<String, Object> config() {
        // Where the cluster is, and how to log in and encrypt.
        Map<String, Object> config = new HashMap<>(client);
        // Acknowledged only when all in-sync replicas (at least min.insync.replicas of them) have the record.
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        // A retry after the leader vanished must not write a value twice: the broker drops repeated batches.
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // Keep retrying for longer than a failover takes here (about the 3 s broker session timeout).
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        return config;
    }

    /** The longest pause between acknowledgements on one partition. Guarded by itself. */
    private static final class AckGap {
        private long lastNanos;
        private long longestNanos;

        synchronized void acknowledgedNow() {
            long now = System.nanoTime();
            if (lastNanos != 0) {
                longestNanos = Math.max(longestNanos, now - lastNanos);
            }
            lastNanos = now;
        }

        synchronized long longestMs() {
            return longestNanos / 1_000_000;
        }
    }
}
