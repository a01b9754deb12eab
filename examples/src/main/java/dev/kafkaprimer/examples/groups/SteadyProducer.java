package dev.kafkaprimer.examples.groups;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import dev.kafkaprimer.core.config.ClientSecurity;
import dev.kafkaprimer.core.producer.JsonProducer;
import dev.kafkaprimer.core.producer.ProducerOptions;

/**
 * Writes records at a steady pace on a thread of its own while the group changes, so that every rebalance
 * happens with records in flight. Keys {@code user-000} to {@code user-099} spread them over the partitions.
 * Each acknowledged record goes into the {@link Deliveries}; the first failed send stops it. Closing it
 * stops it too.
 */
final class SteadyProducer implements AutoCloseable {

    private static final int KEYS = 100;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final String topic;
    private final Duration pause;
    private final Deliveries deliveries;
    private final JsonProducer<String, Numbered> producer;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;

    private SteadyProducer(String bootstrapServers, ClientSecurity security, String topic, int perSecond,
                           Deliveries deliveries) {
        this.topic = topic;
        this.pause = Duration.ofNanos(TimeUnit.SECONDS.toNanos(1) / perSecond);
        this.deliveries = deliveries;
        this.producer = JsonProducer.create(ProducerOptions.builder(bootstrapServers).security(security)
                .maxBlock(Duration.ofSeconds(30)).deliveryTimeout(Duration.ofSeconds(60)).build());
        this.thread = new Thread(this::produce, "groups-producer");
    }

    /** Starts writing about {@code perSecond} records a second to {@code topic}. */
    static SteadyProducer start(String bootstrapServers, ClientSecurity security, String topic, int perSecond,
                                Deliveries deliveries) {
        SteadyProducer producer = new SteadyProducer(bootstrapServers, security, topic, perSecond, deliveries);
        producer.thread.start();
        return producer;
    }

    private void produce() {
        long next = System.nanoTime();
        for (long seq = 0; !stopping.get() && failure.get() == null; seq++) {
            String key = String.format("user-%03d", seq % KEYS);
            producer.send(topic, key, new Numbered(key, seq)).whenComplete((result, error) -> {
                if (error != null) {
                    failure.compareAndSet(null, error);
                } else {
                    deliveries.produced(result.partition(), result.offset());
                }
            });
            sent.incrementAndGet();
            next += pause.toNanos();
            long wait = next - System.nanoTime();
            if (wait > 0) {
                // The pace of the writer, not a wait for a condition: between records there is nothing to wait for.
                try {
                    TimeUnit.NANOSECONDS.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Why sending stopped on its own, if it did; null while it runs. */
    Throwable failure() {
        return failure.get();
    }

    /**
     * Stops writing, waits until every record sent was acknowledged (or failed), and closes the producer.
     *
     * @return how many records were sent
     * @throws IllegalStateException if a send failed: the end check would then be counting the wrong records
     */
    long stop() throws InterruptedException {
        close();
        if (failure.get() != null) {
            throw new IllegalStateException("a record could not be written", failure.get());
        }
        return sent.get();
    }

    /** Stops writing and closes the producer, which first sends what it buffered and runs its callbacks. */
    @Override
    public void close() {
        stopping.set(true);
        boolean interrupted = false;
        try {
            thread.join(CLOSE_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            interrupted = true;  // closed all the same below; the interrupt is kept for the caller
        }
        try {
            producer.close(CLOSE_TIMEOUT);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
