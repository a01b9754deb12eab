package dev.kafkaprimer.core.consumer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import dev.kafkaprimer.core.config.ClientSecurity;
import dev.kafkaprimer.core.config.SaslMechanism;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.GroupProtocol;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.kafkaprimer.core.consumer.CommitPolicy;
import dev.kafkaprimer.core.consumer.ConsumerOptions;

/** The consumer and dead-letter producer properties the engines build from {@link ConsumerOptions}. */
class ClientPropertiesTest {

    private static ConsumerOptions.Builder builder() {
        return ConsumerOptions.builder("localhost:9092", "billing", List.of("orders"));
    }

    @Test
    void shouldBuildAConsumerWithAutoCommitOffAndTheCooperativeAssignorByDefault() {
        // Given options with only the required values
        ConsumerOptions options = builder().build();

        // When the consumer's settings are built
        Map<String, Object> props = ClientProperties.consumer(options);

        // Then auto-commit is off, the group protocol is classic with the cooperative-sticky assignor
        assertEquals(false, props.get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG));
        assertEquals("classic", props.get(ConsumerConfig.GROUP_PROTOCOL_CONFIG));
        assertEquals(CooperativeStickyAssignor.class.getName(),
                props.get(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG));
        assertEquals("earliest", props.get(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG));
        assertEquals("billing", props.get(ConsumerConfig.GROUP_ID_CONFIG));
        assertEquals(CommitPolicy.PER_BATCH, options.commitPolicy());
        assertEquals("orders.DLT", options.deadLetterTopicFor("orders"));
    }

    @Test
    void shouldLeaveTheAssignorToTheBrokerWithTheConsumerProtocol() {
        // Given the KIP-848 protocol
        ConsumerOptions options = builder().groupProtocol(GroupProtocol.CONSUMER)
                .property(ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG, "range").build();

        // Then no client-side assignor is set, and the broker-side one is passed through
        Map<String, Object> props = ClientProperties.consumer(options);
        assertEquals("consumer", props.get(ConsumerConfig.GROUP_PROTOCOL_CONFIG));
        assertFalse(props.containsKey(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG));
        assertEquals("range", props.get(ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG));
    }

    @Test
    void shouldKeepAnAssignorChosenForTheClassicProtocol() {
        ConsumerOptions options = builder()
                .property(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName()).build();

        assertEquals(RangeAssignor.class.getName(),
                ClientProperties.consumer(options).get(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG));
    }

    @Test
    void shouldGiveTheConsumerTheIsolationLevelChosen() {
        assertEquals("read_uncommitted", ClientProperties.consumer(builder().build())
                .get(ConsumerConfig.ISOLATION_LEVEL_CONFIG));
        assertEquals("read_committed", ClientProperties.consumer(
                builder().isolationLevel(IsolationLevel.READ_COMMITTED).build())
                .get(ConsumerConfig.ISOLATION_LEVEL_CONFIG));
    }

    @Test
    void shouldGiveTheDeadLetterProducerSecuritySettingsButNotConsumerOnlyOnes() {
        // Given options with a security setting, a consumer-only setting and a client id
        ConsumerOptions options = builder()
                .property(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL")
                .property(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1024)
                .property(ConsumerConfig.CLIENT_ID_CONFIG, "billing-1")
                .deadLetterTimeout(Duration.ofSeconds(7))
                .build();

        // When the producer's settings are built
        Map<String, Object> props = ClientProperties.deadLetterProducer(options);

        // Then it shares security, waits for all replicas, and gives up when the loop stops waiting
        assertEquals("SSL", props.get(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG));
        assertFalse(props.containsKey(ConsumerConfig.FETCH_MIN_BYTES_CONFIG));
        assertFalse(props.containsKey(ProducerConfig.CLIENT_ID_CONFIG));
        assertEquals("all", props.get(ProducerConfig.ACKS_CONFIG));
        assertEquals(7_000, props.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG));
    }

    @Test
    void shouldGiveTheConsumerAndTheDeadLetterProducerTheSameSecurity() {
        // Given options with a SASL_SSL login
        ClientSecurity security = ClientSecurity.sasl(SaslMechanism.SCRAM_SHA_512, "billing", "pw");
        ConsumerOptions options = builder().security(security).build();

        // When both clients' settings are built, then both log in the same way
        for (Map<String, Object> props : List.of(ClientProperties.consumer(options),
                ClientProperties.deadLetterProducer(options))) {
            assertEquals("SASL_SSL", props.get(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG));
            assertEquals("SCRAM-SHA-512", props.get(SaslConfigs.SASL_MECHANISM));
            assertEquals(security.clientProperties().get(SaslConfigs.SASL_JAAS_CONFIG),
                    props.get(SaslConfigs.SASL_JAAS_CONFIG));
        }
    }
}
