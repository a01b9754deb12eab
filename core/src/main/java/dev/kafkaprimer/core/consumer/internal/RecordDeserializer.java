package dev.kafkaprimer.core.consumer.internal;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Turns a fetched record's bytes into the record a handler sees: the key as UTF-8 text, the value through the
 * loop's deserializer, everything else (offset, headers, leader epoch...) as fetched.
 *
 * <p>Both engines fetch bytes and read them here, one record at a time, on the loop thread. So a value that
 * cannot be read fails alone, as a poison pill the loop can dead-letter, instead of failing the whole
 * {@code poll()}; and the deserializer, called from one thread only, need not be thread-safe. Not thread-safe
 * itself, for that reason.
 *
 * @param <V> the type of record values
 */
final class RecordDeserializer<V> {

    private final Deserializer<String> keys = new StringDeserializer();
    private final Deserializer<V> values;

    RecordDeserializer(Deserializer<V> values) {
        this.values = values;
    }

    /**
     * Reads {@code record}'s key and value.
     *
     * @throws RuntimeException whatever the key or value deserializer threw: the record is a poison pill, and
     *                          no retry will make its bytes readable
     */
    ConsumerRecord<String, V> deserialize(ConsumerRecord<byte[], byte[]> record) {
        String key = keys.deserialize(record.topic(), record.headers(), record.key());
        V value = values.deserialize(record.topic(), record.headers(), record.value());
        return new ConsumerRecord<>(record.topic(), record.partition(), record.offset(), record.timestamp(),
                record.timestampType(), record.serializedKeySize(), record.serializedValueSize(), key, value,
                record.headers(), record.leaderEpoch());
    }
}
