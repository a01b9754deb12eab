package dev.kafkaprimer.core.consumer;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.GroupProtocol;

/** Consumer options for tests: short polls, and for classic groups short sessions, for quick rebalances. */
public final class TestOptions {

    private TestOptions() {
    }

    public static ConsumerOptions.Builder quick(String bootstrapServers, String groupId, String topic, GroupProtocol protocol) {
        ConsumerOptions.Builder builder = ConsumerOptions.builder(bootstrapServers, groupId, List.of(topic))
                .groupProtocol(protocol)
                .pollTimeout(Duration.ofMillis(100));
        if (protocol == GroupProtocol.CLASSIC) {
            // A dead member is noticed after 3 s, and members learn of a rebalance within 500 ms.
            builder.property(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 3_000)
                    .property(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500);
        }
        return builder;
    }
}
