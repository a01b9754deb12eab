package dev.kafkaprimer.micrometer;

import java.util.Objects;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.SenderContext;
import org.apache.kafka.common.header.Headers;

import dev.kafkaprimer.core.producer.ProducerOptions;
import dev.kafkaprimer.core.producer.SendInterceptor;

/**
 * Each send of a {@code JsonProducer} as a Micrometer {@link Observation} named {@value #OBSERVATION}, a child of
 * the sending thread's current observation, whose trace context goes into the record's headers. With a tracer
 * bridged to the registry (Micrometer Tracing over OpenTelemetry or Brave, which is the application's choice), the
 * header is W3C's {@code traceparent}, and {@link ObservedHandlers} on the consuming side makes it the parent of
 * the handler's span: one trace from the code that sent to the code that handled.
 *
 * <pre>{@code
 * ProducerOptions options = ProducerOptions.builder(servers)
 *         .interceptor(new ObservedSends(observationRegistry))
 *         .build();
 * }</pre>
 *
 * <p><b>A given trace context.</b> A record sent with a {@value #TRACEPARENT} header of its own (in
 * {@code send}'s header map) keeps it as given, and is not observed here: whoever wrote that header chose the
 * parent.
 *
 * <p><b>What the observation holds.</b> Contextual name {@code "<topic> send"}, kind PRODUCER, key-values
 * {@code messaging.system=kafka} and {@code messaging.destination.name} (low cardinality), then the partition and
 * offset once the broker answered; a failed send is the observation's error. It starts on the sending thread and
 * stops on the producer's network thread.
 *
 * <p>Thread-safe and stateless; one instance may serve any number of producers. With an
 * {@code ObservationRegistry} that has no handler, nothing is written and nearly nothing is done.
 */
public final class ObservedSends implements SendInterceptor {

    /** The observation's name. */
    public static final String OBSERVATION = "kafka.primer.send";
    /** W3C's trace context header, written by a tracer's propagator. */
    public static final String TRACEPARENT = "traceparent";

    private final ObservationRegistry registry;

    /**
     * Observes sends in {@code registry}; register with {@link ProducerOptions.Builder#interceptor}.
     *
     * @param registry the observation registry, with a tracing handler for trace context to be sent; not null
     */
    public ObservedSends(ObservationRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public Completion beforeSend(String topic, Headers headers) {
        if (registry.isNoop() || headers.lastHeader(TRACEPARENT) != null) {
            return null;
        }
        SenderContext<Headers> context = new SenderContext<>(MessagingKeys::put, Kind.PRODUCER);
        context.setCarrier(headers);
        context.setRemoteServiceName("kafka");
        // start() takes the thread's current observation as the parent; the tracing handler writes the headers.
        Observation observation = MessagingKeys.lowCardinality(
                Observation.createNotStarted(OBSERVATION, () -> context, registry), topic)
                .contextualName(topic + " send")
                .start();
        return (metadata, failure) -> {
            if (failure != null) {
                observation.error(failure);
            } else {
                MessagingKeys.where(observation, metadata.partition(), metadata.offset());
            }
            observation.stop();
        };
    }

    @Override
    public String toString() {
        return "ObservedSends";
    }
}
