package dev.kafkaprimer.core.consumer.internal;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

import dev.kafkaprimer.core.config.ClientSecurity;
import dev.kafkaprimer.core.consumer.ConsumerOptions;
import dev.kafkaprimer.core.consumer.ShareOptions;

/**
 * Where a loop's dead letters go and how they get there: the cluster and its login, the group named in each
 * letter, the topic for each input topic, and how long a write may take. The commit loops and the share loop
 * have different options, and one {@link DeadLetterPublisher} for both. Immutable.
 *
 * @param bootstrapServers the cluster
 * @param groupId          the group named in each letter's {@code consumer-group} header
 * @param topicFor         the dead-letter topic for an input topic
 * @param timeout          how long one write may take before the loop stops
 * @param security         TLS and login, if any
 * @param properties       the loop's pass-through settings; the producer takes those it knows
 */
record DeadLetterRoute(String bootstrapServers, String groupId, UnaryOperator<String> topicFor, Duration timeout,
                       Optional<ClientSecurity> security, Map<String, Object> properties) {

    static DeadLetterRoute of(ConsumerOptions options) {
        return new DeadLetterRoute(options.bootstrapServers(), options.groupId(), options::deadLetterTopicFor,
                options.deadLetterTimeout(), options.security(), options.properties());
    }

    static DeadLetterRoute of(ShareOptions options) {
        return new DeadLetterRoute(options.bootstrapServers(), options.groupId(), options::deadLetterTopicFor,
                options.deadLetterTimeout(), options.security(), options.properties());
    }
}
