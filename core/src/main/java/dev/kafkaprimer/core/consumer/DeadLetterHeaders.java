package dev.kafkaprimer.core.consumer;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The headers a {@link CommitLoop} adds to each record it writes to a dead-letter topic, saying where the
 * record came from and why it failed. The dead letter keeps the original key and value bytes untouched, and
 * the original headers before these.
 *
 * <p>Every value is UTF-8 text, so command-line tools show them as they are:
 * <pre>
 * kafka-primer.dlt.original-topic      orders
 * kafka-primer.dlt.original-partition  2
 * kafka-primer.dlt.original-offset     1041
 * kafka-primer.dlt.original-timestamp  1764067200000   (milliseconds since the epoch)
 * kafka-primer.dlt.exception-class     org.apache.kafka.common.errors.SerializationException
 * kafka-primer.dlt.exception-message   cannot read JSON from topic orders as ... (absent if it had none)
 * </pre>
 *
 * <p>Thread-safe (constants and a stateless method).
 */
public final class DeadLetterHeaders {

    /** The topic the record was read from. */
    public static final String ORIGINAL_TOPIC = "kafka-primer.dlt.original-topic";
    /** The partition it was read from, in decimal. */
    public static final String ORIGINAL_PARTITION = "kafka-primer.dlt.original-partition";
    /** Its offset in that partition, in decimal. */
    public static final String ORIGINAL_OFFSET = "kafka-primer.dlt.original-offset";
    /** Its timestamp, in milliseconds since the epoch, in decimal. */
    public static final String ORIGINAL_TIMESTAMP = "kafka-primer.dlt.original-timestamp";
    /**
     * The class of the failure: the handler's exception after the last attempt, or the deserializer's for a
     * value that could not be read (a poison pill).
     */
    public static final String EXCEPTION_CLASS = "kafka-primer.dlt.exception-class";
    /** The failure's message; the header is left out when the exception had no message. */
    public static final String EXCEPTION_MESSAGE = "kafka-primer.dlt.exception-message";

    private DeadLetterHeaders() {
    }

    /**
     * Reads one of these headers from a dead letter.
     *
     * @param headers the dead letter's headers; not null
     * @param name    the header, one of the constants of this class; not null
     * @return the last header of that name as text, or empty if there is none
     */
    public static Optional<String> read(Headers headers, String name) {
        Objects.requireNonNull(name, "name");
        Header header = Objects.requireNonNull(headers, "headers").lastHeader(name);
        return header == null || header.value() == null
                ? Optional.empty()
                : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }
}
