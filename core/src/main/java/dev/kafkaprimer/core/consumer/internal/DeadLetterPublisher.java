package dev.kafkaprimer.core.consumer.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
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
 * producer is created on first use, so a loop that never dead-letters never opens it. Thread-safe: a loop with
 * worker threads writes from each of them (Kafka's producer is thread-safe).
 */
final class DeadLetterPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterPublisher.class);

    private final ConsumerOptions options;
    private Producer<byte[], byte[]> producer;

    DeadLetterPublisher(ConsumerOptions options) {
        this.options = options;
    }

    /**
     * Writes {@code record}'s key and value bytes, its headers and the {@link DeadLetterHeaders} to its
     * dead-letter topic, and returns once the write is acknowledged by all in-sync replicas.
     *
     * @throws ProcessingStoppedException if the write failed or was not acknowledged in time
     */
    void publish(ConsumerRecord<byte[], byte[]> record, Throwable failure) {
        String topic = options.deadLetterTopicFor(record.topic());
        if (topic == null || topic.isBlank() || topic.equals(record.topic())) {
            throw new ProcessingStoppedException(record, "the dead-letter topic name for " + record.topic()
                    + " is '" + topic + "'; it must be another, valid topic", failure);
        }
        long deadline = System.nanoTime() + options.deadLetterTimeout().toNanos();
        try {
            var sent = producer().send(letter(topic, record, failure));
            var metadata = sent.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            LOG.warn("Dead-lettered {}-{} offset {} to {}-{} offset {} after {}", record.topic(),
                    record.partition(), record.offset(), topic, metadata.partition(), metadata.offset(),
                    failure.toString());
        } catch (ExecutionException e) {
            throw new ProcessingStoppedException(record, "could not write it to dead-letter topic " + topic,
                    e.getCause());
        } catch (TimeoutException e) {
            throw new ProcessingStoppedException(record, "dead-letter topic " + topic + " did not acknowledge it "
                    + "within " + options.deadLetterTimeout(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProcessingStoppedException(record, "interrupted while writing it to dead-letter topic "
                    + topic, e);
        } catch (KafkaException e) {
            throw new ProcessingStoppedException(record, "could not write it to dead-letter topic " + topic, e);
        }
    }

    synchronized void close(Duration timeout) {
        if (producer != null) {
            producer.close(timeout);
        }
    }

    private synchronized Producer<byte[], byte[]> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(ClientProperties.deadLetterProducer(options),
                    new ByteArraySerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    private static ProducerRecord<byte[], byte[]> letter(String topic, ConsumerRecord<byte[], byte[]> record,
                                                         Throwable failure) {
        // No partition and no timestamp: the producer picks the partition from the key, and stamps the time.
        ProducerRecord<byte[], byte[]> letter = new ProducerRecord<>(topic, record.key(), record.value());
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
        return letter;
    }

    private static void add(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
