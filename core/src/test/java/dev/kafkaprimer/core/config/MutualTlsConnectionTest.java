package dev.kafkaprimer.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import dev.kafkaprimer.core.admin.TopicAdmin;
import dev.kafkaprimer.core.producer.JsonProducer;
import dev.kafkaprimer.core.producer.ProducerOptions;
import dev.kafkaprimer.testkit.ClientKeyStore;
import dev.kafkaprimer.testkit.EmbeddedKafkaCluster;
import dev.kafkaprimer.testkit.TestTopics;
import dev.kafkaprimer.testkit.TrustStore;
import dev.kafkaprimer.testkit.WithKafkaCluster;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker whose client listener requires a client certificate ({@code ssl.client.auth=required}): the mutual-TLS
 * {@code client.properties} of the README, used the way a user would, against a real broker.
 */
@WithKafkaCluster(security = SecurityProtocol.SSL, clientCertificates = true,
        lifecycle = WithKafkaCluster.Lifecycle.PER_CLASS)
class MutualTlsConnectionTest {

    /** Short enough that a client which is never let in fails the test quickly, instead of hanging. */
    private static final Duration REFUSAL_DEADLINE = Duration.ofSeconds(10);

    @Test
    void shouldCreateProduceAndConsumeWithTheCertificateFromAClientPropertiesFile(EmbeddedKafkaCluster kafka,
                                                                                  TestTopics topics,
                                                                                  @TempDir Path dir)
            throws Exception {
        // Given a client.properties like the README's mutual-TLS one: whom to trust, and who this client is
        TrustStore trust = kafka.trustStore().orElseThrow();
        ClientKeyStore key = kafka.clientKeyStore().orElseThrow();
        Path clientFile = Files.writeString(dir.resolve("client.properties"), String.join("\n",
                "security.protocol=SSL",
                "ssl.truststore.location=" + trust.location(),
                "ssl.truststore.password=" + trust.password().value(),
                "ssl.keystore.location=" + key.location(),
                "ssl.keystore.password=" + key.password().value(),
                "ssl.key.password=" + key.password().value()));
        ClientSecurity security = ClientSecurity.load(clientFile);

        // When the admin, the producer and a commit loop use it
        SecuredRoundTrip.Greeting read = SecuredRoundTrip.run(kafka.bootstrapServers(), security, topics.next());

        // Then the record went through
        assertEquals("hello over SSL", read.text());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldRefuseAClientWithoutACertificateAndStoreNothing(EmbeddedKafkaCluster kafka, TestTopics topics)
            throws Exception {
        // Given a topic, and a client that trusts the broker but has no certificate of its own
        String topic = topics.next();
        try (TopicAdmin setUp = TopicAdmin.connect(kafka.plaintextBootstrapServers(), REFUSAL_DEADLINE)) {
            setUp.createTopic(topic, 1);
        }
        TrustStore trust = kafka.trustStore().orElseThrow();
        ClientSecurity noCertificate = ClientSecurity.ssl(trust.location(), trust.password().value());
        long began = System.nanoTime();

        // When the producer sends, then the broker ends the handshake and the send fails: final, not retried
        ProducerOptions options = ProducerOptions.builder(kafka.bootstrapServers()).security(noCertificate)
                .maxBlock(REFUSAL_DEADLINE).build();
        try (JsonProducer<String, String> producer = JsonProducer.create(options)) {
            CompletableFuture<?> sent = producer.send(topic, "k", "should never be stored");
            Throwable failure = assertThrows(CompletionException.class, sent::join).getCause();
            assertInstanceOf(SslAuthenticationException.class, failure);
        }
        // And so does an admin call, whose message points at the missing key store
        try (TopicAdmin admin = TopicAdmin.connect(kafka.bootstrapServers(), noCertificate, REFUSAL_DEADLINE)) {
            SslAuthenticationException error = assertThrows(SslAuthenticationException.class, admin::listTopics);
            assertTrue(error.getMessage().contains("ssl.keystore.location"), error.getMessage());
        }
        Duration took = Duration.ofNanos(System.nanoTime() - began);

        // And both were told well before their deadlines, and the topic is still empty
        assertTrue(took.compareTo(REFUSAL_DEADLINE) < 0, "refused after " + took);
        assertEquals(0L, endOffset(kafka, topic));
    }

    /** The next offset of partition 0, asked over the PLAINTEXT listener so the answer does not depend on TLS. */
    private static long endOffset(EmbeddedKafkaCluster kafka, String topic) throws Exception {
        TopicPartition partition = new TopicPartition(topic, 0);
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.plaintextBootstrapServers()))) {
            return admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition)
                    .get(REFUSAL_DEADLINE.toSeconds(), TimeUnit.SECONDS).offset();
        }
    }
}
