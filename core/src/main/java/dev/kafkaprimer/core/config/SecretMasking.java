package dev.kafkaprimer.core.config;

import java.util.List;
import java.util.Locale;

/**
 * The one rule for which client settings are secret, so that no {@code toString()} or log line prints a
 * password. Options classes call {@link #display(String, Object)} for every pass-through setting.
 *
 * <p>A setting is secret when its name (ignoring case) contains {@code password}, {@code passphrase},
 * {@code secret}, {@code token} or {@code sasl.jaas.config} (which embeds credentials), or names key
 * material by ending in {@code .key}, such as {@code ssl.keystore.key} (a PEM private key). The rule looks at
 * names only, so it also hides secrets of settings Kafka does not know, such as a schema registry's
 * {@code basic.auth.secret}; it errs on the side of hiding (a token endpoint URL is hidden too).
 *
 * <p>Public only so that the producer and consumer packages share it; applications need not call it.
 * Stateless and thread-safe.
 */
public final class SecretMasking {

    /** What a secret value is shown as: the text Kafka's own {@code Password.toString()} uses. */
    public static final String HIDDEN = "[hidden]";

    private static final List<String> SECRET_WORDS =
            List.of("password", "passphrase", "secret", "token", "sasl.jaas.config");

    private SecretMasking() {
    }

    /**
     * Whether the setting called {@code name} holds a secret.
     *
     * @param name a client setting's name, such as {@code ssl.key.password}; not null
     * @return true if its value must never be shown
     */
    public static boolean isSecret(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".key") || SECRET_WORDS.stream().anyMatch(lower::contains);
    }

    /**
     * The text to show for a setting: its value, or {@link #HIDDEN} when the setting is secret.
     *
     * @param name  the setting's name; not null
     * @param value its value; may be null
     * @return {@link #HIDDEN} or {@code String.valueOf(value)}
     */
    public static String display(String name, Object value) {
        return isSecret(name) ? HIDDEN : String.valueOf(value);
    }
}
