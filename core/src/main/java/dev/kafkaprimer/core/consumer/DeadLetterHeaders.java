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
 * kafka-primer.dlt.root-cause-class    com.fasterxml.jackson.core.JsonParseException
 * kafka-primer.dlt.stack-trace         org.apache.kafka...SerializationException: cannot read ...\n\tat ...
 * kafka-primer.dlt.consumer-group      billing
 * kafka-primer.dlt.attempts            3   (handler calls; 0 for a record that could not be read)
 * kafka-primer.dlt.first-failure       1764067200123   (milliseconds since the epoch)
 * kafka-primer.dlt.last-failure        1764067200731
 * </pre>
 *
 * <p>The dead letter's key, value and timestamp are the original record's, byte for byte, and so are its own
 * headers, which come first: a header the application set is still there for whoever replays it.
 *
 * <p>Thread-safe (constants and a stateless method).
 */
public final class DeadLetterHeaders {

    /** What every one of these headers' names starts with. */
    public static final String PREFIX = "kafka-primer.dlt.";
    /**
     * Set on a record sent back from a dead-letter topic to its original topic ({@link DeadLetter#replay()}):
     * which dead letter it is, such as {@code orders.DLT-0@3}. Not on dead letters themselves.
     */
    public static final String REPLAYED_FROM = "kafka-primer.dlt.replayed-from";
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
    /**
     * The class of the last exception in the failure's cause chain: what really went wrong when the handler
     * wrapped it (a {@code RuntimeException} around an {@code SQLException}); the failure's own class if it has
     * no cause.
     */
    public static final String ROOT_CAUSE_CLASS = "kafka-primer.dlt.root-cause-class";
    /**
     * The failure's stack trace with its causes ({@code Caused by: ...}), in {@code printStackTrace}'s form but
     * with only the first 8 frames of each exception, so that the causes fit below a deep framework stack; cut
     * to at most {@value #MAX_STACK_TRACE_CHARS} characters (the cut ends in {@code ...}), so that no trace can
     * make the dead letter too large for the topic.
     */
    public static final String STACK_TRACE = "kafka-primer.dlt.stack-trace";
    /** The consumer group that gave up on the record. */
    public static final String CONSUMER_GROUP = "kafka-primer.dlt.consumer-group";
    /**
     * How many times the handler was called for the record, in decimal: the retry policy's maximum, fewer for a
     * failure that is not retried, 0 for a record whose key or value could not be read.
     */
    public static final String ATTEMPTS = "kafka-primer.dlt.attempts";
    /**
     * Share groups only: how many times the broker had delivered the record when the share loop gave up on it,
     * in decimal; counts deliveries to members that crashed too. Absent from letters of a consumer group.
     */
    public static final String DELIVERY_COUNT = "kafka-primer.dlt.delivery-count";
    /** When the first attempt failed (or the record could not be read), milliseconds since the epoch. */
    public static final String FIRST_FAILURE = "kafka-primer.dlt.first-failure";
    /** When the last attempt failed, milliseconds since the epoch. */
    public static final String LAST_FAILURE = "kafka-primer.dlt.last-failure";

    /** The longest {@link #STACK_TRACE}, in characters. */
    public static final int MAX_STACK_TRACE_CHARS = 4096;

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
