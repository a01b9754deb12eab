package dev.kafkaprimer.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.GroupProtocol;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.kafkaprimer.core.admin.TopicAdmin;
import dev.kafkaprimer.core.consumer.CommitLoop;
import dev.kafkaprimer.core.consumer.ConsumerOptions;
import dev.kafkaprimer.core.consumer.RetryPolicy;
import dev.kafkaprimer.core.producer.JsonProducer;
import dev.kafkaprimer.core.producer.ProducerOptions;
import dev.kafkaprimer.testkit.Await;
import dev.kafkaprimer.testkit.KafkaCluster;
import dev.kafkaprimer.testkit.TestTopics;
import dev.kafkaprimer.testkit.WithKafkaCluster;

/**
 * The meters on a real broker: a run with successes, a retry, a poison pill and a record the handler refuses has
 * exactly those counts per partition, lag gauges that reach 0 and leave with the loop, and the consumer's own
 * kafka-clients metrics in the same registry; a producer's sends are timed per outcome.
 */
@WithKafkaCluster
class LoopMetricsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final KafkaCluster kafka;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private String topic;

    LoopMetricsTest(KafkaCluster kafka) {
        this.kafka = kafka;
    }

    @BeforeEach
    void topics(TestTopics topics) throws Exception {
        topic = topics.next();
        try (TopicAdmin admin = TopicAdmin.connect(kafka.bootstrapServers(), TIMEOUT)) {
            admin.createTopic(topic, 2);
            admin.createTopic(topic + ".DLT", 1);
        }
    }

    @Test
    void shouldCountWhatTheRunDidPerPartitionAndShowTheLagUntilTheLoopStops() throws Exception {
        // p0: 1, 7 (fails once, then passes), 2; p1: a poison pill, 99 (refused: dead-lettered at once), 3
        send(0, "1", "7", "2");
        send(1, "not json", "99", "3");
        AtomicInteger sevens = new AtomicInteger();
        ConsumerOptions options = ConsumerOptions.builder(kafka.bootstrapServers(), topic + "-g", List.of(topic))
                .groupProtocol(GroupProtocol.CLASSIC)
                .pollTimeout(Duration.ofMillis(100))
                .retry(RetryPolicy.builder().initialDelay(Duration.ofMillis(50)).build())
                .listener(new LoopMetrics(registry))
                .build();
        CommitLoop<String, Integer> loop = CommitLoop.forJson(options, Integer.class, record -> {
            if (record.value() == 7 && sevens.incrementAndGet() == 1) {
                throw new IllegalStateException("briefly down");
            }
            if (record.value() == 99) {
                throw new IllegalArgumentException("99 is not an amount");
            }
        });
        CompletableFuture<Void> running = CompletableFuture.runAsync(loop);
        try {
            Await.until(TIMEOUT, "4 handled, 2 dead letters and lag 0 on both partitions", () ->
                    count(LoopMetrics.RECORDS_HANDLED) == 4 && count(LoopMetrics.DEAD_LETTERS) == 2
                            && lag("0") != null && lag("0") == 0 && lag("1") != null && lag("1") == 0);

            assertEquals(3, counter(LoopMetrics.RECORDS_HANDLED, "0").count());
            assertEquals(1, counter(LoopMetrics.RECORDS_HANDLED, "1").count());
            assertEquals(1, counter(LoopMetrics.RETRIES, "0").count());
            assertEquals(0, counter(LoopMetrics.RETRIES, "1").count());
            assertEquals(2, counter(LoopMetrics.DEAD_LETTERS, "1").count());
            Timer handler = registry.get(LoopMetrics.HANDLER).tag("topic", topic).timer();
            assertEquals(4, handler.count());
            Await.until(TIMEOUT, "a commit counted and timed", () -> registry.get(LoopMetrics.COMMIT).timer().count() > 0);
            assertTrue(registry.get(LoopMetrics.COMMITS).counter().count() > 0);
            assertEquals(1, registry.get(LoopMetrics.REBALANCES).tag("change", "assigned").counter().count());
            // The consumer's own metrics, under the same client.id as ours
            String clientId = handler.getId().getTag("client.id");
            assertTrue(clientId.startsWith("consumer-" + topic + "-g-"), clientId);
            Meter consumed = registry.get("kafka.consumer.fetch.manager.records.consumed.total")
                    .tag("client.id", clientId).meter();
            assertNotNull(consumed);
        } finally {
            loop.close();
            running.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
        // Stopped: the lag and the client's metrics are gone, the totals stay for the last scrape
        assertNull(lag("0"));
        assertTrue(registry.find("kafka.consumer.fetch.manager.records.consumed.total").meters().isEmpty());
        assertEquals(4, count(LoopMetrics.RECORDS_HANDLED));
        assertTrue(registry.get(LoopMetrics.REBALANCES).tag("change", "revoked").counter().count() >= 1);
    }

    @Test
    void shouldTimeSendsPerOutcomeAndBindTheProducersOwnMetrics() throws Exception {
        ProducerOptions options = ProducerOptions.builder(kafka.bootstrapServers())
                .listener(new SendMetrics(registry)).build();
        try (JsonProducer<String, Object> producer = JsonProducer.create(options);
             AutoCloseable clientMetrics = SendMetrics.bindClientMetrics(producer, registry)) {
            for (int i = 0; i < 3; i++) {
                producer.send(topic, "k", i).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
            // A value Jackson cannot write fails before it reaches Kafka: a failed send, timed too
            CompletableFuture<?> failed = producer.send(topic, "k", new Unwritable());
            assertTrue(failed.isCompletedExceptionally());
            assertEquals(3, registry.get(SendMetrics.SENDS).tag("topic", topic).tag("outcome", "acknowledged")
                    .timer().count());
            assertEquals(1, registry.get(SendMetrics.SENDS).tag("topic", topic).tag("outcome", "failed")
                    .timer().count());
            assertTrue(registry.get("kafka.producer.record.send.total").functionCounter().count() >= 3);
        }
    }

    /** A value whose getter throws: Jackson cannot write it. */
    public static final class Unwritable {
        public String getAmount() {
            throw new IllegalStateException("no amount");
        }
    }

    private void send(int partition, String... values) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", kafka.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
            for (String value : values) {
                producer.send(new ProducerRecord<>(topic, partition, "key", value)).get(TIMEOUT.toSeconds(),
                        TimeUnit.SECONDS);
            }
        }
    }

    private double count(String name) {
        return registry.find(name).tag("topic", topic).counters().stream().mapToDouble(Counter::count).sum();
    }

    private Counter counter(String name, String partition) {
        return registry.get(name).tag("topic", topic).tag("partition", partition).counter();
    }

    private Double lag(String partition) {
        Gauge gauge = registry.find(LoopMetrics.LAG).tag("topic", topic).tag("partition", partition).gauge();
        return gauge == null ? null : gauge.value();
    }
}
