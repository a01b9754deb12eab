package dev.kafkaprimer.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.kafkaprimer.core.consumer.ConsumerOptions;
import dev.kafkaprimer.core.producer.ProducerOptions;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.JaasContext;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientSecurityTest {

    private static final String SECRET = "s3cr3t-\"quoted\"-\\back";

    @TempDir
    Path dir;

    @Test
    void shouldBuildTheJaasLineForEachPasswordMechanism() {
        for (SaslMechanism mechanism : SaslMechanism.values()) {
            // When a SASL_SSL security is made from a user and a password with quotes and a backslash
            ClientSecurity security = ClientSecurity.sasl(mechanism, "alice", SECRET);

            // Then kafka-clients reads back exactly that user and password, with the mechanism's login module
            Map<String, Object> client = security.clientProperties();
            assertEquals("SASL_SSL", client.get("security.protocol"));
            assertEquals(mechanism.mechanismName(), client.get("sasl.mechanism"));
            assertInstanceOf(Password.class, client.get("sasl.jaas.config"));
            var entry = JaasContext.loadClientContext(client).configurationEntries().get(0);
            assertEquals(mechanism.loginModule(), entry.getLoginModuleName());
            assertEquals("alice", entry.getOptions().get("username"));
            assertEquals(SECRET, entry.getOptions().get("password"));
            assertEquals(Optional.of("alice"), security.username());
        }
    }

    @Test
    void shouldNeverShowPasswordsInToStringOrOptions() throws IOException {
        // Given a SASL_SSL security with a trust store and a key store
        Path store = Files.writeString(dir.resolve("truststore.p12"), "not really a store");
        ClientSecurity security = ClientSecurity.sasl(SaslMechanism.SCRAM_SHA_512, "alice", SECRET)
                .withTruststore(store, "trust-pass").withKeystore(store, "store-pass", "key-pass");

        // When it is printed alone and inside producer and consumer options
        String shown = security + " " + ProducerOptions.builder("localhost:9093").security(security).build()
                + " " + ConsumerOptions.builder("localhost:9093", "g", List.of("t")).security(security).build();

        // Then no secret appears, while everything else does
        for (String secret : List.of("s3cr3t", "trust-pass", "store-pass", "key-pass")) {
            assertFalse(shown.contains(secret), secret + " in " + shown);
        }
        assertTrue(shown.contains("security.protocol=SASL_SSL") && shown.contains("user=alice")
                && shown.contains("ssl.truststore.location=" + store) && shown.contains("ssl.truststore.type=PKCS12")
                && shown.contains("sasl.jaas.config=[hidden]"), shown);
    }

    @Test
    void shouldRefuseStoresThatDoNotExistOrProtocolsWithoutTls() {
        Path missing = dir.resolve("nowhere.jks");
        IllegalArgumentException noFile = assertThrows(IllegalArgumentException.class,
                () -> ClientSecurity.ssl(missing, "pass"));
        assertTrue(noFile.getMessage().contains("ssl.truststore.location") && noFile.getMessage().contains(
                missing.toString()) && noFile.getMessage().contains("does not exist"), noFile.getMessage());

        IllegalArgumentException noTls = assertThrows(IllegalArgumentException.class, () -> ClientSecurity
                .saslPlaintext(SaslMechanism.PLAIN, "alice", "pw").withTruststore(missing, "pass"));
        assertTrue(noTls.getMessage().contains("SASL_PLAINTEXT"), noTls.getMessage());

        IllegalArgumentException blank = assertThrows(IllegalArgumentException.class,
                () -> ClientSecurity.sasl(SaslMechanism.PLAIN, " ", "pw"));
        assertTrue(blank.getMessage().contains("username"), blank.getMessage());
        IllegalArgumentException emptyPassword = assertThrows(IllegalArgumentException.class,
                () -> ClientSecurity.sasl(SaslMechanism.PLAIN, "alice", ""));
        assertTrue(emptyPassword.getMessage().contains("'alice'"), emptyPassword.getMessage());
    }

    @Test
    void shouldReadTheFileKafkaToolsTakeWithCommandConfig() throws IOException {
        // Given a client.properties file as Kafka's CLI tools read it
        Path store = Files.writeString(dir.resolve("truststore.p12"), "x");
        Path file = Files.writeString(dir.resolve("client.properties"), String.join("\n",
                "# a comment",
                "security.protocol=sasl_ssl",
                "sasl.mechanism=SCRAM-SHA-512",
                "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \\",
                "    username=\"alice\" password=\"" + "a-password" + "\";",
                "ssl.truststore.location=" + store,
                "ssl.truststore.password=trust-pass  ",
                ""));

        // When it is loaded
        ClientSecurity security = ClientSecurity.load(file);

        // Then it is what the factories would make, secrets as Password, values trimmed
        assertEquals(SecurityProtocol.SASL_SSL, security.protocol());
        assertEquals(Optional.of("SCRAM-SHA-512"), security.saslMechanism());
        assertEquals(Optional.of("alice"), security.username());
        assertEquals(new Password("trust-pass"), security.clientProperties().get("ssl.truststore.password"));
        assertEquals(store.toString(), security.clientProperties().get("ssl.truststore.location"));
        assertEquals("a-password", JaasContext.loadClientContext(security.clientProperties())
                .configurationEntries().get(0).getOptions().get("password"));
        assertFalse(security.toString().contains("a-password"), security.toString());
    }

    @Test
    void shouldNameWhatIsWrongInAPropertiesFileWithoutShowingSecrets() {
        String scram = "org.apache.kafka.common.security.scram.ScramLoginModule";
        String plain = "org.apache.kafka.common.security.plain.PlainLoginModule";
        Map<Map<String, String>, String> wrong = Map.of(
                Map.of("security.protocol", "TLS"), "security.protocol must be one of",
                Map.of("sasl.mechanism", "PLAIN"), "without security.protocol",
                Map.of("security.protocol", "SSL", "sasl.mechanism", "PLAIN"), "did you mean security.protocol=SASL_SSL",
                Map.of("security.protocol", "SASL_PLAINTEXT", "ssl.truststore.location", "/x"),
                        "did you mean security.protocol=SASL_SSL",
                Map.of("security.protocol", "SASL_SSL"), "needs sasl.mechanism",
                Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-256"), "needs sasl.jaas.config",
                Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-256",
                        "sasl.jaas.config", plain + " required username=\"a\" password=\"hunter2\";"),
                        "needs the login module " + scram + " in sasl.jaas.config, found " + plain,
                Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "PLAIN",
                        "sasl.jaas.config", plain + " required password=\"hunter2\";"), "needs both username",
                Map.of("security.protocol", "SSL", "client.id", "x"), "[client.id] is not a security setting");
        wrong.forEach((properties, expected) -> {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> ClientSecurity.fromProperties(properties), properties::toString);
            assertTrue(error.getMessage().contains(expected), error.getMessage());
            assertFalse(error.getMessage().contains("hunter2"), error.getMessage());
        });
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> ClientSecurity.load(dir.resolve("client.properties")));
        assertTrue(missing.getMessage().contains("client.properties does not exist"), missing.getMessage());
    }

    @Test
    void shouldAcceptMechanismsWithoutPasswordsUnchecked() {
        ClientSecurity oauth = ClientSecurity.fromProperties(Map.of("security.protocol", "SASL_SSL",
                "sasl.mechanism", "OAUTHBEARER", "sasl.oauthbearer.token.endpoint.url", "https://idp/token"));
        assertEquals(Optional.of("OAUTHBEARER"), oauth.saslMechanism());
        assertEquals(Optional.empty(), oauth.username());
        // Not a password setting in kafka-clients: stays text, so kafka-clients accepts it.
        assertEquals("https://idp/token", oauth.clientProperties().get("sasl.oauthbearer.token.endpoint.url"));
        assertEquals(ClientSecurity.plaintext(), ClientSecurity.fromProperties(Map.of()));
    }

    @Test
    void shouldReadTheEnvironmentWithAUserAndPasswordOrKafkaNames() {
        // A user and password become the JAAS line of the mechanism
        ClientSecurity scram = ClientSecurity.fromEnvironment(Map.of(
                "KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "KAFKA_SASL_MECHANISM", "SCRAM-SHA-256",
                "KAFKA_SASL_USERNAME", "bob", "KAFKA_SASL_PASSWORD", SECRET, "KAFKA_HOME", "/opt/kafka",
                "PATH", "/bin")).orElseThrow();
        assertEquals(ClientSecurity.sasl(SaslMechanism.SCRAM_SHA_256, "bob", SECRET), scram);

        // Every other setting by its Kafka name
        ClientSecurity ssl = ClientSecurity.fromEnvironment(Map.of("KAFKA_SECURITY_PROTOCOL", "SSL",
                "KAFKA_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM", "https")).orElseThrow();
        assertEquals("https", ssl.clientProperties().get("ssl.endpoint.identification.algorithm"));

        // Nothing set: nothing to say
        assertEquals(Optional.empty(), ClientSecurity.fromEnvironment(Map.of("KAFKA_BOOTSTRAP_SERVERS", "x:1")));

        IllegalArgumentException half = assertThrows(IllegalArgumentException.class,
                () -> ClientSecurity.fromEnvironment(Map.of("KAFKA_SASL_USERNAME", "bob")));
        assertTrue(half.getMessage().contains("KAFKA_SASL_PASSWORD is not set"), half.getMessage());
        IllegalArgumentException kerberos = assertThrows(IllegalArgumentException.class,
                () -> ClientSecurity.fromEnvironment(Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                        "KAFKA_SASL_USERNAME", "bob", "KAFKA_SASL_PASSWORD", SECRET)));
        assertTrue(kerberos.getMessage().contains("need KAFKA_SASL_MECHANISM"), kerberos.getMessage());
        assertFalse(kerberos.getMessage().contains("s3cr3t"), kerberos.getMessage());
    }

    @Test
    void shouldAcceptEveryClientFileOfTheReadme() throws IOException {
        // Given the README's .properties blocks, with their store files made to exist here
        String readme = Files.readString(Path.of("../README.md"));
        String section = readme.substring(readme.indexOf("## Connecting to a real cluster"));
        section = section.substring(0, section.indexOf("\n## ", 3));
        Files.writeString(dir.resolve("truststore.p12"), "x");
        Files.writeString(dir.resolve("client.p12"), "x");
        Matcher block = Pattern.compile("```properties\n(.*?)```", Pattern.DOTALL).matcher(section);
        List<SecurityProtocol> protocols = new ArrayList<>();
        while (block.find()) {
            Properties file = new Properties();
            file.load(new StringReader(block.group(1).replace("/etc/kafka/", dir + "/")));

            // When ClientSecurity reads each, then it accepts it as the protocol it names
            ClientSecurity security = ClientSecurity.fromProperties(file);
            assertEquals(file.getProperty("security.protocol"), security.protocol().name);
            protocols.add(security.protocol());
        }
        assertEquals(List.of(SecurityProtocol.PLAINTEXT, SecurityProtocol.SSL, SecurityProtocol.SSL,
                SecurityProtocol.SASL_SSL, SecurityProtocol.SASL_SSL, SecurityProtocol.SASL_PLAINTEXT), protocols);
    }

    @Test
    void shouldRefuseTheSameSecuritySettingFromTwoPlaces() {
        ClientSecurity security = ClientSecurity.sasl(SaslMechanism.PLAIN, "alice", "pw");
        IllegalArgumentException producer = assertThrows(IllegalArgumentException.class,
                () -> ProducerOptions.builder("localhost:9093").security(security)
                        .property("security.protocol", "PLAINTEXT").build());
        assertTrue(producer.getMessage().contains("[security.protocol] is also set by security(...)"),
                producer.getMessage());
        IllegalArgumentException consumer = assertThrows(IllegalArgumentException.class,
                () -> ConsumerOptions.builder("localhost:9093", "g", List.of("t"))
                        .property("sasl.mechanism", "PLAIN").security(security).build());
        assertTrue(consumer.getMessage().contains("[sasl.mechanism]"), consumer.getMessage());

        // A setting security(...) leaves alone may still be passed through
        ProducerOptions tuned = ProducerOptions.builder("localhost:9093").security(security)
                .property("sasl.login.connect.timeout.ms", "5000").build();
        assertEquals(Optional.of(security), tuned.security());
    }
}
