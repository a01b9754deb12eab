package dev.kafkaprimer.core.consumer;

import java.util.UUID;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.UUIDDeserializer;

import dev.kafkaprimer.core.json.Json;
import dev.kafkaprimer.core.json.JsonDeserializer;

/**
 * The common key formats, read back on the consumer's side: give one to
 * {@link CommitLoop#create(ConsumerOptions, Deserializer, Deserializer, RecordHandler)} with the counterpart of
 * the key serializer the producer used. Each call returns a new deserializer, so every loop owns (and closes)
 * its own.
 *
 * <p>A key deserializer must match the producer's key serializer: the bytes carry no type. Read with the wrong
 * one, a key either fails (a {@code Long} key of 8 bytes read as a {@code UUID}) and its record goes to the
 * dead-letter topic as a poison pill, bytes untouched; or it is read as something else without an error (a
 * {@code Long} 42 read as text is {@code "\0\0\0\0\0\0\0*"}). Every one of them gives {@code null} for a record
 * without a key.
 *
 * <p>Thread-safety: the deserializers are stateless; the loop calls them on its own thread only.
 */
public final class KeyDeserializers {

    private KeyDeserializers() {
    }

    /**
     * Keys as UTF-8 text, the loop's default; the counterpart of Kafka's {@code StringSerializer}.
     *
     * @return a new deserializer
     */
    public static Deserializer<String> text() {
        return new StringDeserializer();
    }

    /**
     * Keys as 8-byte big-endian numbers; the counterpart of Kafka's {@code LongSerializer}. A key of another
     * length is unreadable (a poison pill).
     *
     * @return a new deserializer
     */
    public static Deserializer<Long> longs() {
        return new LongDeserializer();
    }

    /**
     * Keys as UUIDs in their 36-character text form; the counterpart of Kafka's {@code UUIDSerializer}. A key that
     * is not a UUID's text is unreadable (a poison pill).
     *
     * @return a new deserializer
     */
    public static Deserializer<UUID> uuids() {
        return new UUIDDeserializer();
    }

    /**
     * Keys as the bytes that were sent, untouched; the counterpart of Kafka's {@code ByteArraySerializer}. Every
     * key is readable. With {@link Ordering#KEY}, records whose keys hold the same bytes share a lane, although
     * two {@code byte[]} arrays are never {@code equals}: the loop orders by the fetched bytes, not by the key
     * object.
     *
     * @return a new deserializer
     */
    public static Deserializer<byte[]> bytes() {
        return new ByteArrayDeserializer();
    }

    /**
     * Keys as UTF-8 JSON read into {@code type} with {@link Json#defaultMapper()}; the counterpart of a
     * {@code JsonSerializer} used for keys. Bad JSON, or JSON of another shape, is unreadable (a poison pill).
     *
     * @param type the class keys are read into, such as a record; not null
     * @param <K>  the type of record keys
     * @return a new deserializer
     */
    public static <K> Deserializer<K> json(Class<K> type) {
        return new JsonDeserializer<>(Json.defaultMapper(), type);
    }
}
