package dev.kafkaprimer.core.readme;

// README:dead-letters-start
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.kafkaprimer.core.consumer.DeadLetterHeaders;

/** Prints each record of a dead-letter topic and why it is there. Arguments: [bootstrap servers] [topic]. */
public class DeadLetterReport {

    public static void main(String[] args) {
        String bootstrapServers = args.length > 0 ? args[0] : "localhost:9092";
        String topic = args.length > 1 ? args[1] : "orders.DLT";
        Map<String, Object> settings = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(settings, new StringDeserializer(), new StringDeserializer())) {
            // No group: read every partition from its start up to its end now, commit nothing.
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(10));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within 30 s");
                }
                for (ConsumerRecord<String, String> letter : consumer.poll(Duration.ofMillis(500))) {
                    System.out.println(header(letter, DeadLetterHeaders.ORIGINAL_TOPIC)
                            + " partition " + header(letter, DeadLetterHeaders.ORIGINAL_PARTITION)
                            + " offset " + header(letter, DeadLetterHeaders.ORIGINAL_OFFSET)
                            + ", key " + letter.key() + ", " + header(letter, DeadLetterHeaders.ATTEMPTS)
                            + " attempt(s): " + header(letter, DeadLetterHeaders.EXCEPTION_CLASS)
                            + ": " + header(letter, DeadLetterHeaders.EXCEPTION_MESSAGE));
                }
            }
        }
    }

    private static String header(ConsumerRecord<?, ?> letter, String name) {
        return DeadLetterHeaders.read(letter.headers(), name).orElse("?");
    }
}
// README:dead-letters-end
