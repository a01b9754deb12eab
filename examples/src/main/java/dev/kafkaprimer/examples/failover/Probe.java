package dev.kafkaprimer.examples.failover;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One {@code acks=all} write to one partition, by a producer of its own, and what came of it: the offset, or the
 * exception the application is handed. Its value is not a number, so {@link ReadBack} tells it apart.
 */
record Probe(RecordMetadata written, Throwable error, long tookMs) {

    /** How the probing producer handles a retriable error such as NOT_ENOUGH_REPLICAS. */
    enum Retries {
        /** No retries (and so no idempotence): the first error is the answer. */
        NONE,
        /** Retries and idempotence, as in production: the error ends as a timeout after delivery.timeout.ms. */
        UNTIL_DELIVERY_TIMEOUT
    }

    static final Duration SHORT_DELIVERY_TIMEOUT = Duration.ofSeconds(3);

    static Probe send(Map<String, Object> client, String topic, int partition, String value, Retries retries)
            throws InterruptedException {
        long began = System.nanoTime();
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(config(client, retries), new StringSerializer(), new StringSerializer())) {
            RecordMetadata written = producer.send(new ProducerRecord<>(topic, partition, "probe", value))
                    .get(SHORT_DELIVERY_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
            return new Probe(written, null, (System.nanoTime() - began) / 1_000_000);
        } catch (ExecutionException e) {
            return new Probe(null, e.getCause(), (System.nanoTime() - began) / 1_000_000);
        } catch (TimeoutException e) {
            return new Probe(null, e, (System.nanoTime() - began) / 1_000_000);
        }
    }

    boolean refused() {
        return error != null;
    }

    /** The error as the application sees it: class name and message. */
    String errorText() {
        return error.getClass().getSimpleName() + ": " + error.getMessage();
    }

    private static Map<String, Object> config(Map<String, Object> client, Retries retries) {
        // Where the cluster is, and how to log in and encrypt.
        Map<String, Object> config = new HashMap<>(client);
        // The write counts only when min.insync.replicas replicas have it: the rule being shown.
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        // Give up quickly: this stage is about the refusal, not about waiting it out.
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) SHORT_DELIVERY_TIMEOUT.toMillis());
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) SHORT_DELIVERY_TIMEOUT.toMillis() / 2);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) SHORT_DELIVERY_TIMEOUT.toMillis());
        if (retries == Retries.NONE) {
            // An idempotent producer must retry, so this one is not idempotent: its first error is final.
            config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
            config.put(ProducerConfig.RETRIES_CONFIG, 0);
        } else {
            config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        }
        return config;
    }
}
