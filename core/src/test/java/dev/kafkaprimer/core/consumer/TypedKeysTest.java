package dev.kafkaprimer.core.consumer;

import static dev.kafkaprimer.core.consumer.BrokerClients.bytes;
import static dev.kafkaprimer.core.consumer.BrokerClients.deadLetterHeaders;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.GroupProtocol;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.UUIDSerializer;
import org.junit.jupiter.api.Test;

import dev.kafkaprimer.core.json.Json;
import dev.kafkaprimer.core.json.JsonDeserializer;
import dev.kafkaprimer.core.producer.JsonProducer;
import dev.kafkaprimer.core.producer.ProducerOptions;
import dev.kafkaprimer.testkit.TestTopics;

/** Keys of other types than text, read back by the loop as the producer wrote them. */
@QuickGroupsCluster
class TypedKeysTest extends BrokerClientsPerTest {

    record Order(String id, int quantity) {
    }

    record CustomerId(String region, long number) {
    }

    @Test
    void shouldHandALongKeyToTheHandlerAsTheLongTheProducerSent(TestTopics topics) {
        // Given an order keyed by the customer number 42, sent with Kafka's LongSerializer
        String topic = topics.next();
        clients.createTopic(topic, 1);
        ProducerOptions producerOptions = ProducerOptions.builder(kafka.bootstrapServers()).build();
        try (JsonProducer<Long, Order> producer =
                     JsonProducer.create(producerOptions, new LongSerializer(), Json.defaultMapper())) {
            producer.sendAndWait(topic, 42L, new Order("A-1", 2), BrokerClients.TIMEOUT);
        }

        // When a loop with Long keys reads it
        List<ConsumerRecord<Long, Order>> handled = new CopyOnWriteArrayList<>();
        CommitLoop<Long, Order> loop = CommitLoop.create(options(topic), KeyDeserializers.longs(),
                new JsonDeserializer<>(Json.defaultMapper(), Order.class), handled::add);
        try (LoopThread running = LoopThread.start(loop, "long-keys")) {
            running.awaitWhileRunning("one record handled", () -> handled.size() == 1);
        }

        // Then the handler gets the key as the Long 42, not as eight bytes of text
        assertEquals(42L, handled.get(0).key());
        assertEquals(new Order("A-1", 2), handled.get(0).value());
    }

    @Test
    void shouldDeadLetterAKeyThatCannotBeReadWithItsBytesUntouchedAndGoOn(TestTopics topics) {
        // Given a UUID-keyed topic holding a good record, one whose key is not a UUID, and another good one
        String topic = topics.next();
        clients.createTopic(topic, 1);
        clients.createTopic(topic + ".DLT", 1);
        UUID first = UUID.randomUUID();
        UUID third = UUID.randomUUID();
        UUIDSerializer uuids = new UUIDSerializer();
        send(topic, uuids.serialize(topic, first), "{\"id\":\"A-1\",\"quantity\":1}");
        send(topic, bytes("not-a-uuid"), "{\"id\":\"A-2\",\"quantity\":2}");
        send(topic, uuids.serialize(topic, third), "{\"id\":\"A-3\",\"quantity\":3}");

        // When a loop with UUID keys reads them
        List<UUID> keys = new CopyOnWriteArrayList<>();
        String group = topic + "-group";
        CommitLoop<UUID, Order> loop = CommitLoop.create(options(topic), KeyDeserializers.uuids(),
                new JsonDeserializer<>(Json.defaultMapper(), Order.class), record -> keys.add(record.key()));
        try (LoopThread running = LoopThread.start(loop, "uuid-keys")) {
            running.awaitWhileRunning("committed offset 3", () -> clients.committed(group).get(new TopicPartition(topic, 0)),
                    offset -> offset != null && offset == 3L);
        }

        // Then the readable keys were handled, in order, and the loop went past the bad one
        assertEquals(List.of(first, third), keys);
        // And the bad record is a dead letter, key and value byte for byte, with the key deserializer's error
        ConsumerRecord<byte[], byte[]> letter = clients.read(topic + ".DLT", 1).get(0);
        assertArrayEquals(bytes("not-a-uuid"), letter.key());
        assertArrayEquals(bytes("{\"id\":\"A-2\",\"quantity\":2}"), letter.value());
        Map<String, String> headers = deadLetterHeaders(letter);
        assertEquals(SerializationException.class.getName(), headers.get(DeadLetterHeaders.EXCEPTION_CLASS));
        assertEquals("1", headers.get(DeadLetterHeaders.ORIGINAL_OFFSET));
    }

    @Test
    void shouldReadJsonKeysInBatches(TestTopics topics) {
        // Given two orders keyed by a JSON customer id
        String topic = topics.next();
        clients.createTopic(topic, 1);
        send(topic, bytes("{\"region\":\"eu\",\"number\":7}"), "{\"id\":\"A-1\",\"quantity\":1}");
        send(topic, bytes("{\"region\":\"us\",\"number\":8}"), "{\"id\":\"A-2\",\"quantity\":2}");

        // When a batch loop with JSON keys reads them
        List<CustomerId> keys = new CopyOnWriteArrayList<>();
        CommitLoop<CustomerId, Order> loop = CommitLoop.createBatching(options(topic),
                KeyDeserializers.json(CustomerId.class), new JsonDeserializer<>(Json.defaultMapper(), Order.class),
                batch -> batch.forEach(record -> keys.add(record.key())));
        try (LoopThread running = LoopThread.start(loop, "json-keys")) {
            running.awaitWhileRunning("two records handled", () -> keys.size() == 2);
        }

        // Then each key arrives as the record it was written from
        assertEquals(List.of(new CustomerId("eu", 7), new CustomerId("us", 8)), keys);
    }

    private void send(String topic, byte[] key, String json) {
        clients.send(new ProducerRecord<>(topic, 0, key, bytes(json)));
    }

    private ConsumerOptions options(String topic) {
        return TestOptions.quick(kafka.bootstrapServers(), topic + "-group", topic, GroupProtocol.CLASSIC).build();
    }
}
