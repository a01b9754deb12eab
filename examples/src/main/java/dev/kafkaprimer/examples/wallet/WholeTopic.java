package dev.kafkaprimer.examples.wallet;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads every record of a topic, from each partition's log start up to the end it had when the read began.
 * No consumer group: the reader assigns itself every partition and commits nothing, so reading changes no
 * one's offsets. Stateless.
 */
final class WholeTopic {

    private WholeTopic() {
    }

    /**
     * Hands each record to {@code each}, partition by partition in offset order.
     *
     * @throws IllegalStateException if the topic does not exist, or its ends are not reached within
     *                               {@code deadline}
     */
    static void read(Map<String, Object> client, String topic, Duration deadline,
                     Consumer<ConsumerRecord<byte[], byte[]>> each) {
        Map<String, Object> config = new HashMap<>(client);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            var infos = consumer.partitionsFor(topic, deadline);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic '" + topic + "' does not exist");
            }
            List<TopicPartition> partitions = infos.stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, deadline);
            long giveUpAt = System.nanoTime() + deadline.toNanos();
            while (!ends.entrySet().stream().allMatch(end -> consumer.position(end.getKey()) >= end.getValue())) {
                if (System.nanoTime() > giveUpAt) {
                    throw new IllegalStateException("did not read '" + topic + "' up to its ends " + ends
                            + " within " + deadline.toSeconds() + " s");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(each);
            }
        }
    }
}
