package dev.kafkaprimer.testkit;

import java.util.Objects;
import java.util.regex.Pattern;

import org.apache.kafka.common.config.types.Password;

/**
 * A user the embedded cluster's SASL listener accepts, with the mechanisms {@code PLAIN}, {@code SCRAM-SHA-256}
 * and {@code SCRAM-SHA-512}. The password is a kafka-clients {@link Password}, so printing the user never shows it.
 *
 * @param name     the user name: letters, digits, {@code .}, {@code _} and {@code -}
 * @param password the password: the same characters, at least 8 of them
 */
public record SaslUser(String name, Password password) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern PASSWORD = Pattern.compile("[A-Za-z0-9._-]{8,}");

    /**
     * Checks the name and the password. Both go into broker settings and SCRAM arguments unquoted, hence the
     * small alphabet.
     *
     * @throws NullPointerException     if a part is null
     * @throws IllegalArgumentException if the name or the password has other characters, or the password is
     *                                  shorter than 8 (the message names the user, never the password)
     */
    public SaslUser {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(password, "password");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a SASL user name may hold only letters, digits, '.', '_' and '-',"
                    + " was '" + name + "'");
        }
        if (!PASSWORD.matcher(password.value()).matches()) {
            throw new IllegalArgumentException("the password of SASL user '" + name + "' must be at least 8"
                    + " letters, digits, '.', '_' or '-'");
        }
    }

    /**
     * A user with a password given as text.
     *
     * @param name     the user name
     * @param password the password
     * @return the user
     * @throws IllegalArgumentException as the canonical constructor does
     */
    public static SaslUser of(String name, String password) {
        return new SaslUser(name, new Password(Objects.requireNonNull(password, "password")));
    }
}
