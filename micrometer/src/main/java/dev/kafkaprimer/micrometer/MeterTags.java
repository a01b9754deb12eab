package dev.kafkaprimer.micrometer;

import io.micrometer.core.instrument.Tags;

/** The tag names the meters of this module share, as the issue and Micrometer's conventions spell them. */
final class MeterTags {

    static final String TOPIC = "topic";
    static final String PARTITION = "partition";
    static final String GROUP = "group";
    static final String CLIENT_ID = "client.id";

    private MeterTags() {
    }

    static Tags topic(Tags base, String topic) {
        return base.and(TOPIC, topic);
    }

    static Tags partition(Tags base, String topic, int partition) {
        return base.and(TOPIC, topic).and(PARTITION, Integer.toString(partition));
    }
}
