package dev.kafkaprimer.core.json;

import java.io.IOException;
import java.util.Objects;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * A Kafka {@link Deserializer} reading UTF-8 JSON bytes into a {@code T} with the given {@link ObjectMapper}.
 * {@code null} bytes (a tombstone) give {@code null}. Bad JSON or a wrong shape is Kafka's
 * {@link SerializationException}, naming the topic and the target type, with Jackson's error as cause.
 *
 * <p>Thread-safe if the mapper is not reconfigured after use.
 *
 * @param <T> the type values are read into
 */
public final class JsonDeserializer<T> implements Deserializer<T> {

    private final ObjectMapper mapper;
    private final JavaType type;

    /**
     * A deserializer producing {@code type} with {@code mapper} (not copied).
     *
     * @param mapper the configured mapper, for example {@link Json#defaultMapper()}; not null
     * @param type   the class to read each record into; not null
     */
    public JsonDeserializer(ObjectMapper mapper, Class<T> type) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.type = mapper.constructType(Objects.requireNonNull(type, "type"));
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            return mapper.readValue(data, type);
        } catch (IOException e) {
            throw new SerializationException("cannot read JSON from topic " + topic + " as "
                    + type.getRawClass().getName() + ": " + e.getMessage(), e);
        }
    }
}
