package dev.kafkaprimer.core.producer;

import java.time.Instant;

import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Where the broker stored a record: the answer to a successful send.
 *
 * @param topic     the record's topic
 * @param partition the partition it went to, counted from 0
 * @param offset    its position in that partition, or {@code -1} when the producer did not wait for the
 *                  broker ({@link Acks#NONE})
 * @param timestamp the record's timestamp: the producer's clock at send time, or the broker's when the topic
 *                  uses {@code message.timestamp.type=LogAppendTime}
 */
public record SendResult(String topic, int partition, long offset, Instant timestamp) {

    static SendResult of(RecordMetadata metadata) {
        return new SendResult(metadata.topic(), metadata.partition(), metadata.offset(),
                Instant.ofEpochMilli(metadata.timestamp()));
    }
}
