package dev.kafkaprimer.examples.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The options one example accepts, declared once and used to parse the command line, to check every value
 * before anything starts, and to print {@code --help}. Every option is {@code --name value} or a {@code --flag}.
 *
 * <p>Typed options ({@link #integer}, {@link #decimal}, {@link #choice}, {@link #topic}, {@link #timeout})
 * carry their own rule, so a wrong value is a {@link UsageException} naming it at parse time, before a broker
 * starts or a topic is created; {@link ParsedOptions} then reads them without checking again.
 */
public final class ExampleOptions {

    /** Taken by every example that talks to a cluster. */
    public static final String BOOTSTRAP_SERVER = "--bootstrap-server";
    /** Taken with {@link #BOOTSTRAP_SERVER}: the security settings file, as Kafka's own tools take it. */
    public static final String COMMAND_CONFIG = "--command-config";
    /** Taken by every example: print the stack trace of an unexpected failure (also {@code PRIMER_VERBOSE=1}). */
    public static final String VERBOSE = "--verbose";
    /** The deadline option, in seconds, of the examples that have one. */
    public static final String TIMEOUT = "--timeout";
    /** The flag that keeps an example's topic instead of deleting it at the end. */
    public static final String KEEP_TOPIC = "--keep-topic";

    private final Map<String, Option> options = new LinkedHashMap<>();

    /** Checks one given value of one option; throws {@link UsageException} naming both if it is wrong. */
    @FunctionalInterface
    public interface Check {
        void check(String option, String value);
    }

    /**
     * One declared option; {@code placeholder} is null for a flag, {@code check} never null; {@code bareValue} is
     * the value of an option whose value may be left out ({@code --web} alone), null for the others.
     */
    record Option(String name, String placeholder, String defaultValue, String description, Check check,
                  String bareValue) {
        boolean isFlag() {
            return placeholder == null;
        }

        String usage() {
            return isFlag() ? name : bareValue != null ? name + " [" + placeholder + "]" : name + " " + placeholder;
        }
    }

    /** An option with any value, e.g. {@code value("--message", "TEXT", "hello kafka", "the value to produce")}. */
    public ExampleOptions value(String name, String placeholder, String defaultValue, String description) {
        return value(name, placeholder, defaultValue, description, (option, value) -> { });
    }

    /** An option with a value that {@code check} accepts (checked when parsing, before the example starts). */
    public ExampleOptions value(String name, String placeholder, String defaultValue, String description,
                                Check check) {
        options.put(name, new Option(name, placeholder, defaultValue, description, check, null));
        return this;
    }

    /**
     * An option whose value may be left out: {@code --web 8090}, or {@code --web} alone, which means
     * {@code bareValue}. A following argument is its value unless it starts with {@code --}. Read it with
     * {@link ParsedOptions#value(String)}: empty when the option was not given at all.
     */
    public ExampleOptions optionalValue(String name, String placeholder, String bareValue, String description,
                                        Check check) {
        options.put(name, new Option(name, placeholder, null, description, check, bareValue));
        return this;
    }

    /** A whole number from {@code min} to {@code max}; read it with {@link ParsedOptions#integer(String)}. */
    public ExampleOptions integer(String name, String placeholder, String defaultValue, long min, long max,
                                  String description) {
        return value(name, placeholder, defaultValue, description, (option, value) -> wholeNumber(option, value, min, max));
    }

    /** A number from {@code min} to {@code max}, fractions allowed; read it with {@link ParsedOptions#decimal}. */
    public ExampleOptions decimal(String name, String placeholder, String defaultValue, double min, double max,
                                  String description) {
        return value(name, placeholder, defaultValue, description, (option, value) -> decimal(option, value, min, max));
    }

    /**
     * One of {@code choices}, in any case; read it with {@link ParsedOptions#choice(String)}, which gives it in
     * lower case. The placeholder is the choices, e.g. {@code key|partition}.
     */
    public ExampleOptions choice(String name, String defaultValue, String description, String... choices) {
        List<String> allowed = List.of(choices);
        return value(name, String.join("|", allowed), defaultValue, description, (option, value) -> {
            if (!allowed.contains(value.trim().toLowerCase(Locale.ROOT))) {
                throw new UsageException(option + " must be " + String.join(" or ", allowed) + ", was '" + value + "'");
            }
        });
    }

    /**
     * A topic name by Kafka's rules ({@link TopicNames}). {@code derivedSuffixes} are the names the example makes
     * from it (such as {@code .DLT}): those must be valid names too, so the longest suffix counts in the length.
     */
    public ExampleOptions topic(String name, String defaultValue, String description, String... derivedSuffixes) {
        int reserved = 0;
        for (String suffix : derivedSuffixes) {
            reserved = Math.max(reserved, suffix.length());
        }
        int longestSuffix = reserved;
        return value(name, "NAME", defaultValue, description,
                (option, value) -> TopicNames.check(option, value, longestSuffix));
    }

    /** {@value #TIMEOUT} in seconds, {@code min} to {@code max}; read it with {@link ParsedOptions#timeout()}. */
    public ExampleOptions timeout(String defaultSeconds, long min, long max, String description) {
        return integer(TIMEOUT, "SECONDS", defaultSeconds, min, max, description);
    }

    /** {@value #KEEP_TOPIC}: read it with {@link ParsedOptions#keepTopic()}. */
    public ExampleOptions keepTopic(String description) {
        return flag(KEEP_TOPIC, description);
    }

    /** An option without a value, false unless given. */
    public ExampleOptions flag(String name, String description) {
        options.put(name, new Option(name, null, null, description, (option, value) -> { }, null));
        return this;
    }

    /**
     * Adds {@code --bootstrap-server} and {@code --command-config}; {@link Primer} does this for examples that
     * connect to a cluster.
     */
    ExampleOptions withBootstrapServer() {
        if (!options.containsKey(BOOTSTRAP_SERVER)) {
            value(BOOTSTRAP_SERVER, "HOST:PORT", null,
                    "an existing cluster (default: $KAFKA_BOOTSTRAP_SERVERS, else an embedded broker)",
                    BootstrapAddress::check);
        }
        if (!options.containsKey(COMMAND_CONFIG)) {
            value(COMMAND_CONFIG, "FILE", null, "security settings for that cluster (security.protocol, ssl.*,"
                    + " sasl.*), the file Kafka's tools take (default: $KAFKA_SECURITY_PROTOCOL and other"
                    + " KAFKA_SSL_*, KAFKA_SASL_* variables)");
        }
        return this;
    }

    /** Adds {@value #VERBOSE}; {@link Primer} does this for every example. */
    ExampleOptions withVerbose() {
        if (!options.containsKey(VERBOSE)) {
            flag(VERBOSE, "print the stack trace of an unexpected failure (also: PRIMER_VERBOSE=1)");
        }
        return this;
    }

    /**
     * Parses {@code args} for example {@code example} and checks every given value.
     *
     * @throws UsageException naming an unknown option, a missing value, a repeated option or a value its
     *                        option does not accept
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
            } else if (option.bareValue() != null) {
                boolean valueFollows = i + 1 < args.size() && !args.get(i + 1).startsWith("--");
                values.put(arg, valueFollows ? args.get(++i) : option.bareValue());
            } else if (i + 1 < args.size()) {
                values.put(arg, args.get(++i));
            } else {
                throw new UsageException("option " + arg + " needs a value: " + arg + " " + option.placeholder());
            }
        }
        values.forEach((name, value) -> options.get(name).check().check(name, value));
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
            String left = option.usage();
            text.append(String.format("  %-30s %s%s%n", left, option.description(),
                    option.defaultValue() == null ? "" : " (default: " + option.defaultValue() + ")"));
        }
        text.append(String.format("  %-30s %s%n", "--help", "show this help"));
        return text.toString();
    }

    public static long wholeNumber(String option, String text, long min, long max) {
        long value;
        try {
            value = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(option + " must be a whole number, was '" + text + "'");
        }
        if (value < min || value > max) {
            throw new UsageException(option + " must be between " + min + " and " + max + ", was " + text);
        }
        return value;
    }

    static double decimal(String option, String text, double min, double max) {
        try {
            double value = Double.parseDouble(text.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // falls through to the error below, which names the value
        }
        throw new UsageException(option + " must be a number from " + plain(min) + " to " + plain(max)
                + ", was '" + text + "'");
    }

    private static String plain(double number) {
        return number == Math.rint(number) ? Long.toString((long) number) : Double.toString(number);
    }

    /** Converts a checked {@link #TIMEOUT} value. */
    static Duration seconds(String option, String text) {
        return Duration.ofSeconds(wholeNumber(option, text, 0, Long.MAX_VALUE / 1_000_000_000L));
    }
}
