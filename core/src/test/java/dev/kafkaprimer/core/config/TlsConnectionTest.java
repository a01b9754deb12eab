package dev.kafkaprimer.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import dev.kafkaprimer.core.admin.TopicAdmin;
import dev.kafkaprimer.core.producer.JsonProducer;
import dev.kafkaprimer.core.producer.ProducerOptions;
import dev.kafkaprimer.testkit.EmbeddedKafkaCluster;
import dev.kafkaprimer.testkit.TestTopics;
import dev.kafkaprimer.testkit.TrustStore;
import dev.kafkaprimer.testkit.WithKafkaCluster;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.Test;

/** A broker whose client listener speaks TLS, with a certificate from the testkit's throwaway CA. */
@WithKafkaCluster(security = SecurityProtocol.SSL, lifecycle = WithKafkaCluster.Lifecycle.PER_CLASS)
class TlsConnectionTest {

    @Test
    void shouldCreateProduceAndConsumeOverTls(EmbeddedKafkaCluster kafka, TestTopics topics) throws Exception {
        // Given a security that trusts the cluster's CA
        TrustStore trust = kafka.trustStore().orElseThrow();
        ClientSecurity security = ClientSecurity.ssl(trust.location(), trust.password().value());

        // When the admin, the producer and a commit loop use it
        SecuredRoundTrip.Greeting read = SecuredRoundTrip.run(kafka.bootstrapServers(), security, topics.next());

        // Then the record went through
        assertEquals("hello over SSL", read.text());
    }

    @Test
    void shouldFailFastWithSslAuthenticationWhenTheCertificateIsNotTrusted(EmbeddedKafkaCluster kafka,
                                                                             TestTopics topics) {
        // Given a client that trusts only the JDK's public CAs, not the cluster's own
        ClientSecurity jdkTrust = ClientSecurity.ssl();
        long began = System.nanoTime();

        // When the admin client asks for the topics, then the handshake fails, with a hint about the trust store
        try (TopicAdmin admin = TopicAdmin.connect(kafka.bootstrapServers(), jdkTrust, Duration.ofSeconds(30))) {
            SslAuthenticationException error = assertThrows(SslAuthenticationException.class, admin::listTopics);
            assertTrue(error.getMessage().contains("ssl.truststore.location")
                    && error.getMessage().contains("unable to find valid certification path"), error.getMessage());
        }
        // And so does a producer's send
        ProducerOptions options = ProducerOptions.builder(kafka.bootstrapServers()).security(jdkTrust)
                .maxBlock(Duration.ofSeconds(30)).build();
        try (JsonProducer<String, String> producer = JsonProducer.create(options)) {
            CompletableFuture<?> sent = producer.send(topics.next(), "k", "v");
            Throwable failure = assertThrows(Exception.class, sent::join).getCause();
            assertInstanceOf(SslAuthenticationException.class, failure);
        }
        // Well before any deadline: a refused handshake is final, not retried
        assertTrue(Duration.ofNanos(System.nanoTime() - began).compareTo(Duration.ofSeconds(15)) < 0);
    }

    @Test
    void shouldTimeOutWithAHintWhenAPlaintextClientDialsTheTlsListener(EmbeddedKafkaCluster kafka) {
        // Given a PLAINTEXT admin client with a short deadline, pointed at the TLS listener
        Duration deadline = Duration.ofSeconds(3);
        long began = System.nanoTime();
        try (TopicAdmin admin = TopicAdmin.connect(kafka.bootstrapServers(), deadline)) {

            // When it asks for the topics, then it gets no answer it can read, and is told why that may be
            TimeoutException error = assertThrows(TimeoutException.class, admin::listTopics);
            assertTrue(error.getMessage().contains("may require TLS or a login")
                    && error.getMessage().contains("SSL or SASL_SSL"), error.getMessage());
        }
        Duration took = Duration.ofNanos(System.nanoTime() - began);
        assertTrue(took.compareTo(deadline.plusSeconds(5)) < 0, "gave up after " + took);
    }
}
