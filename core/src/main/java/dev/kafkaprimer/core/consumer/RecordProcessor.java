package dev.kafkaprimer.core.consumer;

import java.time.Duration;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes one record from raw bytes to finished: deserializes it, hands it to the handler, retries with
 * backoff, and dead-letters what cannot be processed. Loop thread only.
 *
 * @param <V> the type of record values
 */
final class RecordProcessor<V> {

    /** Waits before a retry while keeping the consumer alive; false if the record's partition left us meanwhile. */
    @FunctionalInterface
    interface RetryWait {
        boolean await(TopicPartition partition, Duration delay);
    }

    private static final Logger LOG = LoggerFactory.getLogger(RecordProcessor.class);

    private final Deserializer<String> keys = new StringDeserializer();
    private final Deserializer<V> values;
    private final RecordHandler<V> handler;
    private final RetryPolicy retry;
    private final DeadLetterPublisher deadLetters;
    private final RetryWait retryWait;

    RecordProcessor(Deserializer<V> values, RecordHandler<V> handler, RetryPolicy retry,
                    DeadLetterPublisher deadLetters, RetryWait retryWait) {
        this.values = values;
        this.handler = handler;
        this.retry = retry;
        this.deadLetters = deadLetters;
        this.retryWait = retryWait;
    }

    /**
     * Processes {@code record} of {@code partition} until it is finished: handled, or written to the dead-letter
     * topic.
     *
     * @return true when finished, so its offset may be committed; false when it was given up unfinished
     *         because its partition was revoked or the loop is closing (its next reader will process it)
     * @throws ProcessingStoppedException if the handler asked to stop, or the dead-letter write failed
     */
    boolean process(TopicPartition partition, ConsumerRecord<byte[], byte[]> record) {
        ConsumerRecord<String, V> typed;
        try {
            typed = deserialize(record);
        } catch (RuntimeException poisonPill) {
            // No retry can make these bytes readable: dead-letter them untouched, and move on.
            deadLetters.publish(record, poisonPill);
            return true;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                handler.handle(typed);
                return true;
            } catch (StopProcessingException stop) {
                throw new ProcessingStoppedException(record, "the handler asked to stop", stop);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new ProcessingStoppedException(record, "the handler was interrupted", interrupted);
            } catch (Exception failure) {
                if (attempt >= retry.maxAttempts()) {
                    deadLetters.publish(record, failure);
                    return true;
                }
                Duration delay = retry.delayAfter(attempt);
                LOG.warn("Attempt {} of {} failed for {}-{} offset {}, retrying in {} ms: {}", attempt,
                        retry.maxAttempts(), record.topic(), record.partition(), record.offset(),
                        delay.toMillis(), failure.toString());
                if (!retryWait.await(partition, delay)) {
                    return false;
                }
            }
        }
    }

    private ConsumerRecord<String, V> deserialize(ConsumerRecord<byte[], byte[]> record) {
        String key = keys.deserialize(record.topic(), record.headers(), record.key());
        V value = values.deserialize(record.topic(), record.headers(), record.value());
        return new ConsumerRecord<>(record.topic(), record.partition(), record.offset(), record.timestamp(),
                record.timestampType(), record.serializedKeySize(), record.serializedValueSize(), key, value,
                record.headers(), record.leaderEpoch());
    }
}
