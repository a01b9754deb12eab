package dev.kafkaprimer.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.observation.Observation;
import io.micrometer.tracing.TraceContext;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.GroupProtocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.kafkaprimer.core.admin.TopicAdmin;
import dev.kafkaprimer.core.consumer.CommitLoop;
import dev.kafkaprimer.core.consumer.ConsumerOptions;
import dev.kafkaprimer.core.consumer.Ordering;
import dev.kafkaprimer.core.consumer.RetryPolicy;
import dev.kafkaprimer.core.producer.JsonProducer;
import dev.kafkaprimer.core.producer.ProducerOptions;
import dev.kafkaprimer.core.producer.SendResult;
import dev.kafkaprimer.testkit.Await;
import dev.kafkaprimer.testkit.KafkaCluster;
import dev.kafkaprimer.testkit.TestTopics;
import dev.kafkaprimer.testkit.WithKafkaCluster;

/**
 * Trace context across Kafka on a real broker, with a real tracer (OpenTelemetry's SDK through Micrometer
 * Tracing): the {@code traceparent} a send writes is the parent of the handler's span, on worker threads too; a
 * given {@code traceparent} is sent as given and continued; each attempt of a retried record is a span with the
 * same parent, the failed one marked as an error.
 */
@WithKafkaCluster
class TraceContextTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}");

    private final KafkaCluster kafka;
    private final TestTracer tracing = new TestTracer();
    /** What each handler call saw, by the record's value: the header it carried and the span it ran in. */
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();
    private String topic;

    TraceContextTest(KafkaCluster kafka) {
        this.kafka = kafka;
    }

    record Seen(String traceparent, TraceContext span) {
    }

    @BeforeEach
    void topics(TestTopics topics) throws Exception {
        topic = topics.next();
        try (TopicAdmin admin = TopicAdmin.connect(kafka.bootstrapServers(), TIMEOUT)) {
            admin.createTopic(topic, 3);
            admin.createTopic(topic + ".DLT", 1);
        }
    }

    @AfterEach
    void closeTracer() {
        tracing.close();
    }

    @Test
    void shouldMakeTheSentTraceparentTheParentOfTheHandlersSpanOnWorkers() throws Exception {
        // Given: a checkout observation open on this thread while six records are sent
        Observation checkout = Observation.createNotStarted("checkout", tracing.observations).start();
        List<SendResult> sent;
        try (Observation.Scope scope = checkout.openScope();
             JsonProducer<String, String> producer = JsonProducer.create(ProducerOptions
                     .builder(kafka.bootstrapServers()).interceptor(new ObservedSends(tracing.observations)).build())) {
            List<CompletableFuture<SendResult>> sends = List.of("a", "b", "c", "d", "e", "f").stream()
                    .map(value -> producer.send(topic, "user-" + value, value)).toList();
            sent = sends.stream().map(CompletableFuture::join).toList();
        } finally {
            checkout.stop();
        }
        String checkoutTrace = tracing.spans("checkout").get(0).getTraceId();

        // When: a loop with four workers handles them
        runUntilSeen(6, loopOptions().ordering(Ordering.KEY).concurrency(4), record -> { });

        // Then: each handler span is the child of its record's send span, in the checkout's trace
        List<SpanData> sendSpans = tracing.spans(topic + " send");
        assertEquals(6, sendSpans.size(), sendSpans::toString);
        for (Seen call : seen.values()) {
            Matcher header = TRACEPARENT.matcher(call.traceparent());
            assertTrue(header.matches(), call.traceparent());
            assertEquals(checkoutTrace, header.group(1), "the header carries the checkout's trace id");
            assertEquals(checkoutTrace, call.span().traceId(), "the handler's span is in the same trace");
            assertEquals(header.group(2), call.span().parentId(), "the handler's parent is the span in the header");
            SpanData sendSpan = sendSpans.stream().filter(s -> s.getSpanId().equals(header.group(2))).findFirst()
                    .orElseThrow(() -> new AssertionError("no send span " + header.group(2)));
            assertEquals(tracing.spans("checkout").get(0).getSpanId(), sendSpan.getParentSpanId());
            assertEquals(SpanKind.PRODUCER, sendSpan.getKind());
        }
        SendResult first = sent.get(0);
        SpanData firstSend = sendSpans.stream().filter(s -> String.valueOf(first.offset()).equals(
                        s.getAttributes().get(AttributeKey.stringKey("messaging.kafka.offset")))
                        && String.valueOf(first.partition()).equals(
                        s.getAttributes().get(AttributeKey.stringKey("messaging.destination.partition.id"))))
                .findFirst().orElseThrow(() -> new AssertionError("no send span at " + first + ": " + sendSpans));
        assertEquals(topic, firstSend.getAttributes().get(AttributeKey.stringKey("messaging.destination.name")));
        Await.until(TIMEOUT, "six handler spans, of kind CONSUMER",
                () -> tracing.spans(topic + " process").size() == 6);
        assertTrue(tracing.spans(topic + " process").stream().allMatch(s -> s.getKind() == SpanKind.CONSUMER));
    }

    @Test
    void shouldSendAGivenTraceparentAsGivenAndContinueItsTrace() throws Exception {
        // Given: a traceparent chosen by the caller
        String given = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        try (JsonProducer<String, String> producer = JsonProducer.create(ProducerOptions
                .builder(kafka.bootstrapServers()).interceptor(new ObservedSends(tracing.observations)).build())) {
            producer.send(topic, "k", "given", Map.of(ObservedSends.TRACEPARENT, given))
                    .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }

        // When
        runUntilSeen(1, loopOptions(), record -> { });

        // Then: sent unchanged, no send span of ours, and the handler continues that trace
        Seen call = seen.get("given");
        assertEquals(given, call.traceparent());
        assertTrue(tracing.spans(topic + " send").isEmpty());
        assertEquals("0af7651916cd43dd8448eb211c80319c", call.span().traceId());
        assertEquals("b7ad6b7169203331", call.span().parentId());
    }

    @Test
    void shouldMakeEachAttemptASpanWithTheSameParentAndLetTheFailureReachTheLoop() throws Exception {
        // Given: a traced record whose first attempt fails
        try (JsonProducer<String, String> producer = JsonProducer.create(ProducerOptions
                .builder(kafka.bootstrapServers()).interceptor(new ObservedSends(tracing.observations)).build())) {
            producer.send(topic, "k", "flaky").get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
        AtomicInteger attempts = new AtomicInteger();

        // When: the handler throws once, then succeeds
        runUntilSeen(1, loopOptions().retry(RetryPolicy.builder().initialDelay(Duration.ofMillis(20)).build()),
                record -> {
                    if (attempts.incrementAndGet() == 1) {
                        throw new IllegalStateException("briefly down");
                    }
                });

        // Then: the loop retried it (so it saw the failure), and both attempts are spans under the send
        assertEquals(2, attempts.get());
        SpanData send = tracing.spans(topic + " send").get(0);
        Await.until(TIMEOUT, "two handler spans", () -> tracing.spans(topic + " process").size() == 2);
        List<SpanData> handled = tracing.spans(topic + " process");
        assertTrue(handled.stream().allMatch(s -> s.getParentSpanId().equals(send.getSpanId())), handled::toString);
        assertEquals(StatusCode.ERROR, handled.get(0).getStatus().getStatusCode());
        assertEquals(StatusCode.UNSET, handled.get(1).getStatus().getStatusCode());
    }

    private ConsumerOptions.Builder loopOptions() {
        return ConsumerOptions.builder(kafka.bootstrapServers(), topic + "-g", List.of(topic))
                .groupProtocol(GroupProtocol.CLASSIC)
                .pollTimeout(Duration.ofMillis(100))
                .interceptor(new ObservedHandlers(tracing.observations));
    }

    /** Runs a loop whose handler notes what it saw, then calls {@code work}, until {@code count} records passed. */
    private void runUntilSeen(int count, ConsumerOptions.Builder options, Work work) throws Exception {
        CommitLoop<String, String> loop = CommitLoop.forJson(options.build(), String.class, record -> {
            work.run(record);
            seen.put(record.value(), new Seen(header(record), tracing.tracer.currentSpan().context()));
        });
        CompletableFuture<Void> running = CompletableFuture.runAsync(loop);
        try {
            Await.until(TIMEOUT, count + " records handled", () -> seen.size() == count);
        } finally {
            loop.close();
            running.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    private static String header(ConsumerRecord<String, String> record) {
        return new String(record.headers().lastHeader(ObservedSends.TRACEPARENT).value(), StandardCharsets.UTF_8);
    }

    @FunctionalInterface
    interface Work {
        void run(ConsumerRecord<String, String> record) throws Exception;
    }
}
