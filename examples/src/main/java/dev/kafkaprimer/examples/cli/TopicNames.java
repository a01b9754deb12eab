package dev.kafkaprimer.examples.cli;

import java.util.regex.Pattern;

/**
 * Kafka's rule for topic names, checked on the command line so that a bad name is one line at once rather than
 * an {@code InvalidTopicException} from the broker after its deadline: 1 to 249 characters of
 * {@code a-z A-Z 0-9 . _ -}, and not {@code .} or {@code ..} (the broker names a folder after each partition,
 * {@code NAME-0}, so the name must be a safe file name).
 *
 * <p>Thread-safe (stateless).
 */
public final class TopicNames {

    /** The longest name Kafka accepts. */
    public static final int MAX_LENGTH = 249;

    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]+");
    /** How much of a long bad value a message shows. */
    private static final int SHOWN = 40;

    private TopicNames() {
    }

    /**
     * Checks {@code name}, given as {@code option}, leaving room for a suffix of {@code reserved} characters
     * that the example appends (such as {@code .DLT}).
     *
     * @throws UsageException naming the option, the value and the rule it breaks
     */
    public static void check(String option, String name, int reserved) {
        int max = MAX_LENGTH - reserved;
        String problem = null;
        if (name.isEmpty()) {
            problem = "is empty";
        } else if (name.equals(".") || name.equals("..")) {
            problem = "is '.' or '..', which Kafka refuses";
        } else if (!LEGAL.matcher(name).matches()) {
            problem = "has a character other than a-z A-Z 0-9 . _ -";
        } else if (name.length() > max) {
            problem = "is " + name.length() + " characters long; at most " + max + " fit"
                    + (reserved > 0 ? " (Kafka allows " + MAX_LENGTH + ", and this example appends up to "
                            + reserved + " more)" : "");
        }
        if (problem != null) {
            throw new UsageException(option + " must be a Kafka topic name (1 to " + max
                    + " characters of a-z A-Z 0-9 . _ -), but " + shown(name) + " " + problem);
        }
    }

    private static String shown(String name) {
        return name.length() <= SHOWN ? "'" + name + "'" : "'" + name.substring(0, SHOWN) + "…'";
    }
}
