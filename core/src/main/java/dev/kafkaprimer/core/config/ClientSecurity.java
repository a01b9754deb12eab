package dev.kafkaprimer.core.config;

import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * How a client proves who it is and keeps its traffic private: the {@code security.protocol}, {@code ssl.*} and
 * {@code sasl.*} settings of kafka-clients, made from a few values, checked when they are made, and never
 * printed. {@code ProducerOptions.Builder.security}, {@code ConsumerOptions.Builder.security} and
 * {@code TopicAdmin.connect} take one.
 *
 * <p><b>The four protocols</b> (kafka-clients' {@link SecurityProtocol}):
 * <ul>
 *   <li>{@code PLAINTEXT} ({@link #plaintext()}, and kafka-clients' default): no encryption, no login. Fine on a
 *       laptop; anyone on the network path reads and can forge the traffic.</li>
 *   <li>{@code SSL} ({@link #ssl()}, {@link #ssl(Path, String)}): TLS. The client checks the broker's certificate
 *       against a trust store, and that it was issued for the host name it dialled. With a key store as well
 *       ({@link #withKeystore}) the broker can check the client's certificate too (mutual TLS).</li>
 *   <li>{@code SASL_SSL} ({@link #sasl}): TLS, then a user name and password ({@link SaslMechanism}). What
 *       managed Kafka services use.</li>
 *   <li>{@code SASL_PLAINTEXT} ({@link #saslPlaintext}): the same login without TLS; the records travel in the
 *       clear, and with {@link SaslMechanism#PLAIN} the password too.</li>
 * </ul>
 *
 * <p><b>Failure modes.</b> Mistakes that can be seen without a broker fail here, naming the setting: an unknown
 * protocol, a trust store file that does not exist, {@code ssl.*} settings with a protocol without TLS, a SCRAM
 * mechanism with the PLAIN login module, a setting that is not a security setting. What only the broker can
 * tell fails on the first request, and is not retried: a wrong password as {@code SaslAuthenticationException},
 * a certificate the trust store does not vouch for as {@code SslAuthenticationException}, and so is a missing
 * client certificate at a broker that requires one (the broker ends the handshake). A PLAINTEXT client
 * talking to a TLS listener gets no answer it understands, so it sees a {@code TimeoutException}; the library's
 * own clients then say that the listener may need SSL or SASL.
 *
 * <p><b>Secrets.</b> Passwords and the JAAS line are kept as kafka-clients' {@link Password}, which
 * kafka-clients accepts as a setting's value and which prints as {@code [hidden]}; {@link #toString()} shows
 * every other setting. The messages of exceptions thrown here name settings, never their secret values.
 *
 * <p><b>Files and environment.</b> {@link #load(Path)} reads the {@code .properties} file Kafka's own tools take
 * with {@code --command-config}, so one file serves both; {@link #fromEnvironment(Map)} reads
 * {@code KAFKA_SECURITY_PROTOCOL}, {@code KAFKA_SASL_*} and {@code KAFKA_SSL_*}.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * ClientSecurity security = ClientSecurity.sasl(SaslMechanism.SCRAM_SHA_512, "alice", System.getenv("KAFKA_PASSWORD"))
 *         .withTruststore(Path.of("truststore.p12"), System.getenv("TRUSTSTORE_PASSWORD"));  // a private CA
 * ProducerOptions options = ProducerOptions.builder("kafka.example.com:9093").security(security).build();
 * }</pre>
 */
public final class ClientSecurity {

    /** The environment variable {@link #fromEnvironment(Map)} reads {@code security.protocol} from. */
    public static final String PROTOCOL_ENV = "KAFKA_SECURITY_PROTOCOL";
    /** With {@link #PASSWORD_ENV} and {@code KAFKA_SASL_MECHANISM}: the user for which the JAAS line is built. */
    public static final String USERNAME_ENV = "KAFKA_SASL_USERNAME";
    /** The password that goes with {@link #USERNAME_ENV}. */
    public static final String PASSWORD_ENV = "KAFKA_SASL_PASSWORD";


    private static final String PROTOCOL = CommonClientConfigs.SECURITY_PROTOCOL_CONFIG;

    private final SecurityProtocol protocol;
    private final Map<String, Object> settings;
    private final String username;

    /** Made by the factories here and by {@link SecuritySettings}, which check the values first. */
    ClientSecurity(SecurityProtocol protocol, Map<String, Object> settings, String username) {
        this.protocol = protocol;
        this.settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        this.username = username;
    }

    /**
     * No encryption and no login: {@code security.protocol=PLAINTEXT}, kafka-clients' default.
     *
     * @return the plaintext security
     */
    public static ClientSecurity plaintext() {
        return new ClientSecurity(SecurityProtocol.PLAINTEXT, Map.of(PROTOCOL, SecurityProtocol.PLAINTEXT.name), null);
    }

    /**
     * TLS, trusting the certificate authorities the JDK trusts ({@code cacerts}): right for brokers with
     * certificates from a public CA.
     *
     * @return the TLS security
     */
    public static ClientSecurity ssl() {
        return new ClientSecurity(SecurityProtocol.SSL, Map.of(PROTOCOL, SecurityProtocol.SSL.name), null);
    }

    /**
     * TLS, trusting the certificates in {@code truststore}: for brokers whose certificates come from a private
     * CA. Same as {@code ssl().withTruststore(truststore, password)}.
     *
     * @param truststore a PKCS12 ({@code .p12}, {@code .pfx}) or JKS ({@code .jks}) file with the CA certificate
     * @param password   the trust store's password
     * @return the TLS security
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code truststore} is not a readable file
     */
    public static ClientSecurity ssl(Path truststore, String password) {
        return ssl().withTruststore(truststore, password);
    }

    /**
     * TLS and a login with a user name and password ({@code SASL_SSL}), trusting the JDK's certificate
     * authorities; add {@link #withTruststore} for a private CA. The JAAS line kafka-clients needs
     * ({@code sasl.jaas.config}) is built here, quotes and backslashes escaped.
     *
     * @param mechanism how the password is checked
     * @param username  the user; not blank
     * @param password  the password; not empty, no line breaks
     * @return the SASL_SSL security
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code username} is blank or a value has line breaks, or
     *                                  {@code password} is empty
     */
    public static ClientSecurity sasl(SaslMechanism mechanism, String username, String password) {
        return sasl(SecurityProtocol.SASL_SSL, mechanism, username, password);
    }

    /**
     * A login with a user name and password without TLS ({@code SASL_PLAINTEXT}): records travel in the clear,
     * and with {@link SaslMechanism#PLAIN} so does the password. For private networks and tests.
     *
     * @param mechanism how the password is checked
     * @param username  the user; not blank
     * @param password  the password; not empty, no line breaks
     * @return the SASL_PLAINTEXT security
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code username} is blank or a value has line breaks, or
     *                                  {@code password} is empty
     */
    public static ClientSecurity saslPlaintext(SaslMechanism mechanism, String username, String password) {
        return sasl(SecurityProtocol.SASL_PLAINTEXT, mechanism, username, password);
    }

    private static ClientSecurity sasl(SecurityProtocol protocol, SaslMechanism mechanism, String username,
                                       String password) {
        Objects.requireNonNull(mechanism, "mechanism");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        if (username.isBlank() || hasLineBreak(username)) {
            throw new IllegalArgumentException("username must be a name on one line, was '" + username + "'");
        }
        if (password.isEmpty() || hasLineBreak(password)) {
            throw new IllegalArgumentException("the password of '" + username + "' must not be empty or hold line"
                    + " breaks");
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put(PROTOCOL, protocol.name);
        settings.put(SaslConfigs.SASL_MECHANISM, mechanism.mechanismName());
        settings.put(SaslConfigs.SASL_JAAS_CONFIG, new Password(mechanism.loginModule() + " required username=\""
                + jaasEscape(username) + "\" password=\"" + jaasEscape(password) + "\";"));
        return new ClientSecurity(protocol, settings, username);
    }

    /**
     * This security with a trust store: the broker certificates it vouches for are accepted, and no others.
     *
     * @param truststore a PKCS12 ({@code .p12}, {@code .pfx}) or JKS ({@code .jks}) file; other extensions leave
     *                   {@code ssl.truststore.type} to kafka-clients (JKS, which also reads PKCS12)
     * @param password   the trust store's password
     * @return a new security with {@code ssl.truststore.*} set
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if this protocol has no TLS ({@code PLAINTEXT}, {@code SASL_PLAINTEXT}),
     *                                  or {@code truststore} is not a readable file
     */
    public ClientSecurity withTruststore(Path truststore, String password) {
        Objects.requireNonNull(truststore, "truststore");
        Objects.requireNonNull(password, "truststore password");
        requireTls("a trust store");
        Map<String, Object> with = new LinkedHashMap<>(settings);
        with.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, readableFile(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG,
                truststore).toString());
        storeType(truststore).ifPresent(type -> with.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, type));
        with.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, new Password(password));
        return new ClientSecurity(protocol, with, username);
    }

    /**
     * This security with a key store: the client's own private key and certificate, which a broker that sets
     * {@code ssl.client.auth=required} checks (mutual TLS). Without one, such a broker ends the TLS handshake and
     * the first request fails with {@code SslAuthenticationException}, not retried.
     *
     * @param keystore      a PKCS12 ({@code .p12}, {@code .pfx}) or JKS ({@code .jks}) file
     * @param storePassword the key store's password
     * @param keyPassword   the private key's password (in a PKCS12 file usually the store's)
     * @return a new security with {@code ssl.keystore.*} and {@code ssl.key.password} set
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if this protocol has no TLS, or {@code keystore} is not a readable file
     */
    public ClientSecurity withKeystore(Path keystore, String storePassword, String keyPassword) {
        Objects.requireNonNull(keystore, "keystore");
        Objects.requireNonNull(storePassword, "keystore password");
        Objects.requireNonNull(keyPassword, "key password");
        requireTls("a key store");
        Map<String, Object> with = new LinkedHashMap<>(settings);
        with.put(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, readableFile(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG,
                keystore).toString());
        storeType(keystore).ifPresent(type -> with.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, type));
        with.put(SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, new Password(storePassword));
        with.put(SslConfigs.SSL_KEY_PASSWORD_CONFIG, new Password(keyPassword));
        return new ClientSecurity(protocol, with, username);
    }

    /**
     * The security written as kafka-clients settings, as in a {@code client.properties} file. Only
     * {@code security.protocol}, {@code ssl.*} and {@code sasl.*} are accepted; everything is checked as
     * described in the class comment. Values are trimmed, as kafka-clients does.
     *
     * @param properties the settings, names and values as text (a {@link Properties} will do); not null
     * @return the security they describe
     * @throws IllegalArgumentException naming the setting, if a setting is not a security setting, a value is not
     *                                  valid, a file is missing, or the settings contradict each other
     */
    public static ClientSecurity fromProperties(Map<?, ?> properties) {
        return SecuritySettings.fromProperties(properties);
    }

    /**
     * Reads a client {@code .properties} file, the format Kafka's tools take with {@code --command-config}, such
     * as:
     * <pre>
     * security.protocol=SASL_SSL
     * sasl.mechanism=SCRAM-SHA-512
     * sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="alice" password="...";
     * ssl.truststore.location=/etc/kafka/truststore.p12
     * ssl.truststore.password=...
     * </pre>
     * The file is read as {@link Properties#load(InputStream)} reads it (ISO-8859-1, like Kafka's tools).
     *
     * @param file the file; not null
     * @return the security it describes
     * @throws IllegalArgumentException if the file does not exist, or as {@link #fromProperties(Map)} does; the
     *                                  message names the file
     * @throws UncheckedIOException     if the file cannot be read
     */
    public static ClientSecurity load(Path file) {
        return SecuritySettings.load(file);
    }

    /**
     * Reads security settings from environment variables, each named after its setting with {@code KAFKA_} in
     * front, upper case, {@code .} as {@code _} (the rule Kafka's Docker image uses for broker settings):
     * {@value #PROTOCOL_ENV}, {@code KAFKA_SASL_MECHANISM}, {@code KAFKA_SASL_JAAS_CONFIG},
     * {@code KAFKA_SSL_TRUSTSTORE_LOCATION}, {@code KAFKA_SSL_TRUSTSTORE_PASSWORD}, and so on. Instead of a JAAS
     * line, {@value #USERNAME_ENV} and {@value #PASSWORD_ENV} may give the user and password, for
     * {@code KAFKA_SASL_MECHANISM} PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512. Other variables are ignored.
     *
     * @param environment the variables, usually {@link System#getenv()}; not null
     * @return the security they describe, or empty when none of these variables is set
     * @throws IllegalArgumentException as {@link #fromProperties(Map)} does, or if only one of user name and
     *                                  password is set, or both and {@code KAFKA_SASL_JAAS_CONFIG} too
     */
    public static Optional<ClientSecurity> fromEnvironment(Map<String, String> environment) {
        return SecuritySettings.fromEnvironment(environment);
    }

    /**
     * The protocol, the value of {@code security.protocol}.
     *
     * @return the protocol; never null
     */
    public SecurityProtocol protocol() {
        return protocol;
    }

    /**
     * Whether the connection is encrypted with TLS.
     *
     * @return true for {@code SSL} and {@code SASL_SSL}
     */
    public boolean usesTls() {
        return protocol == SecurityProtocol.SSL || protocol == SecurityProtocol.SASL_SSL;
    }

    /**
     * The SASL mechanism, for the SASL protocols.
     *
     * @return the {@code sasl.mechanism} value, such as {@code SCRAM-SHA-512}; empty without SASL
     */
    public Optional<String> saslMechanism() {
        return Optional.ofNullable((String) settings.get(SaslConfigs.SASL_MECHANISM));
    }

    /**
     * The user that logs in, when the login is by user name and password.
     *
     * @return the user name; empty without SASL or for other mechanisms (GSSAPI, OAUTHBEARER, ...)
     */
    public Optional<String> username() {
        return Optional.ofNullable(username);
    }

    /**
     * The kafka-clients settings, ready to merge into a client's configuration. Secret values are
     * {@link Password}s, which kafka-clients takes as they are; every other value is text.
     *
     * @return an unmodifiable map with {@code security.protocol} first
     */
    public Map<String, Object> clientProperties() {
        return settings;
    }

    /**
     * Every setting, secret values shown as {@code [hidden]}, and the user name when known.
     *
     * @return a description for logs and error messages
     */
    @Override
    public String toString() {
        String shown = settings.entrySet().stream()
                .map(e -> e.getKey() + "=" + SecretMasking.display(e.getKey(), e.getValue()))
                .collect(Collectors.joining(", "));
        return "ClientSecurity{" + shown + (username == null ? "" : ", user=" + username) + "}";
    }

    /**
     * Equal when every setting is equal (secrets compared by value).
     *
     * @param other another object
     * @return whether {@code other} is a {@code ClientSecurity} with the same settings
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof ClientSecurity that && settings.equals(that.settings);
    }

    /** {@return a hash of the settings} */
    @Override
    public int hashCode() {
        return settings.hashCode();
    }

    private void requireTls(String what) {
        if (!usesTls()) {
            throw new IllegalArgumentException(what + " is for TLS, but security.protocol is " + protocol
                    + "; use ssl(...) or sasl(...), which use TLS");
        }
    }

    static Path readableFile(String setting, Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException(setting + " must be a readable file, but " + file.toAbsolutePath()
                    + (Files.exists(file) ? " is not one" : " does not exist"));
        }
        return file;
    }

    private static Optional<String> storeType(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".p12") || name.endsWith(".pfx")) {
            return Optional.of("PKCS12");
        }
        return name.endsWith(".jks") ? Optional.of("JKS") : Optional.empty();
    }

    /** JAAS values are in double quotes, where a backslash escapes the next character. */
    private static String jaasEscape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static boolean hasLineBreak(String value) {
        return value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0;
    }

    static String mechanismNames() {
        return Arrays.stream(SaslMechanism.values()).map(SaslMechanism::mechanismName).toList().toString();
    }

}
