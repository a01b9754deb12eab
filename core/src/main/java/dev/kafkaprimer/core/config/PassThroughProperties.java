package dev.kafkaprimer.core.config;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The rules that the producer's and the consumer's options apply alike, written once: the
 * {@code bootstrap.servers} list, the name of a setting passed through to kafka-clients, no setting given both
 * through {@code security(...)} and as a pass-through property, and a {@code toString} that never shows a
 * secret. Each options class adds the rules of its own client (which settings have a method of their own).
 *
 * <p>Thread-safe (stateless). <b>Not API:</b> public only so that the options classes of other packages can
 * share it; it may change in any release.
 */
public final class PassThroughProperties {

    /** One {@code host:port} entry; a host may be a name, an IPv4 address or a bracketed IPv6 address. */
    private static final Pattern HOST_AND_PORT = Pattern.compile("\\S+:\\d{1,5}");

    private PassThroughProperties() {
    }

    /**
     * Checks a {@code bootstrap.servers} value: one or more {@code host:port} entries separated by commas.
     *
     * @param bootstrapServers the value; not null
     * @return the value, trimmed
     * @throws NullPointerException     if {@code bootstrapServers} is null
     * @throws IllegalArgumentException naming the value if it is blank or an entry is not {@code host:port}
     */
    public static String bootstrapServers(String bootstrapServers) {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        if (bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrapServers must name at least one host:port, was '"
                    + bootstrapServers + "'");
        }
        for (String server : bootstrapServers.split(",", -1)) {
            if (!HOST_AND_PORT.matcher(server.trim()).matches()) {
                throw new IllegalArgumentException("bootstrapServers must be host:port entries separated by"
                        + " commas, but '" + server.trim() + "' in '" + bootstrapServers + "' is not");
            }
        }
        return bootstrapServers.trim();
    }

    /**
     * Checks a pass-through setting against the ones an options class sets itself.
     *
     * @param name      the kafka-clients setting's name; not null, not blank
     * @param value     its value; not null
     * @param chosenHere the settings with a method (or an argument) of their own, each with what to use instead
     * @throws NullPointerException     if {@code name} or {@code value} is null
     * @throws IllegalArgumentException if {@code name} is blank, or is in {@code chosenHere} (the message says what
     *                                  to use instead)
     */
    public static void check(String name, Object value, Map<String, String> chosenHere) {
        Objects.requireNonNull(name, "property name");
        Objects.requireNonNull(value, () -> "value of property " + name);
        if (name.isBlank()) {
            throw new IllegalArgumentException("property name must not be blank, was '" + name + "'");
        }
        String instead = chosenHere.get(name);
        if (instead != null) {
            throw new IllegalArgumentException("property " + name + " is set by the options themselves; use "
                    + instead);
        }
    }

    /**
     * Refuses pass-through settings that {@code security} also sets: each security setting has one source, so
     * that what the client uses is what the reader sees.
     *
     * @param properties the pass-through settings; not null
     * @param security   the security given, or null for none
     * @throws IllegalArgumentException naming the settings given twice
     */
    public static void checkNotAlsoInSecurity(Map<String, ?> properties, ClientSecurity security) {
        if (security == null) {
            return;
        }
        List<String> twice = properties.keySet().stream().filter(security.clientProperties()::containsKey)
                .sorted().toList();
        if (!twice.isEmpty()) {
            throw new IllegalArgumentException("property " + twice + " is also set by security(...): give"
                    + " each security setting in one place");
        }
    }

    /**
     * The settings as {@code {name=value, ...}}, sorted by name, secret values shown as {@code [hidden]}: for a
     * {@code toString} that is safe to log.
     *
     * @param properties the pass-through settings; not null
     * @return the text
     */
    public static String display(Map<String, ?> properties) {
        return new TreeMap<>(properties).entrySet().stream()
                .map(e -> e.getKey() + "=" + SecretMasking.display(e.getKey(), e.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
