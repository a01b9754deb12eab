package dev.kafkaprimer.core.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.GroupProtocol;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import dev.kafkaprimer.core.producer.JsonProducer;
import dev.kafkaprimer.core.producer.ProducerOptions;
import dev.kafkaprimer.core.producer.SendInterceptor;
import dev.kafkaprimer.testkit.Await;
import dev.kafkaprimer.testkit.TestTopics;

/**
 * Interceptors on a real broker: handler interceptors run around the handler on its own thread, the first added
 * outermost, and the handler's failure reaches the loop through them (retried, then committed); send
 * interceptors add headers that arrive, and one that throws does not stop the send; a batch loop refuses them.
 */
@QuickGroupsCluster
class HandlerInterceptorTest extends BrokerClientsPerTest {

    @Test
    void shouldRunAroundTheHandlerOnItsThreadFirstAddedOutermostAndPassTheFailureToTheLoop(TestTopics topics)
            throws Exception {
        // Given: one record, a handler that fails its first attempt, and two interceptors noting what they see
        String topic = topics.next();
        clients.createTopic(topic, 1);
        clients.createTopic(topic + ".DLT", 1);
        clients.send(topic, 0, "k", "\"pay\"");
        List<String> calls = new CopyOnWriteArrayList<>();
        ThreadLocal<String> context = new ThreadLocal<>();
        ConsumerOptions options = TestOptions.quick(kafka.bootstrapServers(), topic + "-g", topic,
                        GroupProtocol.CLASSIC)
                .retry(RetryPolicy.builder().initialDelay(Duration.ofMillis(20)).build())
                .interceptor((record, handler) -> {
                    calls.add("outer before @" + record.offset());
                    context.set("set by outer");
                    try {
                        handler.proceed();
                        calls.add("outer after");
                    } catch (Exception e) {
                        calls.add("outer saw " + e.getMessage());
                        throw e;
                    } finally {
                        context.remove();
                    }
                })
                .interceptor((record, handler) -> {
                    calls.add("inner before");
                    handler.proceed();
                })
                .build();
        int[] attempts = {0};
        CommitLoop<String, String> loop = CommitLoop.forJson(options, String.class, record -> {
            calls.add("handler sees " + context.get());
            if (++attempts[0] == 1) {
                throw new IllegalStateException("briefly down");
            }
        });

        // When
        try (LoopThread running = LoopThread.start(loop, "intercepted")) {
            Await.until(BrokerClients.TIMEOUT, "offset 1 committed",
                    () -> Long.valueOf(1).equals(clients.committed(topic + "-g").get(new TopicPartition(topic, 0))));
        }

        // Then: the failure went through both, the loop retried, and the success was committed
        assertEquals(List.of("outer before @0", "inner before", "handler sees set by outer", "outer saw briefly down",
                "outer before @0", "inner before", "handler sees set by outer", "outer after"), calls);
    }

    @Test
    void shouldSendTheHeadersAnInterceptorAddsAndSendAllTheSameWhenOneThrows(TestTopics topics) throws Exception {
        // Given: an interceptor that throws, then one that adds a header and wants to hear the outcome
        String topic = topics.next();
        clients.createTopic(topic, 1);
        List<String> outcomes = new CopyOnWriteArrayList<>();
        SendInterceptor broken = (t, headers) -> {
            throw new IllegalStateException("interceptor bug");
        };
        SendInterceptor correlating = (t, headers) -> {
            headers.add("correlation-id", "c-42".getBytes(StandardCharsets.UTF_8));
            return (metadata, failure) -> outcomes.add(failure == null ? "stored at " + metadata.offset() : "failed");
        };
        ProducerOptions options = ProducerOptions.builder(kafka.bootstrapServers())
                .interceptor(broken).interceptor(correlating).build();

        // When
        try (JsonProducer<String, String> producer = JsonProducer.create(options)) {
            producer.send(topic, "k", "v").get(BrokerClients.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }

        // Then: stored, with the header, and the completion told before the future completed
        ConsumerRecord<byte[], byte[]> stored = clients.read(topic, 1).get(0);
        assertEquals("c-42", BrokerClients.text(stored.headers().lastHeader("correlation-id").value()));
        assertEquals(List.of("stored at 0"), outcomes);
    }

    @Test
    void shouldRefuseInterceptorsForABatchHandler() {
        ConsumerOptions options = ConsumerOptions.builder("localhost:9092", "g", List.of("t"))
                .interceptor((record, handler) -> handler.proceed()).build();

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> CommitLoop.forJsonBatches(options, String.class, batch -> { }));

        assertTrue(refused.getMessage().contains("1 interceptor(s)"), refused.getMessage());
    }
}
