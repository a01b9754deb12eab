package dev.kafkaprimer.core.consumer.internal;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.errors.TimeoutException;

import dev.kafkaprimer.core.consumer.ConsumerOptions;

/**
 * The first thing a starting engine does: ask the cluster for its list of topics, and fail at once, naming the
 * address, if no broker answers within {@link ConsumerOptions#startupTimeout()}. A {@code KafkaConsumer} itself
 * never says that: its {@code poll()} just returns nothing, forever, at a wrong address. Loop thread only.
 */
final class ClusterAnswer {

    private ClusterAnswer() {
    }

    /**
     * Waits for the cluster's first answer.
     *
     * @throws TimeoutException naming the address and what to check, if none came within the startup timeout
     * @throws org.apache.kafka.common.errors.WakeupException if {@code close()} woke the consumer meanwhile
     */
    static void await(Consumer<?, ?> consumer, ConsumerOptions options) {
        try {
            consumer.listTopics(options.startupTimeout());
        } catch (TimeoutException e) {
            throw new TimeoutException("the consumer of group " + options.groupId() + " got no answer from the"
                    + " cluster at " + options.bootstrapServers() + " within " + options.startupTimeout().toMillis()
                    + " ms (ConsumerOptions.startupTimeout). Is a broker running there? A listener that needs TLS"
                    + " or a login needs ConsumerOptions.Builder.security(ClientSecurity)", e);
        }
    }
}
