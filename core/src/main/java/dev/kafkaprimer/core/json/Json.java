package dev.kafkaprimer.core.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The JSON settings Kafka Primer uses for record values, in one place.
 *
 * <p>{@link #defaultMapper()} gives a new {@link ObjectMapper} that writes Java records and plain classes,
 * {@code java.time} values as ISO-8601 text, {@code BigDecimal} without exponent ({@code 12.50}, not
 * {@code 1.25E+1}), and dates never as numbers; when reading, unknown fields are ignored (a producer may add
 * fields before its consumers learn them) while a wrong type or malformed JSON is an error.
 *
 * <p>An {@code ObjectMapper} is thread-safe once configured: share one per application.
 */
public final class Json {

    private Json() {
    }

    /**
     * A newly configured mapper; see the class description for what it does.
     *
     * @return a new mapper, not shared with any other caller
     */
    public static ObjectMapper defaultMapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }
}
