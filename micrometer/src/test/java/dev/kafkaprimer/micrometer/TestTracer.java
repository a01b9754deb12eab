package dev.kafkaprimer.micrometer;

import java.util.List;
import java.util.stream.Collectors;

import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.ArrayListSpanProcessor;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;

/**
 * A real tracer for the tests, wired the way an application wires one: the OpenTelemetry SDK, bridged to
 * Micrometer Tracing, W3C trace context, and the three tracing handlers on an {@link ObservationRegistry}.
 * Finished spans are kept in memory.
 */
final class TestTracer implements AutoCloseable {

    final ObservationRegistry observations = ObservationRegistry.create();
    final OtelTracer tracer;
    private final ArrayListSpanProcessor finished = new ArrayListSpanProcessor();
    private final SdkTracerProvider provider;

    TestTracer() {
        provider = SdkTracerProvider.builder().addSpanProcessor(finished).build();
        io.opentelemetry.api.trace.Tracer otel = provider.get("kafka-primer-test");
        tracer = new OtelTracer(otel, new OtelCurrentTraceContext(), event -> { });
        OtelPropagator w3c = new OtelPropagator(
                ContextPropagators.create(W3CTraceContextPropagator.getInstance()), otel);
        observations.observationConfig().observationHandler(
                new ObservationHandler.FirstMatchingCompositeObservationHandler(
                        new PropagatingSenderTracingObservationHandler<>(tracer, w3c),
                        new PropagatingReceiverTracingObservationHandler<>(tracer, w3c),
                        new DefaultTracingObservationHandler(tracer)));
    }

    /** The finished spans named {@code name}, oldest first. */
    List<SpanData> spans(String name) {
        return finished.spans().stream().filter(span -> span.getName().equals(name)).collect(Collectors.toList());
    }

    @Override
    public void close() {
        provider.close();
    }
}
