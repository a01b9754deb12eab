package dev.kafkaprimer.examples.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.kafkaprimer.core.config.SecretMasking;
import org.apache.kafka.common.config.types.Password;

/**
 * Client settings as the text of a {@code .properties} file, the format Kafka's tools take with
 * {@code --command-config}: once with the secrets, for the file a user or a child JVM needs, and once without,
 * for the screen. Thread-safe (stateless).
 */
public final class ClientPropertiesText {

    private static final Pattern JAAS_PASSWORD = Pattern.compile("password=\"(?:[^\"\\\\]|\\\\.)*\"");

    private ClientPropertiesText() {
    }

    /**
     * The settings as {@code name=value} lines.
     *
     * @param settings    names and values; {@link Password} values are written out only if {@code withSecrets}
     * @param withSecrets true for a file that clients read; false for anything a person or a log may see, where
     *                    secrets show as {@code [hidden]} (in a JAAS line, only its password)
     * @return the lines, each ended by a newline
     */
    public static String text(Map<String, Object> settings, boolean withSecrets) {
        StringBuilder text = new StringBuilder();
        settings.forEach((name, value) -> {
            String shown;
            if (withSecrets) {
                shown = value instanceof Password secret ? secret.value() : String.valueOf(value);
            } else if (value instanceof Password secret && name.endsWith("sasl.jaas.config")) {
                Matcher password = JAAS_PASSWORD.matcher(secret.value());
                shown = password.find() ? password.replaceAll("password=\"" + SecretMasking.HIDDEN + "\"")
                        : SecretMasking.HIDDEN;
            } else {
                shown = SecretMasking.display(name, value);
            }
            // In a .properties file a backslash escapes the next character: double it to keep it.
            text.append(name).append('=').append(shown.replace("\\", "\\\\")).append('\n');
        });
        return text.toString();
    }

    /**
     * Writes the settings, secrets included, to {@code out} (ISO-8859-1, as {@code Properties.load} reads it).
     *
     * @throws IOException if writing fails
     */
    public static void store(Map<String, Object> settings, OutputStream out) throws IOException {
        out.write(text(settings, true).getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * Writes the settings, secrets included, to a new file that only its owner may read (where the file system
     * has POSIX permissions).
     *
     * @throws IOException if the file exists already or cannot be written
     */
    public static void write(Path file, Map<String, Object> settings) throws IOException {
        Files.createFile(file);
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            store(settings, out);
        }
    }
}
