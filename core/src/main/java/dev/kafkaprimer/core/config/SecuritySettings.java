package dev.kafkaprimer.core.config;

import static dev.kafkaprimer.core.config.ClientSecurity.PASSWORD_ENV;
import static dev.kafkaprimer.core.config.ClientSecurity.PROTOCOL_ENV;
import static dev.kafkaprimer.core.config.ClientSecurity.USERNAME_ENV;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * Reads a {@link ClientSecurity} from kafka-clients settings written as text: a map of them, a client
 * {@code .properties} file, or {@code KAFKA_*} environment variables; and checks them as the class comment of
 * {@code ClientSecurity} describes, so that a wrong setting fails here, naming it, rather than in the client's
 * first connection. {@code ClientSecurity} is the value; this is its parser.
 *
 * <p>Thread-safe (stateless).
 */
final class SecuritySettings {

    private static final String PROTOCOL = CommonClientConfigs.SECURITY_PROTOCOL_CONFIG;
    /** Names of settings kafka-clients itself types as passwords: only these may be given as {@link Password}. */
    private static final Set<String> PASSWORD_SETTINGS = passwordSettings();
    private static final Pattern JAAS_MODULE = Pattern.compile("^\\s*(\\S+)\\s+(required|requisite|sufficient|optional)\\b");
    private static final Pattern JAAS_USERNAME = Pattern.compile("\\busername\\s*=\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern JAAS_PASSWORD = Pattern.compile("\\bpassword\\s*=\\s*\"");

    private SecuritySettings() {
    }

    /** As {@link ClientSecurity#fromProperties(Map)}. */
    static ClientSecurity fromProperties(Map<?, ?> properties) {
        Objects.requireNonNull(properties, "properties");
        Map<String, String> text = new TreeMap<>();
        properties.forEach((name, value) -> text.put(String.valueOf(name).trim(),
                value instanceof Password secret ? secret.value().trim() : String.valueOf(value).trim()));
        List<String> others = text.keySet().stream()
                .filter(name -> !name.equals(PROTOCOL) && !name.startsWith("ssl.") && !name.startsWith("sasl."))
                .toList();
        if (!others.isEmpty()) {
            throw new IllegalArgumentException(others + (others.size() == 1 ? " is not a security setting" : " are not"
                    + " security settings") + ": ClientSecurity takes security.protocol, ssl.* and sasl.* only; pass"
                    + " other settings to the client's options");
        }
        SecurityProtocol protocol = protocolOf(text);
        List<String> ssl = text.keySet().stream().filter(name -> name.startsWith("ssl.")).toList();
        List<String> sasl = text.keySet().stream().filter(name -> name.startsWith("sasl.")).toList();
        boolean usesTls = protocol == SecurityProtocol.SSL || protocol == SecurityProtocol.SASL_SSL;
        boolean usesSasl = protocol == SecurityProtocol.SASL_SSL || protocol == SecurityProtocol.SASL_PLAINTEXT;
        if (!usesTls && !ssl.isEmpty()) {
            throw new IllegalArgumentException(ssl + " set, but security.protocol=" + protocol + " does not use TLS,"
                    + " so kafka-clients would ignore them; did you mean security.protocol="
                    + (usesSasl ? "SASL_SSL" : "SSL") + "?");
        }
        if (!usesSasl && !sasl.isEmpty()) {
            throw new IllegalArgumentException(sasl + " set, but security.protocol=" + protocol + " does not log in"
                    + " with SASL, so kafka-clients would ignore them; did you mean security.protocol="
                    + (usesTls ? "SASL_SSL" : "SASL_PLAINTEXT") + "?");
        }
        for (String store : List.of(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG)) {
            if (text.containsKey(store)) {
                ClientSecurity.readableFile(store, Path.of(text.get(store)));
            }
        }
        String username = usesSasl ? checkSaslLogin(protocol, text) : null;
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put(PROTOCOL, protocol.name);
        text.forEach((name, value) -> {
            if (!name.equals(PROTOCOL)) {
                settings.put(name, PASSWORD_SETTINGS.contains(name) ? new Password(value) : value);
            }
        });
        return new ClientSecurity(protocol, settings, username);
    }

