package dev.kafkaprimer.examples.failover;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Every record of a topic read from the beginning, tallied against the values the producer saw acknowledged. */
record ReadBack(long read, long lost, long duplicates, long others) {

    /**
     * Reads all partitions of {@code topic} up to their current ends and compares with {@code acknowledged}.
     * Values that are not numbers (the probes of the refusal stage) are counted as {@code others}.
     *
     * @throws IllegalStateException if the ends are not reached within {@code deadline}
     */
    static ReadBack of(Map<String, Object> client, String topic, Set<Long> acknowledged, Duration deadline) {
        Map<Long, Integer> seen = new HashMap<>();
        long others = 0;
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(config(client), new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, deadline).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, deadline);
            long giveUpAt = System.nanoTime() + deadline.toNanos();
            while (!reachedEnds(consumer, ends)) {
                if (System.nanoTime() > giveUpAt) {
                    throw new IllegalStateException("did not read '" + topic + "' up to its ends " + ends + " within "
                            + deadline.toSeconds() + " s");
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (isNumber(record.value())) {
                        seen.merge(Long.parseLong(record.value()), 1, Integer::sum);
                    } else {
                        others++;
                    }
                }
            }
        }
        long read = seen.values().stream().mapToLong(Integer::longValue).sum();
        long lost = acknowledged.stream().filter(value -> !seen.containsKey(value)).count();
        long duplicates = seen.values().stream().filter(count -> count > 1).count();
        return new ReadBack(read, lost, duplicates, others);
    }

    private static boolean isNumber(String value) {
        return value != null && !value.isEmpty() && value.chars().allMatch(Character::isDigit);
    }

    private static boolean reachedEnds(KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> ends) {
        return ends.entrySet().stream().allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
    }

    private static Map<String, Object> config(Map<String, Object> client) {
        // Where the cluster is, and how to log in and encrypt.
        Map<String, Object> config = new HashMap<>(client);
        // No group: the reader assigns itself every partition and commits nothing.
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return config;
    }
}
