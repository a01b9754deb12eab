package dev.kafkaprimer.core.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ProducerOptionsTest {

    private static final String BOOTSTRAP = "localhost:9092";

    @Test
    void shouldDefaultToSettingsThatAreSafeForRealData() {
        // When options are built with nothing but the address
        ProducerOptions options = ProducerOptions.builder(BOOTSTRAP).build();

        // Then every replica must have a record, and retries cannot duplicate it
        Map<String, Object> client = options.clientProperties();
        assertEquals("all", client.get(ProducerConfig.ACKS_CONFIG));
        assertEquals(true, client.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG));
        assertEquals("none", client.get(ProducerConfig.COMPRESSION_TYPE_CONFIG));
        assertEquals(5L, client.get(ProducerConfig.LINGER_MS_CONFIG));
        assertEquals(30_000, client.get(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG));
        assertEquals(120_000, client.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG));
        assertEquals(60_000L, client.get(ProducerConfig.MAX_BLOCK_MS_CONFIG));
        assertEquals(BOOTSTRAP, client.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG));
        assertFalse(client.containsKey(ProducerConfig.CLIENT_ID_CONFIG));
    }

    @Test
    void shouldPassEveryTypedAndPassThroughSettingToTheClient() {
        // Given options with every setting changed
        ProducerOptions options = ProducerOptions.builder("a:1, b:2")
                .clientId("checkout").acks(Acks.LEADER).idempotence(false).compression(Compression.ZSTD)
                .linger(Duration.ofMillis(20)).requestTimeout(Duration.ofSeconds(5))
                .deliveryTimeout(Duration.ofSeconds(10)).maxBlock(Duration.ofSeconds(2))
                .property(ProducerConfig.BATCH_SIZE_CONFIG, "65536")
                .build();

        // When the client properties are built
        Map<String, Object> client = options.clientProperties();

        // Then each one is there, under kafka-clients' name
        assertEquals("a:1, b:2", client.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG));
        assertEquals("checkout", client.get(ProducerConfig.CLIENT_ID_CONFIG));
        assertEquals("1", client.get(ProducerConfig.ACKS_CONFIG));
        assertEquals(false, client.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG));
        assertEquals("zstd", client.get(ProducerConfig.COMPRESSION_TYPE_CONFIG));
        assertEquals(20L, client.get(ProducerConfig.LINGER_MS_CONFIG));
        assertEquals(5_000, client.get(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG));
        assertEquals(10_000, client.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG));
        assertEquals(2_000L, client.get(ProducerConfig.MAX_BLOCK_MS_CONFIG));
        assertEquals("65536", client.get(ProducerConfig.BATCH_SIZE_CONFIG));
    }

    @Test
    void shouldRejectIdempotenceWithAcksOtherThanAllNamingTheAcks() {
        // Given a builder that keeps idempotence on but lowers acks
        ProducerOptions.Builder builder = ProducerOptions.builder(BOOTSTRAP).acks(Acks.LEADER);

        // When it is built, then the error names both settings and the value
        assertMessageContains(builder::build, "idempotence", "acks LEADER");
        // And turning idempotence off makes the same acks valid
        assertEquals(Acks.LEADER, builder.idempotence(false).build().acks());
    }

    @Test
    void shouldRejectPassThroughSettingsThatBreakIdempotence() {
        assertMessageContains(() -> ProducerOptions.builder(BOOTSTRAP)
                .property(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "10").build(),
                "max.in.flight.requests.per.connection was 10");
        assertMessageContains(() -> ProducerOptions.builder(BOOTSTRAP)
                .property(ProducerConfig.RETRIES_CONFIG, "0").build(), "retries was 0");
        assertMessageContains(() -> ProducerOptions.builder(BOOTSTRAP)
                .property(ProducerConfig.RETRIES_CONFIG, "many").build(), "retries", "'many'");
    }

    @Test
    void shouldRejectNegativeOrTooShortDurationsNamingSettingAndValue() {
        ProducerOptions.Builder builder = ProducerOptions.builder(BOOTSTRAP);
        assertMessageContains(() -> builder.linger(Duration.ofMillis(-1)), "linger", "PT-0.001S");
        assertMessageContains(() -> builder.maxBlock(Duration.ofSeconds(-3)), "maxBlock", "PT-3S");
        assertMessageContains(() -> builder.requestTimeout(Duration.ZERO), "requestTimeout", "PT0S");
        assertMessageContains(() -> builder.deliveryTimeout(Duration.ofDays(30)), "deliveryTimeout", "PT720H");
        assertThrows(NullPointerException.class, () -> builder.linger(null));
    }

    @Test
    void shouldRejectADeliveryTimeoutShorterThanLingerPlusRequestTimeout() {
        ProducerOptions.Builder builder = ProducerOptions.builder(BOOTSTRAP)
                .linger(Duration.ofSeconds(1)).requestTimeout(Duration.ofSeconds(30))
                .deliveryTimeout(Duration.ofSeconds(10));

        assertMessageContains(builder::build, "deliveryTimeout", "PT1S + PT30S", "was PT10S");
    }

    @Test
    void shouldRejectBlankOrMalformedBootstrapServersNamingTheValue() {
        assertMessageContains(() -> ProducerOptions.builder("  "), "bootstrapServers", "'  '");
        assertMessageContains(() -> ProducerOptions.builder("localhost"), "'localhost'");
        assertMessageContains(() -> ProducerOptions.builder("a:1,,b:2"), "''", "'a:1,,b:2'");
        assertThrows(NullPointerException.class, () -> ProducerOptions.builder(null));
    }

    @Test
    void shouldRefusePassThroughForSettingsWithTheirOwnMethod() {
        ProducerOptions.Builder builder = ProducerOptions.builder(BOOTSTRAP);
        assertMessageContains(() -> builder.property(ProducerConfig.ACKS_CONFIG, "1"), "acks", "acks(Acks)");
        assertMessageContains(() -> builder.property(ProducerConfig.LINGER_MS_CONFIG, "10"), "linger(Duration)");
        assertMessageContains(() -> builder.property(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx"), "transactions");
        assertMessageContains(() -> builder.property(" ", "x"), "blank");
    }

    @Test
    void shouldNeverPrintSecretsInToString() {
        // Given options carrying credentials and ordinary settings
        ProducerOptions options = ProducerOptions.builder(BOOTSTRAP)
                .property("security.protocol", "SASL_SSL")
                .property("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required"
                        + " username=\"app\" password=\"s3cr3t-jaas\";")
                .property("ssl.key.password", "s3cr3t-key-password")
                .property("ssl.keystore.key", "-----BEGIN PRIVATE KEY-----s3cr3t-pem")
                .property("sasl.oauthbearer.client.credentials.client.secret", "s3cr3t-oauth")
                .build();

        // When it is printed
        String text = options.toString();

        // Then no secret appears, the settings' names and ordinary values do
        assertFalse(text.contains("s3cr3t"), text);
        assertTrue(text.contains("security.protocol=SASL_SSL"), text);
        assertTrue(text.contains("sasl.jaas.config=[hidden]"), text);
        assertTrue(text.contains("ssl.key.password=[hidden]"), text);
        assertTrue(text.contains("ssl.keystore.key=[hidden]"), text);
        assertTrue(text.contains("acks=ALL") && text.contains("bootstrapServers=" + BOOTSTRAP), text);
    }

    @Test
    void shouldPassTypedValuesThroughAsTheConsumerOptionsDo() {
        // A number or a boolean, as ConsumerOptions takes them, reaches the client unchanged
        ProducerOptions options = ProducerOptions.builder(BOOTSTRAP).property("batch.size", 32_768)
                .property(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 7).idempotence(false).build();

        assertEquals(32_768, options.clientProperties().get("batch.size"));
        // And the rules that read them still do: more than 5 in flight refuses idempotence
        assertMessageContains(() -> ProducerOptions.builder(BOOTSTRAP)
                .property(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 7).build(), "at most 5", "was 7");
    }

    @Test
    void shouldNotChangeBuiltOptionsWhenTheBuilderChangesLater() {
        ProducerOptions.Builder builder = ProducerOptions.builder(BOOTSTRAP).property("batch.size", "1000");
        ProducerOptions first = builder.build();

        builder.property("batch.size", "2000").compression(Compression.GZIP);

        assertEquals("1000", first.properties().get("batch.size"));
        assertEquals(Compression.NONE, first.compression());
        assertThrows(UnsupportedOperationException.class, () -> first.properties().put("x", "y"));
    }

    private static void assertMessageContains(Executable call, String... parts) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, call);
        for (String part : parts) {
            assertTrue(error.getMessage().contains(part), "'" + part + "' missing in: " + error.getMessage());
        }
    }
}
