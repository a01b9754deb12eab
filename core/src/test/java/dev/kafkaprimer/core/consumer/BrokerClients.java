package dev.kafkaprimer.core.consumer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.kafkaprimer.testkit.Await;
import dev.kafkaprimer.testkit.KafkaCluster;

/**
 * Plain Kafka clients for setting up and checking consumer tests: create topics, write records, read the
 * group's committed offsets and a partition's end, read a topic back. Everything waits with a deadline.
 */
public final class BrokerClients implements AutoCloseable {

    public static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final KafkaCluster kafka;
    private final Admin admin;
    private final KafkaProducer<byte[], byte[]> producer;

    public BrokerClients(KafkaCluster kafka) {
        this.kafka = kafka;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 0), new ByteArraySerializer(), new ByteArraySerializer());
    }

    public Admin admin() {
        return admin;
    }

    public void createTopic(String topic, int partitions) {
        await(admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all());
    }

    public RecordMetadata send(String topic, int partition, String key, String value) {
        return send(new ProducerRecord<>(topic, partition, null, bytes(key), bytes(value)));
    }

    public RecordMetadata send(ProducerRecord<byte[], byte[]> record) {
        return await(producer.send(record));
    }

    /** The group's committed offsets; a partition without one is absent. */
    public Map<TopicPartition, Long> committed(String groupId) {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        await(admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata()).forEach((partition, offset) -> {
            if (offset != null) {
                offsets.put(partition, offset.offset());
            }
        });
        return offsets;
    }

    /** The offset the next record written to {@code partition} gets: for a new topic, how many it holds. */
    public long endOffset(TopicPartition partition) {
        return await(admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition)).offset();
    }

    /** Reads {@code count} records of every partition of {@code topic} from the beginning, without a group. */
    public List<ConsumerRecord<byte[], byte[]>> read(String topic, int count) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, TIMEOUT).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Await.until(TIMEOUT, count + " records in " + topic, () -> {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                return records.size() >= count;
            });
        }
        return records;
    }

    /** The {@link DeadLetterHeaders} of a dead letter, by name; a header it does not have is absent. */
    public static Map<String, String> deadLetterHeaders(ConsumerRecord<byte[], byte[]> letter) {
        Map<String, String> headers = new HashMap<>();
        for (Header header : letter.headers()) {
            if (header.key().startsWith(DeadLetterHeaders.PREFIX)) {
                // The last header of a name wins, as DeadLetterHeaders.read reads it.
                headers.put(header.key(), text(header.value()));
            }
        }
        return headers;
    }

    /** {@link #deadLetterHeaders}, without those that differ from run to run: the stack trace and the times. */
    public static Map<String, String> stableDeadLetterHeaders(ConsumerRecord<byte[], byte[]> letter) {
        Map<String, String> headers = deadLetterHeaders(letter);
        headers.keySet().removeAll(List.of(DeadLetterHeaders.STACK_TRACE, DeadLetterHeaders.FIRST_FAILURE,
                DeadLetterHeaders.LAST_FAILURE));
        return headers;
    }

    public static byte[] bytes(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    public static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close(TIMEOUT);
        admin.close(TIMEOUT);
    }

    private static <T> T await(java.util.concurrent.Future<T> future) {
        try {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("no answer from the broker within " + TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
