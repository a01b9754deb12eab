package dev.kafkaprimer.core.consumer.internal;

import java.util.Objects;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Turns a fetched record's bytes into the record a handler sees: the key and the value through the loop's two
 * deserializers, everything else (offset, headers, leader epoch, a share group's delivery count...) as fetched.
 *
 * <p>Both engines fetch bytes and read them here, one record at a time, on the loop thread. So a key or value
 * that cannot be read fails alone, as a poison pill the loop can dead-letter, instead of failing the whole
 * {@code poll()}; and the deserializers, called from one thread only, need not be thread-safe. Not thread-safe
 * itself, for that reason.
 *
 * <p><b>Not API:</b> public only so that {@link dev.kafkaprimer.core.consumer.CommitLoop} can build one; it may
 * change in any release.
 *
 * @param <K> the type of record keys
 * @param <V> the type of record values
 */
public final class RecordDeserializer<K, V> implements AutoCloseable {

    private final Deserializer<K> keys;
    private final Deserializer<V> values;

    /**
     * Reads keys with {@code keys} and values with {@code values}; both are used as given ({@code configure} is
     * not called) and closed by {@link #close()}.
     *
     * @param keys   reads record keys; not null
     * @param values reads record values; not null
     */
    public RecordDeserializer(Deserializer<K> keys, Deserializer<V> values) {
        this.keys = Objects.requireNonNull(keys, "keyDeserializer");
        this.values = Objects.requireNonNull(values, "valueDeserializer");
    }

    /**
     * Reads {@code record}'s key and value.
     *
     * @throws RuntimeException whatever the key or value deserializer threw: the record is a poison pill, and
     *                          no retry will make its bytes readable
     */
    ConsumerRecord<K, V> deserialize(ConsumerRecord<byte[], byte[]> record) {
        K key = keys.deserialize(record.topic(), record.headers(), record.key());
        V value = values.deserialize(record.topic(), record.headers(), record.value());
        return new ConsumerRecord<>(record.topic(), record.partition(), record.offset(), record.timestamp(),
                record.timestampType(), record.serializedKeySize(), record.serializedValueSize(), key, value,
                record.headers(), record.leaderEpoch(), record.deliveryCount());
    }

    /** Closes both deserializers, the value's even if the key's fails. */
    @Override
    public void close() {
        try {
            keys.close();
        } finally {
            values.close();
        }
    }
}
