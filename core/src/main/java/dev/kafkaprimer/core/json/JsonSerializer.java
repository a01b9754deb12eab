package dev.kafkaprimer.core.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A Kafka {@link Serializer} writing any Java object as UTF-8 JSON bytes with the given {@link ObjectMapper}.
 * {@code null} stays {@code null} (a tombstone on a compacted topic). Failures are Kafka's
 * {@link SerializationException}, naming the topic and the value's type, with Jackson's error as cause.
 *
 * <p>Thread-safe if the mapper is not reconfigured after use.
 *
 * @param <T> the type of values written
 */
public final class JsonSerializer<T> implements Serializer<T> {

    private final ObjectMapper mapper;

    /**
     * A serializer over {@code mapper} (not copied).
     *
     * @param mapper the configured mapper, for example {@link Json#defaultMapper()}; not null
     */
    public JsonSerializer(ObjectMapper mapper) {
        this.mapper = java.util.Objects.requireNonNull(mapper, "mapper");
    }

    @Override
    public byte[] serialize(String topic, T value) {
        if (value == null) {
            return null;
        }
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new SerializationException("cannot write a " + value.getClass().getName()
                    + " as JSON for topic " + topic + ": " + e.getOriginalMessage(), e);
        }
    }
}
