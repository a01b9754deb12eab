package dev.kafkaprimer.core.config;

import java.util.Arrays;
import java.util.Optional;

/**
 * The SASL mechanisms that log in with a user name and a password, for {@link ClientSecurity#sasl}. Each names
 * the login module kafka-clients needs in {@code sasl.jaas.config}; {@link ClientSecurity} writes that line.
 */
public enum SaslMechanism {

    /**
     * The password itself is sent to the broker, which compares it with its list. Only ever over TLS
     * ({@code SASL_SSL}): over {@code SASL_PLAINTEXT} anyone on the network path reads it.
     */
    PLAIN("PLAIN", "org.apache.kafka.common.security.plain.PlainLoginModule"),

    /**
     * Challenge and response (RFC 7677): the password never crosses the network, and the broker stores only a
     * salted hash of it, in the cluster metadata ({@code kafka-configs.sh --alter --add-config
     * 'SCRAM-SHA-256=[password=...]'}).
     */
    SCRAM_SHA_256("SCRAM-SHA-256", "org.apache.kafka.common.security.scram.ScramLoginModule"),

    /** As {@link #SCRAM_SHA_256}, with SHA-512. The usual choice of managed Kafka services. */
    SCRAM_SHA_512("SCRAM-SHA-512", "org.apache.kafka.common.security.scram.ScramLoginModule");

    private final String mechanismName;
    private final String loginModule;

    SaslMechanism(String mechanismName, String loginModule) {
        this.mechanismName = mechanismName;
        this.loginModule = loginModule;
    }

    /**
     * The name kafka-clients and brokers use.
     *
     * @return the {@code sasl.mechanism} value, such as {@code SCRAM-SHA-512}
     */
    public String mechanismName() {
        return mechanismName;
    }

    /**
     * The JAAS login module this mechanism needs on the client.
     *
     * @return its class name, as written first in {@code sasl.jaas.config}
     */
    public String loginModule() {
        return loginModule;
    }

    /**
     * The mechanism called {@code name} by kafka-clients.
     *
     * @param name a {@code sasl.mechanism} value such as {@code SCRAM-SHA-512}, in any case; not null
     * @return the mechanism, or empty for one that does not log in with a password (GSSAPI, OAUTHBEARER, ...)
     */
    public static Optional<SaslMechanism> forName(String name) {
        return Arrays.stream(values()).filter(m -> m.mechanismName.equalsIgnoreCase(name.trim())).findFirst();
    }
}
