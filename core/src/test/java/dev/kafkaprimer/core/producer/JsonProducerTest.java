package dev.kafkaprimer.core.producer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import dev.kafkaprimer.core.RawTopicReader;
import dev.kafkaprimer.core.admin.TopicAdmin;
import dev.kafkaprimer.core.json.Json;
import dev.kafkaprimer.core.json.JsonDeserializer;
import dev.kafkaprimer.testkit.KafkaCluster;
import dev.kafkaprimer.testkit.TestTopics;
import dev.kafkaprimer.testkit.WithKafkaCluster;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

@WithKafkaCluster
class JsonProducerTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    record Payment(String id, Instant at, BigDecimal amount) {
    }

    /** Jackson cannot write {@code Optional} without the jdk8 module: a mistake learners make. */
    record Unwritable(String id, Optional<String> note) {
    }

    @Test
    void shouldWriteValuesAsPlainJsonThatAnyConsumerCanRead(KafkaCluster kafka, TestTopics topics) {
        // Given a topic and a payment with an Instant and a BigDecimal whose scale matters
        String topic = created(kafka, topics, 1);
        Payment payment = new Payment("p-1", Instant.parse("2026-03-01T09:30:00.123Z"), new BigDecimal("12.50"));

        // When it is sent with a header
        SendResult sent;
        try (JsonProducer<String, Payment> producer = JsonProducer.create(options(kafka).build())) {
            sent = producer.send(topic, payment.id(), payment, Map.of("source", "checkout"))
                    .orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
        }

        // Then the result says where it went
        assertEquals(new SendResult(topic, 0, 0, sent.timestamp()), sent);
        assertTrue(Duration.between(sent.timestamp(), Instant.now()).abs().compareTo(WAIT) < 0, sent.toString());
        // And a plain string consumer reads ISO-8601 text and the exact decimal, as JSON
        ConsumerRecord<String, String> text = RawTopicReader.readAll(kafka.bootstrapServers(), topic, 1,
                new StringDeserializer()).get(0);
        assertEquals("p-1", text.key());
        assertEquals("{\"id\":\"p-1\",\"at\":\"2026-03-01T09:30:00.123Z\",\"amount\":12.50}", text.value());
        assertArrayEquals("checkout".getBytes(StandardCharsets.UTF_8), text.headers().lastHeader("source").value());
        // And the JSON deserializer gives back an equal record
        ConsumerRecord<String, Payment> typed = RawTopicReader.readAll(kafka.bootstrapServers(), topic, 1,
                new JsonDeserializer<>(Json.defaultMapper(), Payment.class)).get(0);
        assertEquals(payment, typed.value());
    }

    @Test
    void shouldFailAValueJacksonCannotWriteNamingTopicAndTypeAndSendNothing(KafkaCluster kafka, TestTopics topics)
            throws Exception {
        // Given a topic and a value Jackson cannot write
        String topic = created(kafka, topics, 1);
        try (JsonProducer<String, Object> producer = JsonProducer.create(options(kafka).build())) {

            // When it is sent
            CompletableFuture<SendResult> failed = producer.send(topic, "k", new Unwritable("u-1", Optional.of("x")));

            // Then the future fails at once with Kafka's SerializationException naming topic and type
            ExecutionException error = assertThrows(ExecutionException.class, () -> failed.get(1, TimeUnit.SECONDS));
            SerializationException cause = assertInstanceOf(SerializationException.class, error.getCause());
            assertTrue(cause.getMessage().contains(topic), cause.getMessage());
            assertTrue(cause.getMessage().contains(Unwritable.class.getName()), cause.getMessage());
            // And nothing reached the topic: the next good record is the first, at offset 0
            producer.flush();
            assertEquals(0, RawTopicReader.endOffsetSum(kafka.bootstrapServers(), topic));
            assertEquals(0, producer.sendAndWait(topic, "k", Map.of("ok", true), WAIT).offset());
        }
    }

    @Test
    void shouldFailARecordTheBrokerFindsTooLargeWithKafkasOwnException(KafkaCluster kafka, TestTopics topics) {
        // Given a topic that accepts batches of at most 1 KiB
        String topic = topics.next();
        try (TopicAdmin admin = TopicAdmin.connect(kafka.bootstrapServers())) {
            admin.createTopic(topic, 1, 1, Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "1024"));
        }
        try (JsonProducer<String, String> producer = JsonProducer.create(options(kafka).build())) {

            // When a 4 KiB value is sent, and waited for
            RecordTooLargeException error = assertThrows(RecordTooLargeException.class,
                    () -> producer.sendAndWait(topic, "k", "x".repeat(4096), WAIT));

            // Then the broker's refusal arrives as Kafka's own exception, not wrapped
            assertTrue(error.getMessage() != null && !error.getMessage().isBlank(), String.valueOf(error));
        }
    }

    @Test
    void shouldRefuseARecordOverTheProducersRequestSizeBeforeSendingIt(KafkaCluster kafka, TestTopics topics) {
        // Given a producer limited to requests of 10 kB
        String topic = created(kafka, topics, 1);
        ProducerOptions options = options(kafka).property(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "10000").build();
        try (JsonProducer<String, String> producer = JsonProducer.create(options)) {

            // When a 20 kB value is sent
            CompletableFuture<SendResult> failed = producer.send(topic, "k", "x".repeat(20_000));

            // Then the future fails with Kafka's RecordTooLargeException, and the topic stays empty
            ExecutionException error = assertThrows(ExecutionException.class, () -> failed.get(1, TimeUnit.SECONDS));
            assertInstanceOf(RecordTooLargeException.class, error.getCause());
            assertEquals(0, RawTopicReader.endOffsetSum(kafka.bootstrapServers(), topic));
        }
    }

    @Test
    void shouldSendANullValueAsATombstone(KafkaCluster kafka, TestTopics topics) {
        String topic = created(kafka, topics, 1);
        try (JsonProducer<String, Payment> producer = JsonProducer.create(options(kafka).build())) {
            producer.sendAndWait(topic, "p-1", null, WAIT);
        }

        ConsumerRecord<String, String> read = RawTopicReader.readAll(kafka.bootstrapServers(), topic, 1,
                new StringDeserializer()).get(0);
        assertEquals("p-1", read.key());
        assertNull(read.value());
    }

    @Test
    void shouldRoundTripWithEveryCompressionCodec(KafkaCluster kafka, TestTopics topics) {
        // Given one topic, and one producer per codec (snappy and zstd load native libraries)
        String topic = created(kafka, topics, 1);
        for (Compression compression : Compression.values()) {
            try (JsonProducer<String, String> producer = JsonProducer.create(
                    options(kafka).compression(compression).build())) {
                producer.sendAndWait(topic, compression.name(), "compressed with " + compression, WAIT);
            }
        }

        // Then a plain consumer reads every record back, decompressed
        List<String> values = RawTopicReader.readAll(kafka.bootstrapServers(), topic, Compression.values().length,
                new StringDeserializer()).stream().map(ConsumerRecord::value).toList();
        assertEquals(List.of("\"compressed with NONE\"", "\"compressed with GZIP\"", "\"compressed with SNAPPY\"",
                "\"compressed with LZ4\"", "\"compressed with ZSTD\""), values);
    }

    @Test
    void shouldFailASendAfterCloseThroughTheFuture(KafkaCluster kafka, TestTopics topics) {
        String topic = created(kafka, topics, 1);
        JsonProducer<String, String> producer = JsonProducer.create(options(kafka).build());
        producer.close(Duration.ofSeconds(5));
        producer.close(Duration.ofSeconds(5));

        CompletableFuture<SendResult> failed = producer.send(topic, "k", "v");

        ExecutionException error = assertThrows(ExecutionException.class, () -> failed.get(1, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, error.getCause());
        assertThrows(IllegalStateException.class, () -> producer.sendAndWait(topic, "k", "v", WAIT));
    }

    @Test
    void shouldReportEachRecordOnceToACallbackWithWhereItWasStored(KafkaCluster kafka, TestTopics topics)
            throws Exception {
        // Given a topic with 3 partitions and one callback shared by all sends, as a fast sender would use it
        String topic = created(kafka, topics, 3);
        Map<Integer, List<Long>> offsetsByPartition = new ConcurrentHashMap<>();
        List<Exception> failures = new CopyOnWriteArrayList<>();
        CountDownLatch answered = new CountDownLatch(30);
        Callback callback = (metadata, error) -> {
            if (error != null) {
                failures.add(error);
            } else {
                offsetsByPartition.computeIfAbsent(metadata.partition(), p -> new CopyOnWriteArrayList<>())
                        .add(metadata.offset());
            }
            answered.countDown();
        };

        // When 30 records of 3 keys are sent, one with headers
        try (JsonProducer<String, Payment> producer = JsonProducer.create(options(kafka).build())) {
            for (int i = 0; i < 30; i++) {
                Payment payment = new Payment("p-" + i, Instant.EPOCH, BigDecimal.ONE);
                if (i == 0) {
                    producer.send(topic, "user-" + i % 3, payment, Map.of("source", "checkout"), callback);
                } else {
                    producer.send(topic, "user-" + i % 3, payment, callback);
                }
            }
            assertTrue(answered.await(WAIT.toSeconds(), TimeUnit.SECONDS), "every send is answered");
        }

        // Then each record was reported once, with gapless offsets per partition that match the topic
        assertEquals(List.of(), failures);
        long reported = 0;
        for (List<Long> offsets : offsetsByPartition.values()) {
            List<Long> sorted = offsets.stream().sorted().toList();
            assertEquals(LongStream.range(0, sorted.size()).boxed().toList(), sorted);
            reported += sorted.size();
        }
        assertEquals(30, reported);
        assertEquals(30, RawTopicReader.endOffsetSum(kafka.bootstrapServers(), topic));
    }

    @Test
    void shouldReportAValueJacksonCannotWriteToTheCallbackAtOnceAndSendNothing(KafkaCluster kafka,
                                                                               TestTopics topics) {
        // Given a topic and a value Jackson cannot write
        String topic = created(kafka, topics, 1);
        List<Exception> failures = new ArrayList<>();
        List<Thread> callingThreads = new ArrayList<>();
        try (JsonProducer<String, Object> producer = JsonProducer.create(options(kafka).build())) {

            // When it is sent with a callback
            producer.send(topic, "k", new Unwritable("u-1", Optional.of("x")), (metadata, error) -> {
                assertNull(metadata);
                failures.add(error);
                callingThreads.add(Thread.currentThread());
            });

            // Then the callback has already run, on this thread, with a SerializationException naming the type
            assertEquals(List.of(Thread.currentThread()), callingThreads);
            SerializationException cause = assertInstanceOf(SerializationException.class, failures.get(0));
            assertTrue(cause.getMessage().contains(Unwritable.class.getName()), cause.getMessage());
            // And nothing reached the topic
            producer.flush();
            assertEquals(0, RawTopicReader.endOffsetSum(kafka.bootstrapServers(), topic));
        }
    }

    private static ProducerOptions.Builder options(KafkaCluster kafka) {
        return ProducerOptions.builder(kafka.bootstrapServers()).maxBlock(Duration.ofSeconds(10));
    }

    private static String created(KafkaCluster kafka, TestTopics topics, int partitions) {
        String topic = topics.next();
        try (TopicAdmin admin = TopicAdmin.connect(kafka.bootstrapServers())) {
            admin.createTopic(topic, partitions);
        }
        return topic;
    }

    @Test
    void shouldTellSendListenersEveryOutcomeWithItsLatencyWhileAThrowingOneChangesNothing(KafkaCluster kafka,
                                                                                          TestTopics topics) {
        // Given a producer with a listener that throws, then one that writes down what it hears
        String topic = created(kafka, topics, 1);
        List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        SendListener throwing = new SendListener() {
            @Override
            public void sendAcknowledged(org.apache.kafka.clients.producer.RecordMetadata metadata, long nanos) {
                throw new IllegalStateException("a listener bug");
            }
        };
        SendListener recording = new SendListener() {
            @Override
            public void sendAcknowledged(org.apache.kafka.clients.producer.RecordMetadata metadata, long nanos) {
                heard.add("stored " + metadata.topic().equals(topic) + " p" + metadata.partition() + "@"
                        + metadata.offset() + (nanos > 0 ? "" : " untimed"));
            }

            @Override
            public void sendFailed(String failedTopic, Exception failure, long nanos) {
                heard.add("failed " + failedTopic.equals(topic) + " " + failure.getClass().getSimpleName());
            }
        };
        try (JsonProducer<String, Object> producer = JsonProducer.create(options(kafka).listener(throwing)
                .listener(recording).build())) {
            // When two records are sent, and one Jackson cannot write
            SendResult first = producer.send(topic, "a", new Payment("p-1", Instant.now(), BigDecimal.ONE))
                    .orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
            producer.send(topic, "b", new Unwritable("u", Optional.empty()));
            SendResult second = producer.send(topic, "c", new Payment("p-2", Instant.now(), BigDecimal.TEN))
                    .orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();

            // Then the sends succeed as without listeners, and the listener heard each outcome, in order
            assertEquals(0, first.offset());
            assertEquals(1, second.offset());
        }
        assertEquals(List.of("stored true p0@0", "failed true SerializationException", "stored true p0@1"), heard);
    }
}
