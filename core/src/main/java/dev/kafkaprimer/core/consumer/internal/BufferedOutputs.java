package dev.kafkaprimer.core.consumer.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.apache.kafka.clients.producer.ProducerRecord;

import dev.kafkaprimer.core.consumer.Outputs;
import dev.kafkaprimer.core.json.Json;
import dev.kafkaprimer.core.json.JsonSerializer;

/**
 * The {@link Outputs} of one handler call: keeps the records, already in bytes, until the handler returns, so
 * that a failed attempt leaves nothing behind. One per loop, emptied before each call; refuses records outside
 * a call, from a handler that kept it. Loop thread only.
 */
final class BufferedOutputs implements Outputs {

    private final JsonSerializer<Object> values = new JsonSerializer<>(Json.defaultMapper());
    private final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    private boolean inCall;

    @Override
    public void send(String topic, String key, Object value) {
        Objects.requireNonNull(topic, "topic");
        if (!inCall) {
            throw new IllegalStateException("outputs may be added only during the handler call they were given to");
        }
        byte[] keyBytes = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
        records.add(new ProducerRecord<>(topic, keyBytes, values.serialize(topic, value)));
    }

    /** A handler call begins: nothing kept from an earlier one. */
    void beginCall() {
        records.clear();
        inCall = true;
    }

    /** The call ended: what it added, in order (empty if it failed and the caller drops them). */
    List<ProducerRecord<byte[], byte[]>> endCall() {
        inCall = false;
        return records;
    }
}
