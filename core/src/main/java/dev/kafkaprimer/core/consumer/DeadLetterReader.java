package dev.kafkaprimer.core.consumer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what a dead-letter topic holds, from its start to its end as they are when the reading starts: every
 * partition, with no consumer group, committing nothing, so reading changes nothing for anyone. Records that are
 * not dead letters (without the {@link DeadLetterHeaders}) are skipped, and counted in a WARN log line.
 *
 * <p>Stateless and thread-safe: each call opens a consumer of its own and closes it before returning.
 */
public final class DeadLetterReader {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterReader.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private DeadLetterReader() {
    }

    /**
     * The dead letters of {@code topic}, partition by partition, each in offset order.
     *
     * @param consumerProperties client settings, {@code bootstrap.servers} and any security settings included;
     *                           a group id, if given, is not used
     * @param topic              the dead-letter topic, such as {@code orders.DLT}; not null
     * @param timeout            how long the whole reading may take; positive
     * @return the dead letters, possibly none
     * @throws UnknownTopicOrPartitionException if the topic does not exist (it is not created by reading)
     * @throws TimeoutException                 if the cluster did not answer, or the topic was not read to its end,
     *                                          within {@code timeout}
     */
    public static List<DeadLetter> readAll(Map<String, ?> consumerProperties, String topic, Duration timeout) {
        Objects.requireNonNull(topic, "topic");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Object> settings = new HashMap<>(consumerProperties);
        settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
        settings.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, left(deadline)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            if (partitions.isEmpty()) {
                throw new UnknownTopicOrPartitionException("topic '" + topic + "' does not exist");
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, left(deadline));
            List<DeadLetter> letters = new ArrayList<>();
            int skipped = 0;
            while (!readToEnd(consumer, partitions, ends, deadline)) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    if (record.offset() >= ends.get(new TopicPartition(record.topic(), record.partition()))) {
                        continue;   // written after the reading started
                    }
                    var letter = DeadLetter.of(record);
                    if (letter.isPresent()) {
                        letters.add(letter.get());
                    } else {
                        skipped++;
                    }
                }
            }
            if (skipped > 0) {
                LOG.warn("Skipped {} record(s) of {} that are not dead letters (no {} headers)", skipped, topic,
                        DeadLetterHeaders.PREFIX);
            }
            letters.sort(Comparator.comparingInt((DeadLetter l) -> l.letter().partition())
                    .thenComparingLong(l -> l.letter().offset()));
            return letters;
        }
    }

    private static boolean readToEnd(KafkaConsumer<?, ?> consumer, List<TopicPartition> partitions,
                                     Map<TopicPartition, Long> ends, long deadline) {
        boolean done = true;
        for (TopicPartition partition : partitions) {
            done &= consumer.position(partition, left(deadline)) >= ends.get(partition);
        }
        if (!done && System.nanoTime() - deadline > 0) {
            throw new TimeoutException("could not read " + topic(partitions) + " to its end in time");
        }
        return done;
    }

    private static String topic(List<TopicPartition> partitions) {
        return partitions.get(0).topic();
    }

    private static Duration left(long deadline) {
        return Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
    }
}
