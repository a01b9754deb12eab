package dev.kafkaprimer.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One SASL_SSL cluster for the class: what the testkit promises about its secured listener. */
class SecuredListenerTest {

    private static final SaslUser ALICE = SaslUser.of("alice", "alice-secret-1");
    private static EmbeddedKafkaCluster kafka;

    @BeforeAll
    static void startCluster() {
        kafka = EmbeddedKafkaCluster.builder().security(SecurityProtocol.SASL_SSL).saslUser(ALICE).start();
    }

    @AfterAll
    static void stopCluster() {
        kafka.close();
    }

    @Test
    void shouldAdmitAClientWithTheClusterClientProperties() throws Exception {
        // Given the client properties the cluster hands out (SCRAM-SHA-512, the first user, the CA's trust store)
        Map<String, Object> client = new HashMap<>(kafka.clientProperties());
        client.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());

        // When an admin client creates a topic over the SASL_SSL listener
        String topic = new TestTopics("secured").next();
        try (Admin admin = Admin.create(client)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);

            // Then the topic is there, once the broker has heard of it from the controller
            Await.until(Duration.ofSeconds(30), "topic " + topic + " listed",
                    () -> admin.listTopics().names().toCompletionStage().toCompletableFuture().join().contains(topic));
        }
        assertEquals("SASL_SSL", client.get("security.protocol"));
        assertTrue(kafka.toString().contains("SASL_SSL"), kafka.toString());
    }

    @Test
    void shouldRefuseAWrongPasswordAsAnAuthenticationFailure() {
        // Given alice's name with a wrong password
        Map<String, Object> client = new HashMap<>(kafka.clientProperties());
        client.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        client.put(SaslConfigs.SASL_JAAS_CONFIG, new Password("org.apache.kafka.common.security.scram.ScramLoginModule"
                + " required username=\"alice\" password=\"not-her-password\";"));

        // When the admin client asks for the topics, then the broker says no: not a timeout
        try (Admin admin = Admin.create(client)) {
            ExecutionException error = assertThrows(ExecutionException.class,
                    () -> admin.listTopics().names().get(30, TimeUnit.SECONDS));
            assertInstanceOf(SaslAuthenticationException.class, error.getCause());
        }
    }

    @Test
    void shouldKeepAPlaintextListenerForSetUp() throws Exception {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.plaintextBootstrapServers()))) {
            assertEquals(1, admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size());
        }
        assertFalse(kafka.plaintextBootstrapServers().equals(kafka.bootstrapServers()));
    }

    @Test
    void shouldDescribeItsUsersAndTrustStoreWithoutShowingPasswords() {
        assertEquals(List.of(ALICE), kafka.saslUsers());
        TrustStore trust = kafka.trustStore().orElseThrow();
        assertTrue(Files.isRegularFile(trust.location()), trust.location().toString());
        assertFalse(trust.toString().contains(trust.password().value()), trust.toString());
        assertFalse(ALICE.toString().contains("alice-secret-1"), ALICE.toString());
        assertFalse(kafka.clientProperties().toString().contains("alice-secret-1"));
    }

    @Test
    void shouldKeepItsCertificatesInTheDataDirectoryThatCloseDeletes() {
        // Given a cluster of its own, with a TLS listener and so a key store and a trust store on disk
        EmbeddedKafkaCluster closing = EmbeddedKafkaCluster.builder().security(SecurityProtocol.SSL).start();
        Path trustStore = closing.trustStore().orElseThrow().location();
        assertTrue(trustStore.startsWith(closing.dataDirectory()), trustStore + " under " + closing.dataDirectory());
        assertTrue(Files.isRegularFile(trustStore), trustStore + " written");

        // When it closes, then its certificates are gone with its data
        closing.close();
        assertFalse(Files.exists(trustStore), trustStore + " deleted");
        assertFalse(Files.exists(closing.dataDirectory()), closing.dataDirectory() + " deleted");
    }

    @Test
    void shouldRefuseUsersThatCannotBeWrittenSafely() {
        IllegalArgumentException name = assertThrows(IllegalArgumentException.class,
                () -> SaslUser.of("bob smith", "long-enough"));
        assertTrue(name.getMessage().contains("'bob smith'"), name.getMessage());
        IllegalArgumentException password = assertThrows(IllegalArgumentException.class,
                () -> SaslUser.of("bob", "short\""));
        assertFalse(password.getMessage().contains("short"), password.getMessage());
        IllegalStateException plaintext = assertThrows(IllegalStateException.class,
                () -> EmbeddedKafkaCluster.builder().saslUser(ALICE).start());
        assertTrue(plaintext.getMessage().contains("PLAINTEXT"), plaintext.getMessage());
    }
}
