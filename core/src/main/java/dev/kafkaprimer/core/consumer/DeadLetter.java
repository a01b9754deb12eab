package dev.kafkaprimer.core.consumer;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * One record of a dead-letter topic, read back: where it came from, why it failed, how often it was tried, and
 * the original record (key, value, headers, timestamp) as it was. {@link DeadLetterReader} reads a topic's
 * dead letters; {@link #of(ConsumerRecord)} reads one.
 *
 * <pre>{@code
 * for (DeadLetter letter : DeadLetterReader.readAll(Map.of("bootstrap.servers", servers), "orders.DLT", timeout)) {
 *     System.out.println(letter.original() + ", " + letter.attempts().orElse(0) + " attempt(s): " + letter.reason());
 * }
 * }</pre>
 *
 * <p>Dead letters written before a header existed (by an older version of this library) simply lack it: those
 * accessors return an empty {@code Optional}. Immutable and thread-safe (the byte arrays of the wrapped record
 * are not copied: do not change them).
 */
public final class DeadLetter {

    private final ConsumerRecord<byte[], byte[]> letter;
    private final TopicPartition original;
    private final long originalOffset;

    private DeadLetter(ConsumerRecord<byte[], byte[]> letter, TopicPartition original, long originalOffset) {
        this.letter = letter;
        this.original = original;
        this.originalOffset = originalOffset;
    }

    /**
     * Reads {@code record} as a dead letter.
     *
     * @param record a record of a dead-letter topic, as fetched; not null
     * @return the dead letter; empty if the record lacks the {@link DeadLetterHeaders} that say where it came
     *         from (it was not written by a {@link CommitLoop}), or they are not numbers
     */
    public static Optional<DeadLetter> of(ConsumerRecord<byte[], byte[]> record) {
        Objects.requireNonNull(record, "record");
        Optional<String> topic = DeadLetterHeaders.read(record.headers(), DeadLetterHeaders.ORIGINAL_TOPIC);
        Optional<String> partition = DeadLetterHeaders.read(record.headers(), DeadLetterHeaders.ORIGINAL_PARTITION);
        Optional<String> offset = DeadLetterHeaders.read(record.headers(), DeadLetterHeaders.ORIGINAL_OFFSET);
        if (topic.isEmpty() || partition.isEmpty() || offset.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new DeadLetter(record,
                    new TopicPartition(topic.get(), Integer.parseInt(partition.get())), Long.parseLong(offset.get())));
        } catch (NumberFormatException notANumber) {
            return Optional.empty();
        }
    }

    /**
     * The dead letter itself, as fetched: its key, value and timestamp are the original record's, and it has the
     * original headers followed by the {@link DeadLetterHeaders}.
     *
     * @return the fetched record
     */
    public ConsumerRecord<byte[], byte[]> letter() {
        return letter;
    }

    /**
     * Where the dead letter itself is: the dead-letter topic's partition and offset, for logs and progress.
     *
     * @return for example {@code orders.DLT-0@3}
     */
    public String position() {
        return letter.topic() + "-" + letter.partition() + "@" + letter.offset();
    }

    /**
     * The topic and partition the record was read from.
     *
     * @return the original partition
     */
    public TopicPartition originalPartition() {
        return original;
    }

    /**
     * The record's offset in its original partition.
     *
     * @return the original offset
     */
    public long originalOffset() {
        return originalOffset;
    }

    /**
     * Where the record was read from, in one word.
     *
     * @return for example {@code orders-2@1041}
     */
    public String original() {
        return original + "@" + originalOffset;
    }

    /**
     * The class of the failure, such as {@code java.lang.IllegalStateException}.
     *
     * @return the class name; empty if the header is missing
     */
    public Optional<String> exceptionClass() {
        return text(DeadLetterHeaders.EXCEPTION_CLASS);
    }

    /**
     * The failure's message.
     *
     * @return the message; empty if the exception had none
     */
    public Optional<String> exceptionMessage() {
        return text(DeadLetterHeaders.EXCEPTION_MESSAGE);
    }

    /**
     * The class of the last exception of the failure's cause chain.
     *
     * @return the class name; empty if the header is missing
     */
    public Optional<String> rootCauseClass() {
        return text(DeadLetterHeaders.ROOT_CAUSE_CLASS);
    }

    /**
     * The failure in a few words: the exception's simple class name and its message, the root cause's simple
     * name added when it is another class.
     *
     * @return for example {@code IllegalStateException: the ledger call failed (root cause: IOException)}
     */
    public String reason() {
        String failure = simpleName(exceptionClass().orElse("unknown failure"));
        String reason = exceptionMessage().map(message -> failure + ": " + message).orElse(failure);
        String root = simpleName(rootCauseClass().orElse(exceptionClass().orElse("")));
        return root.equals(failure) || root.isEmpty() ? reason : reason + " (root cause: " + root + ")";
    }

    /**
     * The consumer group that gave the record up.
     *
     * @return the group id; empty if the header is missing
     */
    public Optional<String> consumerGroup() {
        return text(DeadLetterHeaders.CONSUMER_GROUP);
    }

    /**
     * How often the handler was called for the record: 0 for a record that could not be read.
     *
     * @return the attempts; empty if the header is missing
     */
    public OptionalInt attempts() {
        return number(DeadLetterHeaders.ATTEMPTS);
    }

    /**
     * How many times a share group had delivered the record when its share loop gave up on it.
     *
     * @return the delivery count; empty for a letter of a consumer group, or if the header is missing
     */
    public OptionalInt deliveryCount() {
        return number(DeadLetterHeaders.DELIVERY_COUNT);
    }

    private OptionalInt number(String header) {
        Optional<String> value = text(header);
        try {
            return value.isEmpty() ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(value.get()));
        } catch (NumberFormatException notANumber) {
            return OptionalInt.empty();
        }
    }

    /**
     * When the first attempt failed.
     *
     * @return the time; empty if the header is missing
     */
    public Optional<Instant> firstFailure() {
        return time(DeadLetterHeaders.FIRST_FAILURE);
    }

    /**
     * When the last attempt failed: when the record was given up.
     *
     * @return the time; empty if the header is missing
     */
    public Optional<Instant> lastFailure() {
        return time(DeadLetterHeaders.LAST_FAILURE);
    }

    /**
     * The original record's headers, without the {@link DeadLetterHeaders}.
     *
     * @return a new, changeable copy
     */
    public Headers originalHeaders() {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : letter.headers()) {
            if (!header.key().startsWith(DeadLetterHeaders.PREFIX)) {
                headers.add(header);
            }
        }
        return headers;
    }

    /**
     * The record to send back to its original topic for another try: the original key, value, timestamp and
     * headers, plus {@link DeadLetterHeaders#REPLAYED_FROM} naming this dead letter. The partition is left to
     * the producer, which picks it from the key as it did the first time (unless the topic has grown since).
     *
     * @return a record for a byte-array producer
     */
    public ProducerRecord<byte[], byte[]> replay() {
        Headers headers = originalHeaders();
        headers.add(DeadLetterHeaders.REPLAYED_FROM, position().getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(original.topic(), null, letter.timestamp(), letter.key(), letter.value(), headers);
    }

    @Override
    public String toString() {
        return "DeadLetter{" + position() + " from " + original() + ": " + reason() + "}";
    }

    private Optional<String> text(String header) {
        return DeadLetterHeaders.read(letter.headers(), header);
    }

    private Optional<Instant> time(String header) {
        try {
            return text(header).map(Long::parseLong).map(Instant::ofEpochMilli);
        } catch (NumberFormatException notANumber) {
            return Optional.empty();
        }
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }
}
