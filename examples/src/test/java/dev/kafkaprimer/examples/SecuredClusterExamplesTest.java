package dev.kafkaprimer.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.kafkaprimer.examples.cli.ClientPropertiesText;
import dev.kafkaprimer.testkit.EmbeddedKafkaCluster;
import dev.kafkaprimer.testkit.SaslUser;
import dev.kafkaprimer.testkit.TestTopics;
import dev.kafkaprimer.testkit.TrustStore;
import dev.kafkaprimer.testkit.WithKafkaCluster;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples against a SASL_SSL listener, told how to get in by {@code --command-config FILE} (the file
 * Kafka's tools take) or by {@code KAFKA_*} variables. The broker checks retention and cleans often, so that
 * {@code segments} finishes on a cluster given by address.
 */
@WithKafkaCluster(security = SecurityProtocol.SASL_SSL, lifecycle = WithKafkaCluster.Lifecycle.PER_CLASS,
        brokerProperties = {"log.retention.check.interval.ms=500", "log.initial.task.delay.ms=0",
                "log.cleaner.backoff.ms=200"})
class SecuredClusterExamplesTest {

    @TempDir
    Path dir;

    @Test
    void shouldRunHelloKeysClusterAndSegmentsWithTheCommandConfigFile(EmbeddedKafkaCluster kafka, TestTopics topics)
            throws IOException {
        // Given the file a user of this cluster would write (SCRAM-SHA-512)
        Path file = commandConfig(kafka, kafka.clientProperties());

        // When the examples run with it, then each one gets through, and none prints a password
        for (List<String> example : List.of(List.of("hello", "--topic", topics.next()),
                List.of("keys", "--topic", topics.next()),
                List.of("cluster", "--topic", topics.next()),
                List.of("segments", "--topic", topics.next()))) {
            PrimerRun run = primer(Map.of(), kafka, example, "--command-config", file.toString());
            assertEquals(0, run.exitCode(), run::toString);
            assertTrue(run.out().contains("security.protocol=SASL_SSL, sasl.mechanism=SCRAM-SHA-512 as user "
                    + user(kafka).name()), run::toString);
            assertTrue(run.out().contains(example.get(0) + ": OK"), run::toString);
            assertNoSecret(kafka, run);
        }
    }

    @Test
    void shouldRunTheWalletWhoseKilledMemberJvmLogsInToo(EmbeddedKafkaCluster kafka, TestTopics topics)
            throws IOException {
        Path file = commandConfig(kafka, kafka.clientProperties());

        PrimerRun run = primer(Map.of(), kafka, List.of("wallet", "--topic", topics.next(), "--db",
                dir.resolve("wallet.db").toString(), "--events", "1000", "--users", "20", "--consumers", "2",
                "--crash-consumer"), "--command-config", file.toString());

        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("SIGKILL") && run.out().contains("wallet: OK"), run::toString);
        assertNoSecret(kafka, run);
    }

    @Test
    void shouldLogInWithPlainFromEnvironmentVariables(EmbeddedKafkaCluster kafka, TestTopics topics) {
        TrustStore trust = kafka.trustStore().orElseThrow();
        Map<String, String> env = Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SASL_MECHANISM", "PLAIN",
                "KAFKA_SASL_USERNAME", user(kafka).name(),
                "KAFKA_SASL_PASSWORD", user(kafka).password().value(),
                "KAFKA_SSL_TRUSTSTORE_LOCATION", trust.location().toString(),
                "KAFKA_SSL_TRUSTSTORE_PASSWORD", trust.password().value());

        PrimerRun run = PrimerRun.of(env, "hello", "--topic", topics.next());

        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("(from KAFKA_BOOTSTRAP_SERVERS), security.protocol=SASL_SSL,"
                + " sasl.mechanism=PLAIN"), run::toString);
        assertNoSecret(kafka, run);
    }

    @Test
    void shouldSayTheLoginWasRefusedWithoutShowingThePassword(EmbeddedKafkaCluster kafka) throws IOException {
        // Given the right user with a wrong password
        Map<String, Object> wrong = new HashMap<>(kafka.clientProperties());
        wrong.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required"
                + " username=\"" + user(kafka).name() + "\" password=\"Wrong-Password-42\";");
        Path file = commandConfig(kafka, wrong);

        PrimerRun run = primer(Map.of(), kafka, List.of("hello", "--timeout", "10"), "--command-config",
                file.toString());

        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.out().contains("hello: FAILED: the broker at " + kafka.bootstrapServers()
                + " refused the login"), run::toString);
        assertFalse((run.out() + run.err()).contains("Wrong-Password-42"), run::toString);
        assertNoSecret(kafka, run);
    }

    @Test
    void shouldSuggestCommandConfigWhenAPlaintextClientDialsTheTlsListener(EmbeddedKafkaCluster kafka) {
        PrimerRun run = primer(Map.of(), kafka, List.of("hello", "--timeout", "3"));

        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.out().contains("no Kafka broker answered at " + kafka.bootstrapServers() + " within 3 s")
                && run.out().contains("its listener may need TLS or a login")
                && run.out().contains("pass --command-config FILE"), run::toString);
    }

    @Test
    void shouldRefuseBrokenSecuritySettingsAsAUsageError(EmbeddedKafkaCluster kafka) throws IOException {
        Path noProtocol = Files.writeString(dir.resolve("broken.properties"), "sasl.mechanism=PLAIN\n");
        PrimerRun broken = primer(Map.of(), kafka, List.of("hello"), "--command-config", noProtocol.toString());
        assertEquals(2, broken.exitCode(), broken::toString);
        assertTrue(broken.err().contains("--command-config " + noProtocol + ": [sasl.mechanism] set without"
                + " security.protocol"), broken::toString);

        PrimerRun embedded = PrimerRun.of(Map.of(), "hello", "--command-config", noProtocol.toString());
        assertEquals(2, embedded.exitCode(), embedded::toString);
        assertTrue(embedded.err().contains("--command-config is for a cluster given with --bootstrap-server"),
                embedded::toString);
    }

    private static SaslUser user(EmbeddedKafkaCluster kafka) {
        return kafka.saslUsers().get(0);
    }

    private Path commandConfig(EmbeddedKafkaCluster kafka, Map<String, Object> settings) throws IOException {
        Path file = Files.createTempFile(dir, "client", ".properties");
        Files.delete(file);
        ClientPropertiesText.write(file, settings);
        return file;
    }

    private static PrimerRun primer(Map<String, String> env, EmbeddedKafkaCluster kafka, List<String> example,
                                    String... more) {
        List<String> args = new java.util.ArrayList<>(example);
        args.add("--bootstrap-server");
        args.add(kafka.bootstrapServers());
        args.addAll(List.of(more));
        return PrimerRun.of(env, args.toArray(String[]::new));
    }

    private static void assertNoSecret(EmbeddedKafkaCluster kafka, PrimerRun run) {
        String printed = run.out() + run.err();
        assertFalse(printed.contains(user(kafka).password().value()), "the user's password was printed");
        assertFalse(printed.contains(kafka.trustStore().orElseThrow().password().value()),
                "the trust store's password was printed");
    }
}
