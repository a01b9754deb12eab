package dev.kafkaprimer.core.partitioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import dev.kafkaprimer.core.admin.TopicAdmin;
import dev.kafkaprimer.core.json.Json;
import dev.kafkaprimer.core.producer.JsonProducer;
import dev.kafkaprimer.core.producer.ProducerOptions;
import dev.kafkaprimer.core.producer.SendResult;
import dev.kafkaprimer.testkit.Await;
import dev.kafkaprimer.testkit.KafkaCluster;
import dev.kafkaprimer.testkit.TestTopics;
import dev.kafkaprimer.testkit.WithKafkaCluster;
import org.apache.kafka.common.serialization.LongSerializer;
import org.junit.jupiter.api.Test;

@WithKafkaCluster
class KeyPartitionerTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int MAX_PARTITIONS = 12;
    private static final int KEYS_PER_TOPIC = 850;

    private final KeyPartitioner<String> partitioner = KeyPartitioner.forStringKeys();

    @Test
    void shouldPredictTheSamePartitionAsTheProducer(KafkaCluster kafka, TestTopics topics) {
        // Given topics of 1 to 12 partitions and 850 distinct keys for each: 10,200 keys in all
        Map<String, Integer> partitionCounts = new LinkedHashMap<>();
        try (TopicAdmin admin = TopicAdmin.connect(kafka.bootstrapServers())) {
            for (int count = 1; count <= MAX_PARTITIONS; count++) {
                String topic = topics.next();
                admin.createTopic(topic, count);
                partitionCounts.put(topic, count);
            }
        }

        // When one producer sends every key, asynchronously, and the broker answers
        List<Sent> sent = new ArrayList<>();
        try (JsonProducer<String, Integer> producer = JsonProducer.create(options(kafka))) {
            partitionCounts.forEach((topic, count) -> IntStream.range(0, KEYS_PER_TOPIC).forEach(i -> {
                String key = keyFor(count, i);
                sent.add(new Sent(key, count, producer.send(topic, key, i)));
            }));
            CompletableFuture.allOf(sent.stream().map(Sent::result).toArray(CompletableFuture[]::new))
                    .orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
        }

        // Then the partition the broker stored each record in is the predicted one
        List<String> wrong = sent.stream()
                .filter(s -> s.result().join().partition() != partitioner.partitionFor(s.key(), s.partitionCount()))
                .map(s -> s.key() + " on " + s.partitionCount() + " partitions: predicted "
                        + partitioner.partitionFor(s.key(), s.partitionCount()) + ", stored in "
                        + s.result().join().partition())
                .toList();
        assertTrue(wrong.isEmpty(),
                wrong.size() + " wrong predictions, the first: " + wrong.stream().limit(10).toList());
        assertEquals(MAX_PARTITIONS * KEYS_PER_TOPIC, sent.stream().map(Sent::key).distinct().count());
        // And with more than one partition, keys were spread over all of them
        Map<String, Long> used = new LinkedHashMap<>();
        sent.forEach(s -> used.merge(s.result().join().topic() + "/" + s.result().join().partition(), 1L, Long::sum));
        assertEquals(IntStream.rangeClosed(1, MAX_PARTITIONS).sum(), used.size());
    }

    @Test
    void shouldPredictPartitionsOfTypedKeysWithTheirSerializer(KafkaCluster kafka, TestTopics topics) {
        // Given a 7-partition topic and a producer with Long keys
        String topic = topics.next();
        try (TopicAdmin admin = TopicAdmin.connect(kafka.bootstrapServers())) {
            admin.createTopic(topic, 7);
        }
        KeyPartitioner<Long> longs = KeyPartitioner.forKeys(new LongSerializer());

        // When keys from negative to large are sent
        List<Long> keys = IntStream.range(-100, 200).mapToObj(i -> i * 7_919L * 104_729L).toList();
        List<CompletableFuture<SendResult>> results = new ArrayList<>();
        try (JsonProducer<Long, String> producer = JsonProducer.create(options(kafka), new LongSerializer(),
                Json.defaultMapper())) {
            keys.forEach(key -> results.add(producer.send(topic, key, "v")));
            CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
                    .orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
        }

        // Then each went where the partitioner, given the same serializer, said
        for (int i = 0; i < keys.size(); i++) {
            assertEquals(longs.partitionFor(keys.get(i), 7), results.get(i).join().partition(), "key " + keys.get(i));
        }
    }

    @Test
    void shouldNameExactlyTheKeysTheProducerMovesWhenPartitionsGrow(KafkaCluster kafka, TestTopics topics) {
        // Given 300 keys sent to a topic of 3 partitions
        String topic = topics.next();
        List<String> keys = IntStream.range(0, 300).mapToObj(i -> "account-" + i).toList();
        try (TopicAdmin admin = TopicAdmin.connect(kafka.bootstrapServers())) {
            admin.createTopic(topic, 3);
            Map<String, Integer> before = sendAll(kafka, topic, keys);

            // When the topic grows to 5 partitions and the same keys are sent again by a new producer
            admin.increasePartitions(topic, 5);
            Await.until(WAIT, topic + " with 5 partitions", () -> admin.describeTopic(topic).partitionCount() == 5);
            Map<String, Integer> after = sendAll(kafka, topic, keys);

            // Then the keys whose partition changed are exactly those impactOfRepartition named, moved as said
            RepartitionImpact<String> impact = partitioner.impactOfRepartition(keys, 3, 5);
            List<RepartitionImpact.MovedKey<String>> observed = keys.stream()
                    .filter(key -> !before.get(key).equals(after.get(key)))
                    .map(key -> new RepartitionImpact.MovedKey<>(key, before.get(key), after.get(key)))
                    .toList();
            assertEquals(observed, impact.movedKeys());
            assertEquals(300, impact.keyCount());
            assertTrue(impact.movedFraction() > 0.3, "moved " + impact.movedFraction());
        }
    }

    @Test
    void shouldMoveHalfTheKeysToTheirPartitionPlusNWhenNPartitionsDouble() {
        // Given 4,000 keys, each listed twice
        List<String> keys = IntStream.range(0, 8_000).mapToObj(i -> "user-" + (i % 4_000)).toList();

        // When the impact of going from 4 to 8 partitions is computed
        RepartitionImpact<String> impact = partitioner.impactOfRepartition(keys, 4, 8);

        // Then duplicates count once, every moved key goes from p to p + 4, and about half of them move
        assertEquals(4_000, impact.keyCount());
        impact.movedKeys().forEach(moved -> assertEquals(moved.fromPartition() + 4, moved.toPartition(), moved.key()));
        assertTrue(impact.movedFraction() > 0.45 && impact.movedFraction() < 0.55, "moved " + impact.movedFraction());
        // And keeping the count moves nothing
        assertEquals(List.of(), partitioner.impactOfRepartition(keys, 4, 4).movedKeys());
    }

    @Test
    void shouldRefuseNullKeysExplainingStickyPartitioning() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> partitioner.partitionFor(null, 3));
        assertTrue(error.getMessage().contains("sticky") && error.getMessage().contains("KIP-480"), error.getMessage());

        KeyPartitioner<String> nullBytes = KeyPartitioner.forKeys((topic, key) -> null);
        assertThrows(IllegalArgumentException.class, () -> nullBytes.partitionFor("k", 3));
        assertThrows(IllegalArgumentException.class, () -> partitioner.impactOfRepartition(
                java.util.Arrays.asList("a", null), 1, 2));
        assertThrows(IllegalArgumentException.class, () -> KeyPartitioner.partitionForSerializedKey(null, 3));
    }

    @Test
    void shouldRejectPartitionCountsBelowOneNamingTheValue() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> partitioner.partitionFor("k", 0));
        assertTrue(error.getMessage().contains("partitionCount") && error.getMessage().contains("was 0"),
                error.getMessage());
        IllegalArgumentException to = assertThrows(IllegalArgumentException.class,
                () -> partitioner.impactOfRepartition(List.of("k"), 3, -1));
        assertTrue(to.getMessage().contains("toCount") && to.getMessage().contains("was -1"), to.getMessage());
    }

    /** Varied keys: plain ASCII, multi-byte UTF-8, long ones, and the empty key (not null: it is hashed). */
    private static String keyFor(int topicIndex, int i) {
        if (topicIndex == 1 && i == 0) {
            return "";
        }
        return switch (i % 4) {
            case 0 -> "order-" + topicIndex + "-" + i;
            case 1 -> "ключ-日本-é-" + topicIndex + "-" + i;
            case 2 -> Integer.toHexString(topicIndex * 1_000_003 + i * 7_919);
            default -> ("customer:" + topicIndex + ":" + i + ":").repeat(8);
        };
    }

    private static Map<String, Integer> sendAll(KafkaCluster kafka, String topic, List<String> keys) {
        Map<String, CompletableFuture<SendResult>> results = new LinkedHashMap<>();
        try (JsonProducer<String, String> producer = JsonProducer.create(options(kafka))) {
            keys.forEach(key -> results.put(key, producer.send(topic, key, "v")));
            CompletableFuture.allOf(results.values().toArray(CompletableFuture[]::new))
                    .orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
        }
        Map<String, Integer> partitions = new LinkedHashMap<>();
        results.forEach((key, result) -> partitions.put(key, result.join().partition()));
        return partitions;
    }

    private static ProducerOptions options(KafkaCluster kafka) {
        return ProducerOptions.builder(kafka.bootstrapServers()).linger(Duration.ofMillis(20)).build();
    }

    private record Sent(String key, int partitionCount, CompletableFuture<SendResult> result) {
    }
}
