package dev.kafkaprimer.core.json;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;

/**
 * Reads and writes the common {@code java.time} types as their ISO-8601 text ({@code "2026-11-25T10:15:30Z"},
 * {@code "PT1.5S"}), the form {@code toString()} and {@code parse()} use, so any JSON reader understands it.
 *
 * <p>Why not Jackson's {@code jackson-datatype-jsr310}? The core library promises exactly three dependencies
 * (kafka-clients, jackson-databind, slf4j-api); these seven types cover what events carry. A user who wants
 * the full module registers it on their own {@code ObjectMapper} and passes that in.
 */
final class JavaTimeModule extends SimpleModule {

    JavaTimeModule() {
        super("kafka-primer-java-time");
        add(Instant.class, Instant::parse);
        add(LocalDate.class, LocalDate::parse);
        add(LocalDateTime.class, LocalDateTime::parse);
        add(LocalTime.class, LocalTime::parse);
        add(OffsetDateTime.class, OffsetDateTime::parse);
        add(ZonedDateTime.class, ZonedDateTime::parse);
        add(Duration.class, Duration::parse);
    }

    private <T> void add(Class<T> type, Function<String, T> parse) {
        addSerializer(type, ToStringSerializer.instance);
        addDeserializer(type, new IsoTextDeserializer<>(type, parse));
    }

    private static final class IsoTextDeserializer<T> extends StdScalarDeserializer<T> {
        private final transient Function<String, T> parse;

        IsoTextDeserializer(Class<T> type, Function<String, T> parse) {
            super(type);
            this.parse = parse;
        }

        @Override
        public T deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String text = parser.getValueAsString();
            if (text == null) {
                @SuppressWarnings("unchecked")
                T handled = (T) context.handleUnexpectedToken(handledType(), parser);
                return handled;
            }
            try {
                return parse.apply(text.trim());
            } catch (DateTimeParseException e) {
                @SuppressWarnings("unchecked")
                T handled = (T) context.handleWeirdStringValue(handledType(), text,
                        "not an ISO-8601 %s: %s", handledType().getSimpleName(), e.getMessage());
                return handled;
            }
        }
    }
}