    /** As {@link ClientSecurity#load(Path)}. */
    static ClientSecurity load(Path file) {
        Objects.requireNonNull(file, "file");
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("client properties file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read client properties file " + file, e);
        }
        try {
            return fromProperties(properties);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** As {@link ClientSecurity#fromEnvironment(Map)}. */
    static Optional<ClientSecurity> fromEnvironment(Map<String, String> environment) {
        Objects.requireNonNull(environment, "environment");
        Map<String, String> properties = new TreeMap<>();
        environment.forEach((name, value) -> {
            boolean security = name.equals(PROTOCOL_ENV) || name.startsWith("KAFKA_SSL_")
                    || name.startsWith("KAFKA_SASL_");
            if (security && !name.equals(USERNAME_ENV) && !name.equals(PASSWORD_ENV) && value != null) {
                properties.put(name.substring("KAFKA_".length()).toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        String user = environment.get(USERNAME_ENV);
        String password = environment.get(PASSWORD_ENV);
        if ((user == null) != (password == null)) {
            throw new IllegalArgumentException((user == null ? USERNAME_ENV : PASSWORD_ENV) + " is not set, but "
                    + (user == null ? PASSWORD_ENV : USERNAME_ENV) + " is: set both, or neither");
        }
        if (user != null) {
            if (properties.containsKey(SaslConfigs.SASL_JAAS_CONFIG)) {
                throw new IllegalArgumentException("both KAFKA_SASL_JAAS_CONFIG and " + USERNAME_ENV + "/" + PASSWORD_ENV
                        + " are set: give the login one way");
            }
            String mechanismName = properties.getOrDefault(SaslConfigs.SASL_MECHANISM, "(not set)");
            SaslMechanism mechanism = SaslMechanism.forName(mechanismName).orElseThrow(() ->
                    new IllegalArgumentException(USERNAME_ENV + " and " + PASSWORD_ENV + " need KAFKA_SASL_MECHANISM "
                            + ClientSecurity.mechanismNames() + ", was " + mechanismName));
            Password jaas = (Password) ClientSecurity.sasl(mechanism, user, password).clientProperties()
                    .get(SaslConfigs.SASL_JAAS_CONFIG);
            properties.put(SaslConfigs.SASL_JAAS_CONFIG, jaas.value());
        }
        if (properties.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(fromProperties(properties));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("environment variables " + PROTOCOL_ENV + ", KAFKA_SSL_*, KAFKA_SASL_*: "
                    + e.getMessage(), e);
        }
    }

    private static SecurityProtocol protocolOf(Map<String, String> text) {
        String given = text.get(PROTOCOL);
        if (given == null) {
            if (text.isEmpty()) {
                return SecurityProtocol.PLAINTEXT;
            }
            throw new IllegalArgumentException(text.keySet() + " set without security.protocol, so kafka-clients"
                    + " would use PLAINTEXT and ignore them; add security.protocol=SSL, SASL_SSL or SASL_PLAINTEXT");
        }
        return Arrays.stream(SecurityProtocol.values()).filter(p -> p.name.equalsIgnoreCase(given)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("security.protocol must be one of "
                        + Arrays.stream(SecurityProtocol.values()).map(p -> p.name).toList() + ", was '" + given + "'"));
    }
    /** Checks the mechanism and, for the password mechanisms, the JAAS line; returns the user name, if one. */
    private static String checkSaslLogin(SecurityProtocol protocol, Map<String, String> text) {
        String mechanismName = text.get(SaslConfigs.SASL_MECHANISM);
        if (mechanismName == null) {
            throw new IllegalArgumentException("security.protocol=" + protocol + " needs sasl.mechanism (kafka-clients"
                    + " would use GSSAPI, that is Kerberos); for a user name and password use one of "
                    + ClientSecurity.mechanismNames());
        }
        Optional<SaslMechanism> mechanism = SaslMechanism.forName(mechanismName);
        if (mechanism.isEmpty()) {
            return null;  // GSSAPI, OAUTHBEARER, ...: their settings are passed on unchecked
        }
        String jaas = text.get(SaslConfigs.SASL_JAAS_CONFIG);
        if (jaas == null) {
            throw new IllegalArgumentException("sasl.mechanism=" + mechanismName + " needs sasl.jaas.config with the"
                    + " user name and password: " + mechanism.get().loginModule()
                    + " required username=\"...\" password=\"...\";");
        }
        Matcher module = JAAS_MODULE.matcher(jaas);
        if (!module.find()) {
            throw new IllegalArgumentException("sasl.jaas.config must start with a login module and a flag, such as "
                    + mechanism.get().loginModule() + " required");
        }
        if (!module.group(1).equals(mechanism.get().loginModule())) {
            throw new IllegalArgumentException("sasl.mechanism=" + mechanismName + " needs the login module "
                    + mechanism.get().loginModule() + " in sasl.jaas.config, found " + module.group(1));
        }
        Matcher user = JAAS_USERNAME.matcher(jaas);
        if (!user.find() || !JAAS_PASSWORD.matcher(jaas).find()) {
            throw new IllegalArgumentException("sasl.jaas.config needs both username=\"...\" and password=\"...\"");
        }
        return user.group(1).replaceAll("\\\\(.)", "$1");
    }
    private static Set<String> passwordSettings() {
        Set<String> names = new HashSet<>();
        Predicate<ConfigDef.ConfigKey> password = key -> key.type == ConfigDef.Type.PASSWORD;
        for (ConfigDef definition : List.of(ProducerConfig.configDef(), ConsumerConfig.configDef(),
                AdminClientConfig.configDef())) {
            definition.configKeys().values().stream().filter(password).forEach(key -> names.add(key.name));
        }
        return Set.copyOf(names);
    }
}
