package dev.kafkaprimer.examples.cli;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The options of one run, defaults filled in, every given value already checked by its option's rule
 * ({@link ExampleOptions}). The typed getters convert; a getter for an option the example did not declare with
 * that type fails with a {@link UsageException} naming the value.
 */
public final class ParsedOptions {

    private final Map<String, String> values;
    private final List<String> flags;

    ParsedOptions(Map<String, String> values, List<String> flags) {
        this.values = Map.copyOf(values);
        this.flags = List.copyOf(flags);
    }

    /** The value of {@code name}, or empty when it has no default and was not given. */
    public Optional<String> value(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /** The value of {@code name}, which must have a default or have been given. */
    public String string(String name) {
        return value(name).orElseThrow(() -> new UsageException("option " + name + " is required"));
    }

    /** An {@link ExampleOptions#integer} option's value. */
    public int integer(String name) {
        return (int) ExampleOptions.wholeNumber(name, string(name), Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /** A {@link ExampleOptions#decimal} option's value. */
    public double decimal(String name) {
        return ExampleOptions.decimal(name, string(name), -Double.MAX_VALUE, Double.MAX_VALUE);
    }

    /** A {@link ExampleOptions#choice} option's value, trimmed and in lower case. */
    public String choice(String name) {
        return string(name).trim().toLowerCase(Locale.ROOT);
    }

    /** The {@link ExampleOptions#timeout} option's value. */
    public Duration timeout() {
        return ExampleOptions.seconds(ExampleOptions.TIMEOUT, string(ExampleOptions.TIMEOUT));
    }

    /** Whether {@value ExampleOptions#KEEP_TOPIC} was given. */
    public boolean keepTopic() {
        return flag(ExampleOptions.KEEP_TOPIC);
    }

    /** Whether the flag {@code name} was given. */
    public boolean flag(String name) {
        return flags.contains(name);
    }
}
