package dev.kafkaprimer.examples.exactlyonce;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import dev.kafkaprimer.core.json.Json;
import dev.kafkaprimer.examples.cli.ExampleFailedException;

/**
 * Reads the balances topic from the beginning to its end, without a group, as a reader with either isolation
 * level sees it. First it waits (bounded) until no transaction is open on the topic: until then a
 * {@code read_committed} reader stops at the first open transaction (the last stable offset), and the two
 * readers could not be compared.
 */
final class TopicReader {

    private static final Duration POLL = Duration.ofMillis(100);

    private TopicReader() {
    }

    /**
     * @param client   connection settings (bootstrap servers, security)
     * @param deadline how long the topic may take to have no open transaction, and then to be read
     * @throws ExampleFailedException if a transaction stays open, or the read does not reach the end, in time
     */
    static List<BalanceUpdate> read(Map<String, Object> client, String topic, IsolationLevel level,
                                    Duration deadline) {
        long giveUpAt = System.nanoTime() + deadline.toNanos();
        awaitNoOpenTransaction(client, topic, giveUpAt);
        try (KafkaConsumer<byte[], byte[]> reader = open(client, level)) {
            List<TopicPartition> partitions = partitions(reader, topic);
            reader.assign(partitions);
            reader.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = reader.endOffsets(partitions);
            List<BalanceUpdate> read = new ArrayList<>();
            while (!partitions.stream().allMatch(p -> reader.position(p) >= end.get(p))) {
                if (System.nanoTime() > giveUpAt) {
                    throw new ExampleFailedException("could not read " + topic + " up to " + end + " within "
                            + deadline.toSeconds() + " s");
                }
                for (ConsumerRecord<byte[], byte[]> record : reader.poll(POLL)) {
                    read.add(parse(record));
                }
            }
            return read;
        }
    }

    private static void awaitNoOpenTransaction(Map<String, Object> client, String topic, long giveUpAt) {
        try (KafkaConsumer<byte[], byte[]> committed = open(client, IsolationLevel.READ_COMMITTED);
             KafkaConsumer<byte[], byte[]> everything = open(client, IsolationLevel.READ_UNCOMMITTED)) {
            List<TopicPartition> partitions = partitions(committed, topic);
            // For read_committed, endOffsets is the last stable offset; for read_uncommitted, the log's end.
            while (!committed.endOffsets(partitions).equals(everything.endOffsets(partitions))) {
                if (System.nanoTime() > giveUpAt) {
                    throw new ExampleFailedException("a transaction is still open on " + topic + ": last stable "
                            + "offsets " + committed.endOffsets(partitions) + ", log ends "
                            + everything.endOffsets(partitions));
                }
                sleepBriefly();
            }
        }
    }

    private static BalanceUpdate parse(ConsumerRecord<byte[], byte[]> record) {
        try {
            return Json.defaultMapper().readValue(record.value(), BalanceUpdate.class);
        } catch (IOException e) {
            throw new UncheckedIOException("not a balance update at " + record.topic() + "-" + record.partition()
                    + " offset " + record.offset(), e);
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        return consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
    }

    private static KafkaConsumer<byte[], byte[]> open(Map<String, Object> client, IsolationLevel level) {
        Map<String, Object> props = new HashMap<>(client);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, level.name().toLowerCase(Locale.ROOT));
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** A pause between two checks of the offsets, inside a loop bounded by its deadline. */
    private static void sleepBriefly() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExampleFailedException("interrupted while waiting for open transactions to end");
        }
    }
}
