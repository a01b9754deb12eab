package dev.kafkaprimer.micrometer;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.producer.RecordMetadata;

import dev.kafkaprimer.core.producer.JsonProducer;
import dev.kafkaprimer.core.producer.SendListener;

/**
 * A {@code JsonProducer}'s sends as Micrometer meters: one timer {@value #SENDS} per topic and outcome
 * ({@code outcome=acknowledged} or {@code failed}), from the call to {@code send} to the broker's answer, with its
 * count and p50/p99. Register it with {@code ProducerOptions.Builder.listener(new SendMetrics(registry))}; add
 * the producer's own kafka-clients metrics ({@code kafka.producer.*}) with {@link #bindClientMetrics}.
 *
 * <p>Thread-safe (sends are reported on the producer's network thread); one instance may serve several
 * producers, whose sends are then counted together.
 */
public final class SendMetrics implements SendListener {

    /** Sends, timed from {@code send} to the broker's answer. */
    public static final String SENDS = "kafka.primer.sends";

    private final MeterRegistry registry;
    private final Tags extraTags;
    private final ConcurrentMap<String, Timer> acknowledged = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Timer> failed = new ConcurrentHashMap<>();

    /**
     * Send meters in {@code registry}.
     *
     * @param registry where the meters go; not null
     */
    public SendMetrics(MeterRegistry registry) {
        this(registry, Tags.empty());
    }

    /**
     * Send meters in {@code registry}, each with {@code extraTags} too.
     *
     * @param registry  where the meters go; not null
     * @param extraTags added to every meter; not null
     */
    public SendMetrics(MeterRegistry registry, Tags extraTags) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.extraTags = Objects.requireNonNull(extraTags, "extraTags");
    }

    /**
     * Puts {@code producer}'s own metrics (record send rate, request latency, buffer use...) in {@code registry},
     * through Micrometer's {@code KafkaClientMetrics}. Close what this returns when the producer closes; it
     * removes those meters and stops looking for new ones (it looks every minute, on a thread of its own).
     *
     * @param producer the producer; not null
     * @param registry where its metrics go; not null
     * @return the binding, to close
     */
    public static AutoCloseable bindClientMetrics(JsonProducer<?, ?> producer, MeterRegistry registry) {
        KafkaClientMetrics metrics = new KafkaClientMetrics(MetricsOnlyClients.producer(producer::metrics));
        metrics.bindTo(registry);
        return metrics;
    }

    @Override
    public void sendAcknowledged(RecordMetadata metadata, long latencyNanos) {
        timer(acknowledged, metadata.topic(), "acknowledged").record(latencyNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void sendFailed(String topic, Exception failure, long latencyNanos) {
        timer(failed, topic, "failed").record(latencyNanos, TimeUnit.NANOSECONDS);
    }

    private Timer timer(ConcurrentMap<String, Timer> timers, String topic, String outcome) {
        return timers.computeIfAbsent(topic, t -> Timer.builder(SENDS)
                .description("sends, from the call to send to the broker's answer")
                .publishPercentiles(0.5, 0.99).maximumExpectedValue(Duration.ofMinutes(2))
                .tags(MeterTags.topic(extraTags, t).and("outcome", outcome)).register(registry));
    }
}
