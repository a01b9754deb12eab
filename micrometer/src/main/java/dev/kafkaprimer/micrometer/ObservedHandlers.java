package dev.kafkaprimer.micrometer;

import java.util.Objects;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.kafkaprimer.core.consumer.ConsumerOptions;
import dev.kafkaprimer.core.consumer.HandlerInterceptor;

/**
 * Each call of a {@code CommitLoop}'s record handler as a Micrometer {@link Observation} named
 * {@value #OBSERVATION}, whose parent is the trace context the record carries in its headers (W3C
 * {@code traceparent}, written by {@link ObservedSends} or by any traced producer). The observation is current on
 * the handler's thread while it runs, so what the handler observes (a database call, an HTTP call) joins the same
 * trace: producer, Kafka, handler, database.
 *
 * <pre>{@code
 * ConsumerOptions options = ConsumerOptions.builder(servers, "billing", List.of("orders"))
 *         .interceptor(new ObservedHandlers(observationRegistry))
 *         .build();
 * }</pre>
 *
 * <p><b>What the observation holds.</b> Contextual name {@code "<topic> process"}, kind CONSUMER, key-values
 * {@code messaging.system=kafka}, {@code messaging.destination.name}, and the record's partition and offset
 * (high cardinality). A handler that throws is the observation's error, and the exception goes on to the loop
 * unchanged, which retries or dead-letters the record as before: each attempt is an observation of its own, with
 * the same parent. A record without trace context starts a new trace.
 *
 * <p>Thread-safe and stateless: it runs on the loop thread or on workers. Batch handlers are not intercepted (a
 * batch holds many records, each with its own parent).
 */
public final class ObservedHandlers implements HandlerInterceptor {

    /** The observation's name. */
    public static final String OBSERVATION = "kafka.primer.handle";

    private final ObservationRegistry registry;

    /**
     * Observes handler calls in {@code registry}; register with {@link ConsumerOptions.Builder#interceptor}.
     *
     * @param registry the observation registry, with a tracing handler for the parent to be read; not null
     */
    public ObservedHandlers(ObservationRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public void around(ConsumerRecord<?, ?> record, Invocation handler) throws Exception {
        if (registry.isNoop()) {
            handler.proceed();
            return;
        }
        ReceiverContext<ConsumerRecord<?, ?>> context = new ReceiverContext<>(
                (carrier, key) -> MessagingKeys.last(carrier.headers(), key), Kind.CONSUMER);
        context.setCarrier(record);
        context.setRemoteServiceName("kafka");
        Observation observation = MessagingKeys.lowCardinality(
                Observation.createNotStarted(OBSERVATION, () -> context, registry), record.topic())
                .contextualName(record.topic() + " process");
        MessagingKeys.where(observation, record.partition(), record.offset());
        // Started, made current for the handler's thread, stopped (with the error, if any) when it returns.
        observation.observeChecked(handler::proceed);
    }

    @Override
    public String toString() {
        return "ObservedHandlers";
    }
}
