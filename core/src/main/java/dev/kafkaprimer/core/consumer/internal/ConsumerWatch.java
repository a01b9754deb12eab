package dev.kafkaprimer.core.consumer.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;

import dev.kafkaprimer.core.consumer.LoopClient;

/**
 * What the listeners learn of the consumer itself: its ids and metrics when the loop starts, and its lag after
 * polls. Nothing is read when no listener is registered. Loop thread only, like the consumer.
 */
final class ConsumerWatch {

    /** Lag at most twice a second: enough for a dashboard or a live view, and nearly free for the loop. */
    private static final long LAG_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final Consumer<?, ?> consumer;
    private final LoopEvents events;
    private long nextLagAt = System.nanoTime();

    ConsumerWatch(Consumer<?, ?> consumer, LoopEvents events) {
        this.consumer = consumer;
        this.events = events;
    }

    /** Before the first poll. */
    void started(String groupId) {
        if (events.active()) {
            events.started(new LoopClient(groupId, clientId(consumer.metrics()), consumer::metrics));
        }
    }

    /** After a poll: the lag the consumer knows from its fetches (no request to the broker), when due. */
    void polled() {
        if (!events.active()) {
            return;
        }
        long now = System.nanoTime();
        if (now - nextLagAt < 0) {
            return;
        }
        Map<TopicPartition, Long> lag = new HashMap<>();
        for (TopicPartition partition : consumer.assignment()) {
            OptionalLong behind = consumer.currentLag(partition);
            if (behind.isPresent()) {
                lag.put(partition, behind.getAsLong());
            }
        }
        if (!lag.isEmpty()) {
            // The clock starts at the first report, so the first lag the consumer knows is told at once.
            nextLagAt = now + LAG_PERIOD_NANOS;
            events.lagMeasured(lag);
        }
    }

    /** kafka-clients tags every metric of a client with its id, the generated one too ({@code consumer-g-1}). */
    private static String clientId(Map<MetricName, ? extends Metric> metrics) {
        for (MetricName name : metrics.keySet()) {
            String id = name.tags().get("client-id");
            if (id != null) {
                return id;
            }
        }
        return "";
    }
}
