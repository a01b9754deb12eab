package dev.kafkaprimer.core.consumer.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kafkaprimer.core.consumer.ConsumerOptions;
import dev.kafkaprimer.core.consumer.DeadLetterHeaders;
import dev.kafkaprimer.core.consumer.ProcessingStoppedException;

/**
 * Writes records the loop gives up on to their dead-letter topic and waits for the acknowledgement. The
 * producer is created with the publisher, when the loop starts, so that a bad setting fails the loop at once
 * rather than at its first failure. Thread-safe: a loop with worker threads writes from each of them (Kafka's
 * producer is thread-safe).
 *
 * <p>A dead letter is the original record, byte for byte: key, value, headers and timestamp, with the
 * {@link DeadLetterHeaders} added after the original headers. Keeping the timestamp means that the topic's
 * time-based retention counts from when the record was first written, not from when it failed: give the
 * dead-letter topic a retention longer than the time records may wait before they fail.
 */
final class DeadLetterPublisher {

    /**
     * The attempts at a record and when the first failed; {@code attempts} is 0 for a record not readable.
     * {@code deliveryCount} is the share group's count of deliveries (0 outside a share group: no header then).
     */
    record History(int attempts, long firstFailureMillis, int deliveryCount) {

        History(int attempts, long firstFailureMillis) {
            this(attempts, firstFailureMillis, 0);
        }

        /** A record whose bytes could not be read: the handler never saw it. */
        static History unreadable() {
            return new History(0, System.currentTimeMillis());
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterPublisher.class);
    /** Frames kept of each exception in a dead letter's stack trace: where it was thrown, not the whole stack. */
    static final int FRAMES_PER_EXCEPTION = 8;

    private final DeadLetterRoute route;
    private final LoopEvents events;
    private final Producer<byte[], byte[]> producer;
    /** Set by close(): a handler that outlived the loop may still try to write, and is refused. */
    private volatile boolean closed;

    DeadLetterPublisher(ConsumerOptions options, LoopEvents events) {
        this(DeadLetterRoute.of(options), events);
    }

