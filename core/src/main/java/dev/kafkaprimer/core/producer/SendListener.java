package dev.kafkaprimer.core.producer;

import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Told the outcome of every send of a {@link JsonProducer}, with how long it took: for metrics. Register one or
 * more with {@link ProducerOptions.Builder#listener(SendListener)}; both methods have empty defaults.
 *
 * <p><b>Threads.</b> Called on the producer's network thread, like a kafka-clients callback, once the broker
 * answered; for a record that never reached the producer (it could not be serialized, the producer is closed)
 * on the thread that called {@code send}, before {@code send} returns. So a listener must be thread-safe and
 * quick, and must not call {@code flush()} or {@code close()}. One that throws is logged (the first time with
 * its stack trace) and never changes the send's outcome. With none registered, sends are not timed at all.
 */
public interface SendListener {

    /**
     * The broker stored the record.
     *
     * @param metadata     where: topic, partition, offset
     * @param latencyNanos from the call to {@code send} to the broker's answer
     */
    default void sendAcknowledged(RecordMetadata metadata, long latencyNanos) {
    }

    /**
     * The record was not stored.
     *
     * @param topic        the topic it was for
     * @param failure      why, as the send reports it
     * @param latencyNanos from the call to {@code send} to the failure
     */
    default void sendFailed(String topic, Exception failure, long latencyNanos) {
    }
}
