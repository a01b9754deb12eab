package dev.kafkaprimer.core.consumer;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
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
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConsumerOptionsTest {

    private static ConsumerOptions.Builder builder() {
        return ConsumerOptions.builder("localhost:9092", "billing", List.of("orders"));
    }

    @Test
    void shouldRefuseABootstrapAddressWithoutAPortAsTheProducerDoes() {
        // The same rule as ProducerOptions: a mistake is named at once, not after a connection timeout
        assertRefused("'localhost'", () -> ConsumerOptions.builder("localhost", "billing", List.of("orders")));
        assertRefused("'a:1,,b:2'", () -> ConsumerOptions.builder("a:1,,b:2", "billing", List.of("orders")));
        assertEquals("a:1,b:2", ConsumerOptions.builder(" a:1,b:2 ", "billing", List.of("orders")).build()
                .bootstrapServers());
    }

    @ParameterizedTest
    @ValueSource(strings = {"false", "FALSE", " false "})
    void shouldAcceptAutoCommitSwitchedOffExplicitly(String value) {
        // Switching off what is off already is no mistake, in any spelling, as text or as a Boolean
        assertDoesNotThrow(() -> builder().property(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, value).build());
        assertDoesNotThrow(() -> builder().property(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false).build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "TRUE", " true "})
    void shouldRefuseAutoCommitExplainingWhy(String value) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> builder().property(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, value));

        assertTrue(error.getMessage().contains("enable.auto.commit=" + value), error.getMessage());
        assertTrue(error.getMessage().contains("not finished"), error.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
            ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG})
    void shouldRefuseSettingsTheBrokerOwnsUnderTheConsumerProtocol(String name) {
        // Given a setting that KIP-848 moved to the broker
        ConsumerOptions.Builder builder = builder().property(name, "3000").groupProtocol(GroupProtocol.CONSUMER);

        // When the options are built, Then the error names the setting, its value and the protocol
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, builder::build);
        assertTrue(error.getMessage().contains(name + "=3000"), error.getMessage());
        assertTrue(error.getMessage().contains("CONSUMER"), error.getMessage());
        // And the same setting is fine with the classic protocol
        builder.groupProtocol(GroupProtocol.CLASSIC).build();
    }

    @Test
    void shouldRefuseTheRemoteAssignorUnderTheClassicProtocol() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> builder().property(ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG, "uniform").build());

        assertTrue(error.getMessage().contains("group.remote.assignor=uniform"), error.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {ConsumerConfig.GROUP_ID_CONFIG, ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            ConsumerConfig.GROUP_PROTOCOL_CONFIG, ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG})
    void shouldRefuseToPassThroughSettingsTheOptionsChooseThemselves(String name) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> builder().property(name, "x"));

        assertTrue(error.getMessage().contains(name) && error.getMessage().contains("use "), error.getMessage());
    }

    @Test
    void shouldNameTheBadValueOfEveryInvalidChoice() {
        assertRefused("was 0", () -> builder().maxPollRecords(0));
        assertRefused("was 0", () -> builder().commitEvery(0, Duration.ofSeconds(1)));
        assertRefused("was PT0S", () -> builder().commitEvery(10, Duration.ZERO));
        assertRefused("was PT-1S", () -> builder().pollTimeout(Duration.ofSeconds(-1)));
        assertRefused("was PT0S", () -> builder().deadLetterTimeout(Duration.ZERO));
        assertRefused("was '  '", () -> ConsumerOptions.builder("localhost:9092", "  ", List.of("orders")));
        assertRefused("was ''", () -> ConsumerOptions.builder("", "billing", List.of("orders")));
        assertRefused("was empty", () -> ConsumerOptions.builder("localhost:9092", "billing", List.of()));
        assertRefused("was ' '", () -> ConsumerOptions.builder("localhost:9092", "billing", List.of("orders", " ")));
        assertRefused("concurrency must be at least 1, was 0", () -> builder().concurrency(0));
        assertRefused("maxPendingRecords must be at least 1, was -5", () -> builder().maxPendingRecords(-5));
        assertRefused("was 10 with concurrency 16", () -> builder().concurrency(16).maxPendingRecords(10).build());
    }

    @Test
    void shouldHandleRecordsOnTheLoopThreadUnlessAskedForWorkers() {
        // Given the defaults, and choices that ask for worker threads
        ConsumerOptions defaults = builder().build();
        ConsumerOptions byKey = builder().ordering(Ordering.KEY).build();
        ConsumerOptions wide = builder().concurrency(8).build();

        // Then only the defaults keep the loop thread handling records itself
        assertEquals(Ordering.PARTITION, defaults.ordering());
        assertEquals(1, defaults.concurrency());
        assertEquals(ConsumerOptions.DEFAULT_MAX_PENDING_RECORDS, defaults.maxPendingRecords());
        assertFalse(defaults.parallel());
        assertTrue(byKey.parallel());
        assertTrue(wide.parallel());
        assertTrue(wide.toString().contains(
                "ordering=PARTITION, concurrency=8, maxPendingRecords=5000, workerCommitInterval=PT0.005S"),
                wide.toString());
    }

    @Test
    void shouldHideSecretsButShowOtherSettingsInToString() {
        // Given security settings with secrets among them
        ConsumerOptions options = builder()
                .property(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL")
                .property(SaslConfigs.SASL_JAAS_CONFIG, "PlainLoginModule required username=\"u\" password=\"p4ss\";")
                .property(SslConfigs.SSL_KEY_PASSWORD_CONFIG, "k3y-pass")
                .property(SslConfigs.SSL_KEYSTORE_KEY_CONFIG, "-----BEGIN PRIVATE KEY-----MIIE")
                .property(SaslConfigs.SASL_OAUTHBEARER_CLIENT_CREDENTIALS_CLIENT_SECRET, "cl13nt-s3cret")
                .property("sasl.oauthbearer.assertion.jwt.token", "eyJ-t0ken")
                .build();

        // When they are printed
        String shown = options.toString();

        // Then no secret value appears, the names and the other values do
        for (String secret : List.of("p4ss", "k3y-pass", "MIIE", "cl13nt-s3cret", "eyJ-t0ken")) {
            assertFalse(shown.contains(secret), secret + " leaked in " + shown);
        }
        assertTrue(shown.contains("sasl.jaas.config=[hidden]"), shown);
        assertTrue(shown.contains("ssl.keystore.key=[hidden]"), shown);
        assertTrue(shown.contains("security.protocol=SASL_SSL"), shown);
        assertTrue(shown.contains("groupId=billing"), shown);
    }

    @Test
    void shouldSubscribeByPatternWhenGivenOne() {
        ConsumerOptions options = ConsumerOptions.builder("localhost:9092", "audit", Pattern.compile("orders-.*")).build();

        assertEquals("orders-.*", options.topicPattern().orElseThrow().pattern());
        assertTrue(options.topics().isEmpty());
    }

    private static void assertRefused(String expectedInMessage, Executable choice) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, choice);
        assertTrue(error.getMessage().contains(expectedInMessage),
                "expected '" + expectedInMessage + "' in: " + error.getMessage());
    }
}