    DeadLetterPublisher(DeadLetterRoute route, LoopEvents events) {
        this.route = route;
        this.events = events;
        this.producer = new KafkaProducer<>(ClientProperties.deadLetterProducer(route),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Writes {@code record} as a dead letter, with {@code failure} and {@code history} in its headers, and
     * returns once the write is acknowledged by all in-sync replicas.
     *
     * @throws ProcessingStoppedException if the write failed or was not acknowledged in time
     */
    void publish(ConsumerRecord<byte[], byte[]> record, Throwable failure, History history) {
        publishAll(List.of(record), failure, history);
    }

    /**
     * Writes every record of {@code records} as a dead letter with the same {@code failure}: all are sent first,
     * then their acknowledgements are awaited, within one {@code deadLetterTimeout} for all, so that a batch of
     * 500 costs one round trip, not 500.
     *
     * @throws ProcessingStoppedException naming the first record whose write failed or was not acknowledged
     */
    void publishAll(List<ConsumerRecord<byte[], byte[]>> records, Throwable failure, History history) {
        if (closed) {
            throw new ProcessingStoppedException(records.get(0), "the loop has stopped, and closed its dead-letter "
                    + "producer; the record is read again by its partition's next reader", failure);
        }
        long deadline = System.nanoTime() + route.timeout().toNanos();
        String group = route.groupId();
        String stackTrace = stackTrace(failure);
        List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
        for (ConsumerRecord<byte[], byte[]> record : records) {
            String topic = topicFor(route, record, failure);
            try {
                sent.add(producer.send(letter(topic, record, failure, stackTrace, group, history)));
            } catch (KafkaException e) {
                throw new ProcessingStoppedException(record, "could not write it to dead-letter topic " + topic, e);
            }
        }
        for (int i = 0; i < records.size(); i++) {
            await(records.get(i), sent.get(i), deadline, failure);
        }
    }

    /**
     * The dead letter for {@code record}, addressed to its dead-letter topic: for the transactional loop, which
     * writes it with its own producer, inside its transaction.
     *
     * @throws ProcessingStoppedException if the options name no valid dead-letter topic for the record's topic
     */
    static ProducerRecord<byte[], byte[]> letterFor(ConsumerOptions options, ConsumerRecord<byte[], byte[]> record,
                                                    Throwable failure, History history) {
        return letter(topicFor(DeadLetterRoute.of(options), record, failure), record, failure, stackTrace(failure),
                options.groupId(), history);
    }

    private static String topicFor(DeadLetterRoute route, ConsumerRecord<byte[], byte[]> record,
                                   Throwable failure) {
        String topic = route.topicFor().apply(record.topic());
        if (topic == null || topic.isBlank() || topic.equals(record.topic())) {
            throw new ProcessingStoppedException(record, "the dead-letter topic name for " + record.topic()
                    + " is '" + topic + "'; it must be another, valid topic", failure);
        }
        return topic;
    }

    private void await(ConsumerRecord<byte[], byte[]> record, Future<RecordMetadata> sent, long deadline,
                       Throwable failure) {
        String topic = route.topicFor().apply(record.topic());
        try {
            RecordMetadata metadata = sent.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            LOG.warn("Dead-lettered {}-{} offset {} to {}-{} offset {} after {}", record.topic(),
                    record.partition(), record.offset(), topic, metadata.partition(), metadata.offset(),
                    failure.toString());
            events.deadLettered(record, topic, failure);
        } catch (ExecutionException e) {
            throw new ProcessingStoppedException(record, "could not write it to dead-letter topic " + topic,
                    e.getCause());
        } catch (TimeoutException e) {
            throw new ProcessingStoppedException(record, "dead-letter topic " + topic + " did not acknowledge it "
                    + "within " + route.timeout(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProcessingStoppedException(record, "interrupted while writing it to dead-letter topic "
                    + topic, e);
        }
    }

    /** Closes the producer; any later write is refused, none opens a new producer. */
    void close(Duration timeout) {
        closed = true;
        producer.close(timeout);
    }

    private static ProducerRecord<byte[], byte[]> letter(String topic, ConsumerRecord<byte[], byte[]> record,
                                                         Throwable failure, String stackTrace, String group,
                                                         History history) {
        // No partition: the producer picks it from the key. The original timestamp, as the original headers.
        ProducerRecord<byte[], byte[]> letter = new ProducerRecord<>(topic, null, record.timestamp(),
                record.key(), record.value());
        Headers headers = letter.headers();
        record.headers().forEach(headers::add);
        add(headers, DeadLetterHeaders.ORIGINAL_TOPIC, record.topic());
        add(headers, DeadLetterHeaders.ORIGINAL_PARTITION, Integer.toString(record.partition()));
        add(headers, DeadLetterHeaders.ORIGINAL_OFFSET, Long.toString(record.offset()));
        add(headers, DeadLetterHeaders.ORIGINAL_TIMESTAMP, Long.toString(record.timestamp()));
        add(headers, DeadLetterHeaders.EXCEPTION_CLASS, failure.getClass().getName());
        if (failure.getMessage() != null) {
            add(headers, DeadLetterHeaders.EXCEPTION_MESSAGE, failure.getMessage());
        }
        add(headers, DeadLetterHeaders.ROOT_CAUSE_CLASS, FailureChain.root(failure).getClass().getName());
        add(headers, DeadLetterHeaders.STACK_TRACE, stackTrace);
        add(headers, DeadLetterHeaders.CONSUMER_GROUP, group);
        add(headers, DeadLetterHeaders.ATTEMPTS, Integer.toString(history.attempts()));
        add(headers, DeadLetterHeaders.FIRST_FAILURE, Long.toString(history.firstFailureMillis()));
        add(headers, DeadLetterHeaders.LAST_FAILURE, Long.toString(System.currentTimeMillis()));
        if (history.deliveryCount() > 0) {
            add(headers, DeadLetterHeaders.DELIVERY_COUNT, Integer.toString(history.deliveryCount()));
        }
        return letter;
    }

    /**
     * The failure and each of its causes, as {@code printStackTrace} names them, each with its first
     * {@value #FRAMES_PER_EXCEPTION} frames only, so that the causes (what really went wrong) fit in the bound
     * even below a deep framework stack; then cut to the header's bound.
     */
    static String stackTrace(Throwable failure) {
        StringBuilder trace = new StringBuilder();
        for (Throwable link : FailureChain.links(failure)) {
            trace.append(link == failure ? "" : "Caused by: ").append(link).append('\n');
            StackTraceElement[] frames = link.getStackTrace();
            for (int i = 0; i < Math.min(FRAMES_PER_EXCEPTION, frames.length); i++) {
                trace.append("\tat ").append(frames[i]).append('\n');
            }
            if (frames.length > FRAMES_PER_EXCEPTION) {
                trace.append("\t... ").append(frames.length - FRAMES_PER_EXCEPTION).append(" more\n");
            }
        }
        int max = DeadLetterHeaders.MAX_STACK_TRACE_CHARS;
        return trace.length() <= max ? trace.toString() : trace.substring(0, max - 3) + "...";
    }

    private static void add(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
