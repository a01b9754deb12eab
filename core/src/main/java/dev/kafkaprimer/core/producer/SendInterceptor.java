package dev.kafkaprimer.core.producer;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;

/**
 * Sees each record of a {@link JsonProducer} just before kafka-clients gets it, and may add headers: the W3C
 * {@code traceparent} of the caller's current span (the {@code kafka-primer-micrometer} module's
 * {@code ObservedSends} does), a correlation id from the logging context. Register one or more with
 * {@link ProducerOptions.Builder#interceptor(SendInterceptor)}; they run in the order added.
 *
 * <pre>{@code
 * SendInterceptor correlate = (topic, headers) -> {
 *     headers.add("correlation-id", MDC.get("request").getBytes(StandardCharsets.UTF_8));
 *     return null; // no need to hear how the send ends
 * };
 * }</pre>
 *
 * <p><b>Threads.</b> {@link #beforeSend} runs on the thread that calls {@code send}, after the key and value are
 * serialized (a record that cannot be is never shown), so the caller's thread-locals, such as the current span,
 * are there to read. The {@link Completion} it returns runs once, on the producer's network thread when the
 * broker answers, or on the calling thread when the record never reached kafka-clients (a closed producer, say).
 * Both must be quick and thread-safe, and must not call {@code flush()} or {@code close()}.
 *
 * <p><b>Failures.</b> An interceptor that throws does not stop the send: the record goes out with whatever
 * headers it had, and the failure is logged (the first time with its stack trace, later at DEBUG), as
 * kafka-clients treats its own {@code ProducerInterceptor}. A completion that throws is logged the same way.
 */
@FunctionalInterface
public interface SendInterceptor {

    /**
     * Called once for each record about to be sent.
     *
     * @param topic   the record's topic
     * @param headers the record's headers, to read and add to; they are sent as they stand when this returns
     * @return told how the send ended, or null when this interceptor does not need to know
     */
    Completion beforeSend(String topic, Headers headers);

    /** How one send ended, for the interceptor that saw it start (to end a span, say). */
    @FunctionalInterface
    interface Completion {

        /**
         * The send ended.
         *
         * @param metadata where the record was stored; null if it was not
         * @param failure  why it was not stored; null if it was
         */
        void completed(RecordMetadata metadata, Exception failure);
    }
}
