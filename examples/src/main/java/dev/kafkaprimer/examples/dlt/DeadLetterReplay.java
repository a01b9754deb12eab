package dev.kafkaprimer.examples.dlt;

import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.kafkaprimer.core.consumer.DeadLetter;

/**
 * Sends a dead-letter topic's records back to their original topics, and remembers how far it got as the
 * committed offset of a consumer group of its own. The order for each dead letter is: send, wait for the
 * acknowledgement, commit the offset after it. So a replay stopped half-way (a deadline, an error, Ctrl-C
 * between two records) starts again after the last record it sent; only a crash between an acknowledgement and
 * its commit sends that one record twice (at least once, like the commit loop).
 *
 * <p>A replayed record goes through the consumer's handler again: if the cause is still there, it fails again
 * and becomes a new dead letter.
 */
final class DeadLetterReplay {

    /** What one run of the replay did. */
    record Outcome(int sent, int skipped, long left) {
    }

    private final Map<String, Object> client;
    private final String group;
    private final Duration deadline;

    DeadLetterReplay(Map<String, Object> client, String group, Duration deadline) {
        this.client = client;
        this.group = group;
        this.deadline = deadline;
    }

    /** Replays up to {@code limit} dead letters of {@code topic}, from where the group's last replay stopped. */
    Outcome replay(String topic, int limit, PrintStream out) {
        long giveUpAt = System.nanoTime() + deadline.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(); KafkaProducer<byte[], byte[]> producer = producer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, deadline).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            // Where each partition's replay goes on: after the last record a replay committed, else the start.
            // (A committed offset past the end means the topic was made anew since: start at its start.)
            Map<TopicPartition, OffsetAndMetadata> done = consumer.committed(Set.copyOf(partitions), deadline);
            Map<TopicPartition, Long> next = new HashMap<>(consumer.beginningOffsets(partitions, deadline));
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, deadline);
            done.forEach((partition, offset) -> {
                if (offset != null && offset.offset() <= ends.get(partition)) {
                    next.put(partition, Math.max(next.get(partition), offset.offset()));
                }
            });
            next.forEach(consumer::seek);
            int sent = 0;
            int skipped = 0;
            while (sent < limit && left(next, ends) > 0) {
                if (System.nanoTime() - giveUpAt > 0) {
                    throw new IllegalStateException("the replay did not finish within " + deadline.toSeconds()
                            + " s; run it again to go on where it stopped");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    if (sent == limit || record.offset() >= ends.get(partition)) {
                        continue;   // left for the next run, which starts at the committed offset
                    }
                    var letter = DeadLetter.of(record);
                    if (letter.isPresent()) {
                        RecordMetadata back = send(producer, letter.get());
                        out.println("   " + letter.get().position() + " -> " + back.topic() + "-" + back.partition()
                                + "@" + back.offset() + " (was " + letter.get().original() + ")");
                        sent++;
                    } else {
                        skipped++;
                    }
                    // Only after the acknowledgement: the next run starts after this record.
                    consumer.commitSync(Map.of(partition, new OffsetAndMetadata(record.offset() + 1)), deadline);
                    next.put(partition, record.offset() + 1);
                }
            }
            return new Outcome(sent, skipped, left(next, ends));
        }
    }

    private RecordMetadata send(KafkaProducer<byte[], byte[]> producer, DeadLetter letter) {
        try {
            return producer.send(letter.replay()).get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while replaying " + letter.position(), e);
        } catch (Exception e) {
            throw new IllegalStateException("could not replay " + letter.position() + " to "
                    + letter.originalPartition().topic(), e);
        }
    }

    /** Records still to replay: from each partition's next offset up to its end when the replay started. */
    private static long left(Map<TopicPartition, Long> next, Map<TopicPartition, Long> ends) {
        long left = 0;
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            left += Math.max(0, end.getValue() - next.get(end.getKey()));
        }
        return left;
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Map<String, Object> config = new HashMap<>(client);
        // A group only to store progress in: partitions are assigned, not subscribed, so nothing rebalances.
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private KafkaProducer<byte[], byte[]> producer() {
        Map<String, Object> config = new HashMap<>(client);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) deadline.toMillis());
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) deadline.toMillis());
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) deadline.toMillis() / 2);
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
