package dev.kafkaprimer.examples.bench;

import java.time.Duration;
import java.util.concurrent.Future;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kafkaprimer.core.producer.JsonProducer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One side's producer, behind the same three calls, so that every timed loop is the same code for both sides.
 * Not thread-safe: one sending thread.
 */
interface Sender extends AutoCloseable {

    /** How long closing may take; by then every record was flushed, so closing is quick. */
    Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    /**
     * Sends {@code event} keyed by its key; the broker's answer reaches {@code acks} by the end of the next
     * {@link #flush()}.
     */
    void send(String topic, BenchEvent event, AckCounter acks) throws JsonProcessingException;

    /**
     * Sends {@code event} keyed by its key the way most code does: with the send that returns a future, which the
     * caller keeps and reads after {@link #flush()}.
     */
    Future<?> sendWithFuture(String topic, BenchEvent event) throws JsonProcessingException;

    /**
     * Blocks until every record sent so far is acknowledged or failed, and counted. Bounded without a timeout
     * of its own: after {@code delivery.timeout.ms} (2 minutes, on both sides) every record has one or the other.
     */
    void flush();

    @Override
    void close();

    static Sender of(Side side, BenchClients clients, ObjectMapper mapper) {
        return side == Side.OURS ? new Ours(clients, mapper) : new Raw(clients, mapper);
    }

    /**
     * {@code JsonProducer}: typed values in, JSON written by the library with the given mapper, outcomes counted
     * by the same shared callback as the raw side's, through {@code JsonProducer.send(..., Callback)}.
     */
    final class Ours implements Sender {
        private final JsonProducer<String, BenchEvent> producer;

        Ours(BenchClients clients, ObjectMapper mapper) {
            this.producer = JsonProducer.create(clients.producerOptions(), new StringSerializer(), mapper);
        }

        @Override
        public void send(String topic, BenchEvent event, AckCounter acks) {
            producer.send(topic, event.key(), event, acks);
        }

        @Override
        public Future<?> sendWithFuture(String topic, BenchEvent event) {
            return producer.send(topic, event.key(), event);
        }

        @Override
        public void flush() {
            producer.flush();
        }

        @Override
        public void close() {
            producer.close(CLOSE_TIMEOUT);
        }
    }

    /** What a user writes by hand: a {@code KafkaProducer<String, byte[]>}, serializing with the mapper. */
    final class Raw implements Sender {
        private final KafkaProducer<String, byte[]> producer;
        private final ObjectMapper mapper;

        Raw(BenchClients clients, ObjectMapper mapper) {
            this.producer = new KafkaProducer<>(clients.rawProducer(), new StringSerializer(),
                    new ByteArraySerializer());
            this.mapper = mapper;
        }

        @Override
        public void send(String topic, BenchEvent event, AckCounter acks) throws JsonProcessingException {
            producer.send(new ProducerRecord<>(topic, event.key(), mapper.writeValueAsBytes(event)), acks);
        }

        @Override
        public Future<?> sendWithFuture(String topic, BenchEvent event) throws JsonProcessingException {
            return producer.send(new ProducerRecord<>(topic, event.key(), mapper.writeValueAsBytes(event)));
        }

        @Override
        public void flush() {
            producer.flush();
        }

        @Override
        public void close() {
            producer.close(CLOSE_TIMEOUT);
        }
    }
}
