package dev.kafkaprimer.examples.segments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;

import dev.kafkaprimer.testkit.Await;
import dev.kafkaprimer.testkit.EmbeddedKafkaCluster;
import dev.kafkaprimer.testkit.TestTopics;
import dev.kafkaprimer.testkit.WithKafkaCluster;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** What the segments example shows, checked directly against a broker that runs retention and its cleaner often. */
@WithKafkaCluster(brokerProperties = {
        "log.retention.check.interval.ms=500", "log.initial.task.delay.ms=0", "log.cleaner.backoff.ms=200"})
class LogCleanupTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @Test
    void shouldDeleteTheOldestWholeSegmentsOnceAllTheirRecordsExpired(EmbeddedKafkaCluster kafka, TestTopics topics)
            throws Exception {
        String topic = topics.next();
        try (Admin admin = admin(kafka)) {
            // Given 1 MiB segments holding 2500 records stamped an hour ago, then 500 stamped now
            SegmentsExample.create(admin, new NewTopic(topic, 1, (short) 1)
                    .configs(Map.of("segment.bytes", Integer.toString(RetentionDemo.SEGMENT_BYTES))), DEADLINE);
            long now = System.currentTimeMillis();
            try (KafkaProducer<String, String> producer = producer(kafka)) {
                for (int i = 0; i < 3000; i++) {
                    producer.send(new ProducerRecord<>(topic, 0, i < 2500 ? now - 3_600_000 : now, null, "x".repeat(1000)));
                }
            }
            PartitionLog log = new PartitionLog(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    kafka.bootstrapServers()), admin, new TopicPartition(topic, 0),
                    Optional.of(kafka), DEADLINE);
            Path directory = log.directory().orElseThrow();
            List<SegmentFile> before = SegmentFile.in(directory);
            assertTrue(before.size() >= 3, "segments: " + before);
            assertEquals(0, before.get(0).baseOffset());

            // When retention becomes 10 minutes
            SegmentsExample.setTopicConfig(admin, topic, "retention.ms", "600000", DEADLINE);

            // Then the log start moves to the first segment with a new record, and older segment files go
            long start = Await.until(DEADLINE, "retention to delete", () -> call(log::startOffset), s -> s > 0);
            assertTrue(start <= 2500, "a segment with new records was deleted: start " + start);
            List<SegmentFile> after = Await.until(DEADLINE, "old .log files gone", () -> call(() -> SegmentFile.in(directory)),
                    files -> files.get(0).baseOffset() == start);
            assertFalse(after.stream().anyMatch(s -> s.baseOffset() == 0), after::toString);
            assertEquals(before.get(before.size() - 1), after.get(after.size() - 1), "the active segment stays");
        }
    }

    @Test
    void shouldKeepOnlyTheLatestValuePerKeyWhenCompacted(EmbeddedKafkaCluster kafka, TestTopics topics) throws Exception {
        String topic = topics.next();
        try (Admin admin = admin(kafka)) {
            // Given a compacted topic whose segments roll after 100 ms
            SegmentsExample.create(admin, new NewTopic(topic, 1, (short) 1).configs(Map.of("cleanup.policy", "compact",
                    "segment.ms", "100", "min.cleanable.dirty.ratio", "0.01")), DEADLINE);
            PartitionLog log = new PartitionLog(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    kafka.bootstrapServers()), admin, new TopicPartition(topic, 0),
                    Optional.of(kafka), DEADLINE);
            // When three keys get five values each, and a later record rolls their segment
            try (KafkaProducer<String, String> producer = producer(kafka)) {
                for (int round = 1; round <= 5; round++) {
                    for (String key : List.of("a", "b", "c")) {
                        producer.send(new ProducerRecord<>(topic, 0, key, key + round));
                    }
                }
                producer.flush();
                Await.until(DEADLINE, "a second segment", () -> {
                    producer.send(new ProducerRecord<>(topic, 0, "later", "x"));
                    producer.flush();
                    return call(() -> SegmentFile.in(log.directory().orElseThrow()).size() >= 2);
                });
            }

            // Then the cleaner leaves one record per key, the latest, at its original offset
            List<ConsumerRecord<String, String>> left = Await.until(DEADLINE, "a compacted log",
                    () -> call(log::readAll), records -> records.stream().filter(r -> r.key().length() == 1).count() == 3);
            Map<String, String> latest = new TreeMap<>();
            List<Long> offsets = new ArrayList<>();
            left.stream().filter(r -> r.key().length() == 1).forEach(r -> {
                latest.put(r.key(), r.value());
                offsets.add(r.offset());
            });
            assertEquals(Map.of("a", "a5", "b", "b5", "c", "c5"), latest);
            assertEquals(List.of(12L, 13L, 14L), offsets);
        }
    }

    private static Admin admin(EmbeddedKafkaCluster kafka) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }

    private static KafkaProducer<String, String> producer(EmbeddedKafkaCluster kafka) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 20), new StringSerializer(), new StringSerializer());
    }

    private static <T> T call(Callable<T> action) {
        try {
            return action.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
