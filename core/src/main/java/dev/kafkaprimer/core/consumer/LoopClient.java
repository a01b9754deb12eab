package dev.kafkaprimer.core.consumer;

import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * What a {@link LoopListener} may know of the consumer inside a {@link CommitLoop}: who it is, and its own
 * metrics. The consumer itself stays hidden, because it is not thread-safe and belongs to the loop thread; its
 * metrics are safe to read from any thread (kafka-clients keeps them in a concurrent map), so a metrics library
 * can sample them on its own schedule. Handed to {@link LoopListener#started(LoopClient)}. Immutable.
 */
public final class LoopClient {

    private final String groupId;
    private final String clientId;
    private final Supplier<Map<MetricName, ? extends Metric>> metrics;

    /**
     * Made by the loop; public so that a listener can be tested without one.
     *
     * @param groupId  the consumer group
     * @param clientId the consumer's {@code client.id}: the one configured, or the one kafka-clients chose
     * @param metrics  reads the consumer's current metrics; must be safe to call from any thread
     */
    public LoopClient(String groupId, String clientId, Supplier<Map<MetricName, ? extends Metric>> metrics) {
        this.groupId = Objects.requireNonNull(groupId, "groupId");
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /** {@return the consumer group the loop belongs to} */
    public String groupId() {
        return groupId;
    }

    /** {@return the consumer's {@code client.id}, as its own metrics are tagged ({@code consumer-GROUP-1}, ...)} */
    public String clientId() {
        return clientId;
    }

    /**
     * The consumer's own metrics as kafka-clients keeps them (fetch rates, records lag, coordinator times...),
     * read now. Any thread; the map is a read-only view and may gain entries later (per partition, when
     * partitions are assigned), so read it again rather than keeping it.
     *
     * @return the metrics by name
     */
    public Map<MetricName, ? extends Metric> metrics() {
        return metrics.get();
    }

    @Override
    public String toString() {
        return "LoopClient[group=" + groupId + ", client.id=" + clientId + "]";
    }
}
