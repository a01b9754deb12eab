package dev.kafkaprimer.examples.wallet;

import java.io.PrintStream;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
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
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;

/**
 * The wallet's tracer: Micrometer's Observation API over Micrometer Tracing and the OpenTelemetry SDK, as an
 * application would wire it, with W3C trace context. Every event sent starts a trace; its context rides in the
 * record's {@code traceparent} header to the handler, whose database step and notifier call are its children, and
 * on in the HTTP call's own {@code traceparent} header to the notifier. Only the first {@value #SAMPLED_EVENTS}
 * events' traces are recorded (kept in memory, never exported): enough to show one end to end, at no cost to
 * the rest of the run, whose context is still propagated unsampled.
 *
 * <p>Thread-safe. Close it to stop the tracer.
 */
final class WalletTracing implements AutoCloseable {

    /** How many events' traces are recorded: the first sent. */
    static final int SAMPLED_EVENTS = 20;
    /** The names the wallet gives its observations inside the handler. */
    static final String DATABASE = "wallet.db.apply";
    static final String NOTIFY = "wallet.notify";

    private static final AttributeKey<String> PARTITION = AttributeKey.stringKey("messaging.destination.partition.id");
    private static final AttributeKey<String> OFFSET = AttributeKey.stringKey("messaging.kafka.offset");

    private final ObservationRegistry observations = ObservationRegistry.create();
    private final ArrayListSpanProcessor finished = new ArrayListSpanProcessor();
    private final SdkTracerProvider provider;

    WalletTracing() {
        provider = SdkTracerProvider.builder()
                .setSampler(Sampler.parentBased(new FirstTraces(SAMPLED_EVENTS)))
                .addSpanProcessor(finished)
                .build();
        io.opentelemetry.api.trace.Tracer otel = provider.get("kafka-primer-wallet");
        OtelTracer tracer = new OtelTracer(otel, new OtelCurrentTraceContext(), event -> { });
        OtelPropagator w3c = new OtelPropagator(
                ContextPropagators.create(W3CTraceContextPropagator.getInstance()), otel);
        // The first handler that supports an observation's context makes its span: a send writes the trace
        // context into its carrier, a receive reads its parent from one, anything else is a local child.
        observations.observationConfig().observationHandler(
                new ObservationHandler.FirstMatchingCompositeObservationHandler(
                        new PropagatingSenderTracingObservationHandler<>(tracer, w3c),
                        new PropagatingReceiverTracingObservationHandler<>(tracer, w3c),
                        new DefaultTracingObservationHandler(tracer)));
    }

    ObservationRegistry observations() {
        return observations;
    }

    /**
     * Prints one recorded event's trace whose every step ran in this JVM (sent, handled, applied, notified), with
     * each span's id and parent, and the {@code traceparent} the notifier received; or why there is none.
     */
    void printOneTrace(String topic, PaymentNotifier notifier, PrintStream out) {
        Map<String, List<SpanData>> traces = finished.spans().stream()
                .collect(Collectors.groupingBy(SpanData::getTraceId));
        Optional<EventTrace> complete = traces.values().stream()
                .map(spans -> EventTrace.of(topic, spans, notifier))
                .flatMap(Optional::stream)
                .min(Comparator.comparing(trace -> trace.send().getStartEpochNanos()));
        if (complete.isEmpty()) {
            out.println("   No complete trace among the first " + SAMPLED_EVENTS + " events: they were declined, or "
                    + "handled in a member JVM without this tracer.");
            return;
        }
        EventTrace trace = complete.get();
        SpanData send = trace.send();
        out.println("   One event's trace, end to end (its W3C traceparent rode in the record's headers, then in the"
                + " HTTP call):");
        out.println("     trace " + send.getTraceId() + ", event " + trace.eventId());
        out.println("     " + line("send", send) + "the producer, to partition " + send.getAttributes().get(PARTITION)
                + " offset " + send.getAttributes().get(OFFSET));
        out.println("     " + line("handle", trace.handle()) + "the consumer, child of the send span ("
                + trace.handle().getParentSpanId() + ")");
        out.println("     " + line("database", trace.database()) + "child of handle: the balance update");
        out.println("     " + line("notify", trace.notification()) + "child of handle; the notifier received traceparent "
                + trace.receivedTraceparent());
    }

    private static String line(String step, SpanData span) {
        return String.format("%-9s span %s  %5.1f ms  ", step, span.getSpanId(),
                (span.getEndEpochNanos() - span.getStartEpochNanos()) / 1e6);
    }

    @Override
    public void close() {
        provider.close();
    }

    /** One event's spans, each the child of the one before (the database step and the notifier call of the handler). */
    private record EventTrace(String eventId, SpanData send, SpanData handle, SpanData database, SpanData notification,
                              String receivedTraceparent) {

        static Optional<EventTrace> of(String topic, List<SpanData> spans, PaymentNotifier notifier) {
            Optional<SpanData> send = named(spans, topic + " send", null);
            // The last attempt: a retried handler call leaves an earlier span with an error.
            Optional<SpanData> handle = send.flatMap(s -> spans.stream()
                    .filter(h -> h.getName().equals(topic + " process") && h.getParentSpanId().equals(s.getSpanId()))
                    .max(Comparator.comparing(SpanData::getStartEpochNanos)));
            Optional<SpanData> database = handle.flatMap(h -> named(spans, DATABASE, h.getSpanId()));
            Optional<SpanData> notify = handle.flatMap(h -> named(spans, NOTIFY, h.getSpanId()));
            if (notify.isEmpty() || database.isEmpty()) {
                return Optional.empty();
            }
            return notifier.receivedTrace(notify.get().getTraceId()).map(received -> new EventTrace(received.eventId(),
                    send.get(), handle.get(), database.get(), notify.get(), received.traceparent()));
        }

        private static Optional<SpanData> named(List<SpanData> spans, String name, String parent) {
            return spans.stream().filter(s -> s.getName().equals(name))
                    .filter(s -> parent == null || s.getParentSpanId().equals(parent))
                    .max(Comparator.comparing(SpanData::getStartEpochNanos));
        }
    }

    /** Records the first {@code count} traces started, and no more: each event sent starts one. */
    private static final class FirstTraces implements Sampler {
        private final AtomicInteger left;
        private final int count;

        FirstTraces(int count) {
            this.count = count;
            this.left = new AtomicInteger(count);
        }

        @Override
        public SamplingResult shouldSample(Context parentContext, String traceId, String name, SpanKind spanKind,
                                           Attributes attributes, List<LinkData> parentLinks) {
            return left.get() > 0 && left.getAndDecrement() > 0 ? SamplingResult.recordAndSample() : SamplingResult.drop();
        }

        @Override
        public String getDescription() {
            return "FirstTraces{" + count + "}";
        }
    }
}
