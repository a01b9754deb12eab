package dev.kafkaprimer.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.kafkaprimer.core.admin.TopicAdmin;
import dev.kafkaprimer.core.consumer.CommitLoop;
import dev.kafkaprimer.core.consumer.ConsumerOptions;
import dev.kafkaprimer.core.producer.JsonProducer;
import dev.kafkaprimer.core.producer.ProducerOptions;
import dev.kafkaprimer.testkit.EmbeddedKafkaCluster;
import dev.kafkaprimer.testkit.SaslUser;
import dev.kafkaprimer.testkit.TestTopics;
import dev.kafkaprimer.testkit.TrustStore;
import dev.kafkaprimer.testkit.WithKafkaCluster;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A broker whose client listener is SASL_SSL: TLS from the testkit's CA, and users that log in with PLAIN,
 * SCRAM-SHA-256 or SCRAM-SHA-512 (the testkit's default user, with a random password).
 */
@WithKafkaCluster(security = SecurityProtocol.SASL_SSL, lifecycle = WithKafkaCluster.Lifecycle.PER_CLASS)
class SaslConnectionTest {

    private static final String WRONG_PASSWORD = "wrong-Pa55word-for-the-test";

    @Test
    void shouldCreateProduceAndConsumeWithScramSha512(EmbeddedKafkaCluster kafka, TestTopics topics) throws Exception {
        SecuredRoundTrip.Greeting read = SecuredRoundTrip.run(kafka.bootstrapServers(),
                security(kafka, SaslMechanism.SCRAM_SHA_512, user(kafka).password().value()), topics.next());
        assertEquals("hello over SASL_SSL", read.text());
    }

    @Test
    void shouldCreateProduceAndConsumeWithPlain(EmbeddedKafkaCluster kafka, TestTopics topics) throws Exception {
        SecuredRoundTrip.Greeting read = SecuredRoundTrip.run(kafka.bootstrapServers(),
                security(kafka, SaslMechanism.PLAIN, user(kafka).password().value()), topics.next());
        assertEquals("hello over SASL_SSL", read.text());
    }

    @Test
    void shouldFailFastWithSaslAuthenticationOnAWrongPassword(EmbeddedKafkaCluster kafka, TestTopics topics) {
        // Given the right user with a wrong password
        ClientSecurity wrong = security(kafka, SaslMechanism.SCRAM_SHA_512, WRONG_PASSWORD);
        String topic = topics.next();
        long began = System.nanoTime();

        // When each client of the library tries, then each is told the login failed, not that time ran out
        try (TopicAdmin admin = TopicAdmin.connect(kafka.bootstrapServers(), wrong, Duration.ofSeconds(30))) {
            SaslAuthenticationException error = assertThrows(SaslAuthenticationException.class, admin::listTopics);
            assertTrue(error.getMessage().contains("invalid credentials"), error.getMessage());
        }
        ProducerOptions producerOptions = ProducerOptions.builder(kafka.bootstrapServers()).security(wrong)
                .maxBlock(Duration.ofSeconds(30)).build();
        try (JsonProducer<String, String> producer = JsonProducer.create(producerOptions)) {
            assertThrows(SaslAuthenticationException.class,
                    () -> producer.sendAndWait(topic, "k", "v", Duration.ofSeconds(30)));
        }
        ConsumerOptions consumerOptions = ConsumerOptions.builder(kafka.bootstrapServers(), "g-" + topic,
                List.of(topic)).security(wrong).build();
        CommitLoop<String, String> loop = CommitLoop.forJson(consumerOptions, String.class, record -> { });
        CompletableFuture<Void> running = CompletableFuture.runAsync(loop);
        assertInstanceOf(SaslAuthenticationException.class, SecuredRoundTrip.failure(running).orElseThrow());
        Duration took = Duration.ofNanos(System.nanoTime() - began);
        assertTrue(took.compareTo(Duration.ofSeconds(20)) < 0, "all three refused within " + took);
    }

    @Test
    void shouldKeepPasswordsOutOfLogsAtEveryLevelAndOutOfMessages(EmbeddedKafkaCluster kafka, TestTopics topics)
            throws Exception {
        // Given every log event of this JVM (clients and broker) captured, down to DEBUG
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level level = root.getLevel();
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        root.addAppender(captured);
        root.setLevel(Level.DEBUG);
        String password = user(kafka).password().value();
        String trustPassword = kafka.trustStore().orElseThrow().password().value();
        List<String> texts = new ArrayList<>();
        try {
            // When the clients log in with the right password, and with a wrong one
            ClientSecurity right = security(kafka, SaslMechanism.SCRAM_SHA_512, password);
            SecuredRoundTrip.run(kafka.bootstrapServers(), right, topics.next());
            ClientSecurity wrong = security(kafka, SaslMechanism.PLAIN, WRONG_PASSWORD);
            try (TopicAdmin admin = TopicAdmin.connect(kafka.bootstrapServers(), wrong, Duration.ofSeconds(30))) {
                texts.add(stackTrace(assertThrows(SaslAuthenticationException.class, admin::listTopics)));
            }
            texts.add(right.toString());
            texts.add(ProducerOptions.builder(kafka.bootstrapServers()).security(wrong).build().toString());
        } finally {
            root.setLevel(level);
            root.detachAppender(captured);
        }
        for (ILoggingEvent event : captured.list) {
            texts.add(event.getFormattedMessage());
            if (event.getThrowableProxy() != null) {
                texts.add(ThrowableProxyUtil.asString(event.getThrowableProxy()));
            }
        }

        // Then no password appears anywhere
        assertTrue(captured.list.size() > 100, "captured " + captured.list.size() + " log events");
        for (String secret : List.of(password, WRONG_PASSWORD, trustPassword)) {
            List<String> leaks = texts.stream().filter(text -> text.contains(secret)).toList();
            assertEquals(List.of(), leaks, "a password was shown");
        }
    }

    @Test
    void shouldSendWithTheReadmeExample(EmbeddedKafkaCluster kafka, TestTopics topics) throws Exception {
        // Given the client file ./primer broker --security sasl_ssl would write for this cluster
        Path clientFile = Files.createTempDirectory("readme-").resolve("client.properties");
        Files.writeString(clientFile, kafka.clientProperties().entrySet().stream()
                .map(e -> e.getKey() + "=" + (e.getValue() instanceof Password p ? p.value() : e.getValue()))
                .collect(Collectors.joining("\n")));
        String topic = topics.next();

        // When the README's example runs with it, then the record is stored
        ReadmeSnippet.send(kafka.bootstrapServers(), topic, clientFile);
        Files.delete(clientFile);
        Files.delete(clientFile.getParent());
        TrustStore trust = kafka.trustStore().orElseThrow();
        try (TopicAdmin admin = TopicAdmin.connect(kafka.bootstrapServers(), security(kafka,
                SaslMechanism.SCRAM_SHA_512, user(kafka).password().value()), Duration.ofSeconds(30))) {
            assertEquals(1, admin.describeTopic(topic).partitions().size());
        }
        // And the file's security is the one the factories build
        assertEquals(ClientSecurity.sasl(SaslMechanism.SCRAM_SHA_512, user(kafka).name(),
                user(kafka).password().value()).withTruststore(trust.location(), trust.password().value()),
                ClientSecurity.fromProperties(kafka.clientProperties()));
    }

    /** The README's security example; the text between the markers is in both READMEs as it is (ReadmeProgramsTest). */
    static final class ReadmeSnippet {

        private ReadmeSnippet() {
        }

        static void send(String bootstrapServers, String topic, Path clientFile) {
            // README-security:start
            ClientSecurity security = ClientSecurity.load(clientFile);  // checked here: names any wrong setting
            ProducerOptions options = ProducerOptions.builder(bootstrapServers).security(security).build();
            try (JsonProducer<String, String> producer = JsonProducer.create(options)) {
                producer.sendAndWait(topic, "order-17", "placed", Duration.ofSeconds(10));
                System.out.println("sent with " + security);  // passwords print as [hidden]
            }
            // README-security:end
        }
    }

    private static SaslUser user(EmbeddedKafkaCluster kafka) {
        return kafka.saslUsers().get(0);
    }

    private static ClientSecurity security(EmbeddedKafkaCluster kafka, SaslMechanism mechanism, String password) {
        TrustStore trust = kafka.trustStore().orElseThrow();
        return ClientSecurity.sasl(mechanism, user(kafka).name(), password)
                .withTruststore(trust.location(), trust.password().value());
    }

    private static String stackTrace(Throwable error) {
        StringWriter text = new StringWriter();
        error.printStackTrace(new PrintWriter(text));
        return text.toString();
    }
}
