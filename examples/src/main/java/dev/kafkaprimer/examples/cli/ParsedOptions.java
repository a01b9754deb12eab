package dev.kafkaprimer.examples.cli;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The options of one run, defaults filled in. Typed getters fail with a {@link UsageException} naming the value. */
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

    /**
     * The value of {@code name} as an int within {@code min..max}.
     *
     * @throws UsageException naming the option and the value if it is not such a number
     */
    public int integer(String name, int min, int max) {
        String text = string(name);
        try {
            int value = Integer.parseInt(text.trim());
            if (value < min || value > max) {
                throw new UsageException(name + " must be between " + min + " and " + max + ", was " + text);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new UsageException(name + " must be a whole number, was '" + text + "'");
        }
    }

    /** Whether the flag {@code name} was given. */
    public boolean flag(String name) {
        return flags.contains(name);
    }
}
