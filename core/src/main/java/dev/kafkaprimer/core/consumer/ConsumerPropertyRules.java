package dev.kafkaprimer.core.consumer;

import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.GroupProtocol;

import dev.kafkaprimer.core.config.PassThroughProperties;

/**
 * The consumer's own rules for settings passed through {@link ConsumerOptions.Builder#property(String, Object)},
 * beside the ones every client shares ({@link PassThroughProperties}): what the options choose themselves, why
 * auto-commit is refused, and which settings belong to which group protocol. Thread-safe (stateless).
 */
final class ConsumerPropertyRules {

    /** Settings the options set themselves, with the builder method to use instead. */
    private static final Map<String, String> CHOSEN_HERE = Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "the bootstrapServers argument of builder(...)",
            ConsumerConfig.GROUP_ID_CONFIG, "the groupId argument of builder(...)",
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, "the key deserializer given to CommitLoop (UTF-8 text "
                    + "unless one is given)",
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, "the deserializer given to CommitLoop (bytes are "
                    + "deserialized inside the loop, so one bad record cannot make poll() fail)",
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "offsetReset(OffsetReset)",
            ConsumerConfig.GROUP_PROTOCOL_CONFIG, "groupProtocol(GroupProtocol)",
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "isolationLevel(IsolationLevel)",
            ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "maxPollRecords(int)");
    /** Settings KIP-848 moves to the broker: a consumer-protocol client refuses them. */
    private static final Map<String, String> BROKER_SIDE_WITH_CONSUMER_PROTOCOL = Map.of(
            ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
            "the broker assigns partitions; choose its assignor with group.remote.assignor",
            ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
            "the broker sets it for the group (broker setting group.consumer.session.timeout.ms)",
            ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
            "the broker sets it for the group (broker setting group.consumer.heartbeat.interval.ms)");


    private ConsumerPropertyRules() {
    }

    /**
     * Checks one pass-through setting by itself.
     *
     * @throws IllegalArgumentException if the name is blank, the options set it themselves, or it asks for
     *                                  auto-commit
     */
    static void check(String name, Object value) {
        PassThroughProperties.check(name, value, CHOSEN_HERE);
        if (name.equals(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG)
                && !value.toString().trim().equalsIgnoreCase("false")) {
            throw new IllegalArgumentException("enable.auto.commit=" + value + " is not allowed: auto-commit "
                    + "commits offsets on a timer, also of records the handler has not finished, so a crash "
                    + "would lose them; the loop commits itself, only after the handler returned "
                    + "(choose when with commitPolicy)");
        }
    }

    /**
     * Checks the pass-through settings against the group protocol: KIP-848 moves the assignor and the session
     * timings to the broker, and the broker-side assignor means nothing to a classic group.
     *
     * @throws IllegalArgumentException naming the setting and why it does not fit
     */
    static void checkFitsProtocol(Map<String, Object> properties, GroupProtocol protocol) {
        if (protocol == GroupProtocol.CONSUMER) {
            for (String name : properties.keySet()) {
                String why = BROKER_SIDE_WITH_CONSUMER_PROTOCOL.get(name);
                if (why != null) {
                    throw new IllegalArgumentException("property " + name + "=" + properties.get(name)
                            + " cannot be used with group protocol CONSUMER (KIP-848): " + why);
                }
            }
        } else if (properties.containsKey(ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG)) {
            throw new IllegalArgumentException("property " + ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG + "="
                    + properties.get(ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG) + " needs group protocol "
                    + "CONSUMER; with CLASSIC the assignor is partition.assignment.strategy");
        }
    }
}
