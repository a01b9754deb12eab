package dev.kafkaprimer.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One SSL cluster for the class whose client listener requires client certificates (mutual TLS). */
class MutualTlsListenerTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static EmbeddedKafkaCluster kafka;

    @BeforeAll
    static void startCluster() {
        kafka = EmbeddedKafkaCluster.builder().security(SecurityProtocol.SSL).requireClientCertificates().start();
    }

    @AfterAll
    static void stopCluster() {
        kafka.close();
    }

    @Test
    void shouldAdmitAdminProducerAndConsumerWithTheClusterClientProperties() throws Exception {
        // Given the client properties the cluster hands out: trust store and the client certificate's key store
        Map<String, Object> client = new HashMap<>(kafka.clientProperties());
        client.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        String topic = new TestTopics("mutual-tls").next();

        // When an admin client creates a topic, a producer writes one record and a consumer reads from the start
        try (Admin admin = Admin.create(client)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all()
                    .get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        }
        RecordMetadata written;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(client, new StringSerializer(),
                new StringSerializer())) {
            written = producer.send(new ProducerRecord<>(topic, "k", "hello over mutual TLS"))
                    .get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        }
        Map<String, Object> consumerConfig = new HashMap<>(client);
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        ConsumerRecord<String, String> read;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            read = Await.until(DEADLINE, "the record read back from " + topic,
                    () -> firstRecord(consumer), record -> record != null);
        }

        // Then all three got in, and the record is the one written
        assertEquals(0, written.offset());
        assertEquals("hello over mutual TLS", read.value());
        assertTrue(kafka.toString().contains("client certificates required"), kafka.toString());
    }

    @Test
    void shouldIssueAClientOnlyCertificateFromTheClusterCa() throws Exception {
        // Given the cluster's client key store
        ClientKeyStore key = kafka.clientKeyStore().orElseThrow();

        // When it is opened as a client's TLS stack would open it
        KeyStore store = KeyStore.getInstance(key.type());
        try (InputStream in = Files.newInputStream(key.location())) {
            store.load(in, key.password().value().toCharArray());
        }
        String alias = store.aliases().nextElement();
        X509Certificate certificate = (X509Certificate) store.getCertificate(alias);

        // Then it holds a key and a certificate for the client, issued by the CA, for client authentication only
        assertTrue(store.isKeyEntry(alias), alias);
        assertEquals("CN=kafka-primer-client", certificate.getSubjectX500Principal().getName());
        assertEquals("CN=Kafka Primer test CA", certificate.getIssuerX500Principal().getName());
        assertEquals(List.of("1.3.6.1.5.5.7.3.2"), certificate.getExtendedKeyUsage()); // id-kp-clientAuth
        assertEquals(2, store.getCertificateChain(alias).length);
        // And the client properties point at it, without printing its password
        assertEquals(key.location().toString(), kafka.clientProperties().get(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG));
        assertFalse(kafka.clientProperties().toString().contains(key.password().value()));
        assertTrue(key.location().startsWith(kafka.dataDirectory()), key.location() + " under " + kafka.dataDirectory());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldRefuseAClientWithoutTheKeyStoreDuringTheHandshake() {
        // Given the cluster's client properties without the key store: the client trusts the broker, but is nobody
        Map<String, Object> client = new HashMap<>(kafka.clientProperties());
        client.keySet().removeIf(name -> name.startsWith("ssl.key"));
        client.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        // Short deadlines, so that a client which is never answered fails the test instead of hanging it
        client.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        client.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);

        // When the admin client asks for the topics, then the broker's refusal arrives: not a timeout
        try (Admin admin = Admin.create(client)) {
            ExecutionException error = assertThrows(ExecutionException.class,
                    () -> admin.listTopics().names().get(DEADLINE.toSeconds(), TimeUnit.SECONDS));
            assertInstanceOf(SslAuthenticationException.class, error.getCause());
        }
    }

    @Test
    void shouldRequireTheSslProtocolForClientCertificates() {
        IllegalStateException saslSsl = assertThrows(IllegalStateException.class, () -> EmbeddedKafkaCluster.builder()
                .requireClientCertificates().security(SecurityProtocol.SASL_SSL).start());
        assertTrue(saslSsl.getMessage().contains("SASL_SSL"), saslSsl.getMessage());
        IllegalStateException plaintext = assertThrows(IllegalStateException.class,
                () -> EmbeddedKafkaCluster.builder().requireClientCertificates().start());
        assertTrue(plaintext.getMessage().contains("PLAINTEXT"), plaintext.getMessage());
    }

    private static ConsumerRecord<String, String> firstRecord(KafkaConsumer<String, String> consumer) {
        var records = consumer.poll(Duration.ofMillis(100));
        return records.isEmpty() ? null : records.iterator().next();
    }
}
