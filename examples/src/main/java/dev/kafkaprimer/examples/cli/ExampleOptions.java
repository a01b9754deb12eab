package dev.kafkaprimer.examples.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The options one example accepts, declared once and used both to parse the command line and to print
 * {@code --help}. Every option is {@code --name value} or a {@code --flag}.
 */
public final class ExampleOptions {

    /** Taken by every example that talks to a cluster. */
    public static final String BOOTSTRAP_SERVER = "--bootstrap-server";
    /** Taken with {@link #BOOTSTRAP_SERVER}: the security settings file, as Kafka's own tools take it. */
    public static final String COMMAND_CONFIG = "--command-config";

    private final Map<String, Option> options = new LinkedHashMap<>();

    private record Option(String name, String placeholder, String defaultValue, String description) {
        boolean isFlag() {
            return placeholder == null;
        }
    }

    /** An option with a value, e.g. {@code value("--topic", "NAME", "test-topic", "the topic to use")}. */
    public ExampleOptions value(String name, String placeholder, String defaultValue, String description) {
        options.put(name, new Option(name, placeholder, defaultValue, description));
        return this;
    }

    /** An option without a value, false unless given. */
    public ExampleOptions flag(String name, String description) {
        options.put(name, new Option(name, null, null, description));
        return this;
    }

    /**
     * Adds {@code --bootstrap-server} and {@code --command-config}; {@link Primer} does this for examples that
     * connect to a cluster.
     */
    ExampleOptions withBootstrapServer() {
        if (!options.containsKey(BOOTSTRAP_SERVER)) {
            value(BOOTSTRAP_SERVER, "HOST:PORT", null,
                    "an existing cluster (default: $KAFKA_BOOTSTRAP_SERVERS, else an embedded broker)");
        }
        if (!options.containsKey(COMMAND_CONFIG)) {
            value(COMMAND_CONFIG, "FILE", null, "security settings for that cluster (security.protocol, ssl.*,"
                    + " sasl.*), the file Kafka's tools take (default: $KAFKA_SECURITY_PROTOCOL and other"
                    + " KAFKA_SSL_*, KAFKA_SASL_* variables)");
        }
        return this;
    }

    /**
     * Parses {@code args} for example {@code example}.
     *
     * @throws UsageException naming an unknown option, a missing value or a repeated option
     */
    ParsedOptions parse(String example, List<String> args) {
        Map<String, String> values = new HashMap<>();
        List<String> flags = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String inlineValue = null;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                inlineValue = arg.substring(equals + 1);
                arg = arg.substring(0, equals);
            }
            Option option = options.get(arg);
            if (option == null) {
                throw new UsageException("unknown option '" + args.get(i) + "' for " + example
                        + "; valid options: " + String.join(", ", options.keySet()) + ", --help");
            }
            if (values.containsKey(arg) || flags.contains(arg)) {
                throw new UsageException("option " + arg + " given twice");
            }
            if (option.isFlag()) {
                if (inlineValue != null) {
                    throw new UsageException("option " + arg + " takes no value, was given '" + inlineValue + "'");
                }
                flags.add(arg);
            } else if (inlineValue != null) {
                values.put(arg, inlineValue);
            } else if (i + 1 < args.size()) {
                values.put(arg, args.get(++i));
            } else {
                throw new UsageException("option " + arg + " needs a value: " + arg + " " + option.placeholder());
            }
        }
        Map<String, String> withDefaults = new HashMap<>();
        options.values().stream().filter(o -> o.defaultValue() != null)
                .forEach(o -> withDefaults.put(o.name(), o.defaultValue()));
        withDefaults.putAll(values);
        return new ParsedOptions(withDefaults, flags);
    }

    /** The {@code --help} text. */
    String help(Example example) {
        StringBuilder text = new StringBuilder("Usage: ./primer " + example.name() + " [options]\n  "
                + example.summary() + "\n\nOptions:\n");
        for (Option option : options.values()) {
            String left = option.isFlag() ? option.name() : option.name() + " " + option.placeholder();
            text.append(String.format("  %-30s %s%s%n", left, option.description(),
                    option.defaultValue() == null ? "" : " (default: " + option.defaultValue() + ")"));
        }
        text.append(String.format("  %-30s %s%n", "--help", "show this help"));
        return text.toString();
    }
}
