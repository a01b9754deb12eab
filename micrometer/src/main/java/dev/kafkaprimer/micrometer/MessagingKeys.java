package dev.kafkaprimer.micrometer;

import java.nio.charset.StandardCharsets;

import io.micrometer.observation.Observation;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The key-values the observations of this module carry, named as OpenTelemetry's semantic conventions for
 * messaging name them (so a tracing back end shows them in its Kafka views), and the header handling both ends
 * share: a W3C trace context travels as UTF-8 text in record headers.
 */
final class MessagingKeys {

    static final String SYSTEM = "messaging.system";
    static final String DESTINATION = "messaging.destination.name";
    static final String PARTITION = "messaging.destination.partition.id";
    static final String OFFSET = "messaging.kafka.offset";

    private MessagingKeys() {
    }

    /** Topic and system: few values, so they may tag meters as well as spans. */
    static Observation lowCardinality(Observation observation, String topic) {
        return observation.lowCardinalityKeyValue(SYSTEM, "kafka").lowCardinalityKeyValue(DESTINATION, topic);
    }

    /** Partition and offset: a span's facts, too many values for a meter's tags. */
    static void where(Observation observation, int partition, long offset) {
        observation.highCardinalityKeyValue(PARTITION, Integer.toString(partition))
                .highCardinalityKeyValue(OFFSET, Long.toString(offset));
    }

    /** Replaces header {@code key} with {@code value}: a context written twice must not be read twice. */
    static void put(Headers headers, String key, String value) {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }

    /** The last value of header {@code key} as text, or null. */
    static String last(Headers headers, String key) {
        Header header = headers.lastHeader(key);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
