package dev.kafkaprimer.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import dev.kafkaprimer.core.admin.TopicAdmin;
import dev.kafkaprimer.core.consumer.CommitLoop;
import dev.kafkaprimer.core.consumer.ConsumerOptions;
import dev.kafkaprimer.core.producer.JsonProducer;
import dev.kafkaprimer.core.producer.ProducerOptions;
import dev.kafkaprimer.testkit.Await;
import dev.kafkaprimer.testkit.KafkaCluster;
import dev.kafkaprimer.testkit.TestTopics;
import dev.kafkaprimer.testkit.WithKafkaCluster;

/**
 * The README's Micrometer snippets (the marked regions; core's ReadmeProgramsTest checks that both READMEs
 * show them exactly), compiled and run on a real broker: the meters count what was sent and handled, and the
 * handler runs in the trace the record carried.
 */
@WithKafkaCluster
class ReadmeSnippetsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void shouldCountWhatTheMetricsSnippetsOptionsSendAndHandle(KafkaCluster kafka, TestTopics topics)
            throws Exception {
        String bootstrapServers = kafka.bootstrapServers();
        String orders = created(kafka, topics.next());

        // README:metrics-start
        MeterRegistry registry = new SimpleMeterRegistry();   // or Prometheus', OTLP's, ...
        ProducerOptions producing = ProducerOptions.builder(bootstrapServers)
                .listener(new SendMetrics(registry))
                .build();
        ConsumerOptions consuming = ConsumerOptions.builder(bootstrapServers, "billing", List.of(orders))
                .listener(new LoopMetrics(registry))
                .build();
        // README:metrics-end

        sendThree(producing, orders);
        runUntil(consuming, () -> registry.find(LoopMetrics.RECORDS_HANDLED).counters().stream()
                .mapToDouble(c -> c.count()).sum() == 3);
        assertEquals(3, registry.get(SendMetrics.SENDS).timer().count());
    }

    @Test
    void shouldRunTheHandlerInTheTraceOfTheTracingSnippetsSend(KafkaCluster kafka, TestTopics topics)
            throws Exception {
        String bootstrapServers = kafka.bootstrapServers();
        String orders = created(kafka, topics.next());
        try (TestTracer tracing = new TestTracer()) {
            ObservationRegistry observationRegistry = tracing.observations;

            // README:tracing-start
            ProducerOptions producing = ProducerOptions.builder(bootstrapServers)
                    .interceptor(new ObservedSends(observationRegistry))   // writes the traceparent header
                    .build();
            ConsumerOptions consuming = ConsumerOptions.builder(bootstrapServers, "billing", List.of(orders))
                    .interceptor(new ObservedHandlers(observationRegistry))   // makes it the handler's parent
                    .build();
            // README:tracing-end

            sendThree(producing, orders);
            AtomicReference<String> parentSeen = new AtomicReference<>();
            AtomicReference<String> headerSeen = new AtomicReference<>();
            CommitLoop<String, Integer> loop = CommitLoop.forJson(consuming, Integer.class, record -> {
                headerSeen.set(new String(record.headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8));
                parentSeen.set(tracing.tracer.currentSpan().context().parentId());
            });
            run(loop, () -> parentSeen.get() != null);
            assertEquals(headerSeen.get().substring(36, 52), parentSeen.get(), "the span id in the traceparent");
        }
    }

    private static String created(KafkaCluster kafka, String topic) throws Exception {
        try (TopicAdmin admin = TopicAdmin.connect(kafka.bootstrapServers(), TIMEOUT)) {
            admin.createTopic(topic, 1);
            admin.createTopic(topic + ".DLT", 1);
        }
        return topic;
    }

    private static void sendThree(ProducerOptions options, String topic) throws Exception {
        try (JsonProducer<String, Integer> producer = JsonProducer.create(options)) {
            for (int i = 1; i <= 3; i++) {
                producer.send(topic, "order-" + i, i).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        }
    }

    private static void runUntil(ConsumerOptions options, java.util.function.BooleanSupplier done) throws Exception {
        run(CommitLoop.forJson(options, Integer.class, record -> { }), done);
    }

    private static void run(CommitLoop<String, Integer> loop, java.util.function.BooleanSupplier done)
            throws Exception {
        CompletableFuture<Void> running = CompletableFuture.runAsync(loop);
        try {
            Await.until(TIMEOUT, "the records handled", done::getAsBoolean);
        } finally {
            loop.close();
            running.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
    }
}
