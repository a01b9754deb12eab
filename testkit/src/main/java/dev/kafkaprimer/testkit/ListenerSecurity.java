package dev.kafkaprimer.testkit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * The security of an embedded cluster's client listener, from both sides: the broker settings that secure it
 * (TLS key store, client certificates, SASL mechanisms and users) and the client settings that get in. Brokers
 * and controllers keep talking to each other over PLAINTEXT listeners, so only the listener under test changes.
 *
 * <p>Lifecycle: {@link #brokerSettings(Path)} writes the TLS files (once, into the cluster's data directory,
 * deleted with it); the stores and {@link #clientProperties()} are known from then on. Not thread-safe: the
 * cluster calls it while starting, under its own lock.
 */
final class ListenerSecurity {

    private static final List<String> SASL_MECHANISMS = List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");
    private static final String PLAIN_LOGIN_MODULE = "org.apache.kafka.common.security.plain.PlainLoginModule";
    private static final String SCRAM_LOGIN_MODULE = "org.apache.kafka.common.security.scram.ScramLoginModule";
    /** The broker setting for client certificates; its constant lives in a kafka-clients internals package. */
    private static final String CLIENT_AUTH_SETTING = "ssl.client.auth";

    private final SecurityProtocol protocol;
    private final List<SaslUser> saslUsers;
    private final boolean requireClientCertificates;
    private TlsFiles tls;

    ListenerSecurity(SecurityProtocol protocol, List<SaslUser> saslUsers, boolean requireClientCertificates) {
        this.protocol = protocol;
        this.saslUsers = List.copyOf(saslUsers);
        this.requireClientCertificates = requireClientCertificates;
    }

    SecurityProtocol protocol() {
        return protocol;
    }

    List<SaslUser> saslUsers() {
        return saslUsers;
    }

    boolean requiresClientCertificates() {
        return requireClientCertificates;
    }

    /**
     * Broker settings for the secured client listener, all prefixed with {@code listener.name.<listener>.} so
     * they apply to it alone. TLS: the key store with the certificate the throwaway CA signed; for mutual TLS also
     * a trust store with that CA, against which the broker checks client certificates. SASL: the mechanisms, and
     * for PLAIN the users and passwords themselves (PLAIN checks them against this list; SCRAM checks the salted
     * credentials stored in the cluster metadata, see {@link #scramArguments()}). Empty for PLAINTEXT.
     *
     * @param dataDirectory where the TLS files go (in a folder {@code tls})
     */
    Map<String, String> brokerSettings(Path dataDirectory) {
        Map<String, String> settings = new LinkedHashMap<>();
        if (protocol == SecurityProtocol.PLAINTEXT) {
            return settings;
        }
        String prefix = "listener.name." + EmbeddedNode.clientListener(protocol).toLowerCase(Locale.ROOT) + ".";
        if (protocol == SecurityProtocol.SSL || protocol == SecurityProtocol.SASL_SSL) {
            tls = TlsFiles.create(dataDirectory.resolve("tls"), requireClientCertificates);
            settings.put(prefix + SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, tls.brokerKeyStore().toString());
            settings.put(prefix + SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PKCS12");
            settings.put(prefix + SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, tls.brokerKeyStorePassword().value());
            settings.put(prefix + SslConfigs.SSL_KEY_PASSWORD_CONFIG, tls.brokerKeyStorePassword().value());
        }
        if (requireClientCertificates) {
            // The broker trusts what the clients trust, the throwaway CA, so the certificate it issued gets in.
            TrustStore trust = tls.trustStore();
            settings.put(prefix + SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, trust.location().toString());
            settings.put(prefix + SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, trust.type());
            settings.put(prefix + SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, trust.password().value());
            // "required": no certificate, no connection. ("requested" would let such clients in anonymously.)
            // Only this listener: brokers and controllers keep talking over their PLAINTEXT ones.
            settings.put(prefix + CLIENT_AUTH_SETTING, "required");
        }
        if (protocol == SecurityProtocol.SASL_SSL || protocol == SecurityProtocol.SASL_PLAINTEXT) {
            settings.put(prefix + "sasl.enabled.mechanisms", String.join(",", SASL_MECHANISMS));
            StringBuilder plain = new StringBuilder(PLAIN_LOGIN_MODULE + " required");
            saslUsers.forEach(user -> plain.append(" user_").append(user.name()).append("=\"")
                    .append(user.password().value()).append('"'));
            settings.put(prefix + "plain.sasl.jaas.config", plain.append(';').toString());
            for (String scram : List.of("scram-sha-256", "scram-sha-512")) {
                settings.put(prefix + scram + ".sasl.jaas.config", SCRAM_LOGIN_MODULE + " required;");
            }
        }
        return settings;
    }

    /** {@code kafka-storage.sh format --add-scram} arguments: each user, for both SCRAM mechanisms. */
    List<String> scramArguments() {
        List<String> arguments = new ArrayList<>();
        for (SaslUser user : saslUsers) {
            for (String mechanism : List.of("SCRAM-SHA-256", "SCRAM-SHA-512")) {
                arguments.add(mechanism + "=[name=" + user.name() + ",password=" + user.password().value() + "]");
            }
        }
        return arguments;
    }

    /** The store that makes clients trust the listener's certificate; empty without TLS or before start. */
    Optional<TrustStore> trustStore() {
        return Optional.ofNullable(tls).map(TlsFiles::trustStore);
    }

    /** The key store with the client certificate mutual TLS demands; empty otherwise. */
    Optional<ClientKeyStore> clientKeyStore() {
        return Optional.ofNullable(tls).flatMap(TlsFiles::clientKeyStore);
    }

    /** As {@link EmbeddedKafkaCluster#clientProperties()} describes. */
    Map<String, Object> clientProperties() {
        Map<String, Object> client = new LinkedHashMap<>();
        client.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol.name);
        trustStore().ifPresent(trust -> {
            client.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, trust.location().toString());
            client.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, trust.type());
            client.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, trust.password());
        });
        clientKeyStore().ifPresent(key -> {
            client.put(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, key.location().toString());
            client.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, key.type());
            client.put(SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, key.password());
            client.put(SslConfigs.SSL_KEY_PASSWORD_CONFIG, key.password());  // PKCS12: the store's password
        });
        if (!saslUsers.isEmpty()) {
            SaslUser user = saslUsers.get(0);
            client.put(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512");
            client.put(SaslConfigs.SASL_JAAS_CONFIG, new Password(SCRAM_LOGIN_MODULE + " required username=\""
                    + user.name() + "\" password=\"" + user.password().value() + "\";"));
        }
        return Collections.unmodifiableMap(client);
    }
}
