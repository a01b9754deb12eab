package dev.kafkaprimer.examples.cli;

import java.io.PrintStream;
import java.util.Map;
import java.util.Optional;

/**
 * One runnable concept: {@code ./primer NAME [options]}. Implementations are small classes that tell what
 * happens as numbered stages, with partition and offset facts.
 */
public interface Example {

    /** The name typed after {@code ./primer}. */
    String name();

    /** One line for the examples list. */
    String summary();

    /** The options this example takes besides the common ones ({@code --bootstrap-server}, {@code --help}). */
    ExampleOptions options();

    /**
     * How many brokers the example needs when it starts the embedded cluster; 0 if it never connects to a
     * cluster given from outside (it runs its own, like {@code broker}).
     */
    default int embeddedNodes() {
        return 1;
    }

    /**
     * How many brokers to start for this command line, for an example whose options choose it ({@code --nodes});
     * {@link #embeddedNodes()} by default.
     *
     * @param args the parsed options
     */
    default int embeddedNodes(ParsedOptions args) {
        return embeddedNodes();
    }

    /**
     * Why this example runs only on the embedded cluster it starts itself (it stops brokers, say), or empty if
     * it runs on any cluster. A cluster given by address is then refused before anything connects to it.
     */
    default Optional<String> whyEmbeddedOnly() {
        return Optional.empty();
    }

    /**
     * Broker settings for the embedded cluster, on top of the testkit's defaults, e.g. a retention check every
     * half second instead of every five minutes. They are printed when the cluster starts, and never applied to
     * a cluster given by {@code --bootstrap-server}.
     */
    default Map<String, String> embeddedBrokerProperties() {
        return Map.of();
    }

    /**
     * Checks what one option's rule cannot ({@link ExampleOptions} checks each value by itself): options that
     * only go together, a database that must be reachable. Called before any broker starts or topic is made.
     *
     * @throws UsageException         for a command line that cannot run as written (exit code 2)
     * @throws ExampleFailedException for something outside that cannot be reached (exit code 1)
     */
    default void checkBeforeStart(ParsedOptions args) {
    }

    /**
     * Runs the example.
     *
     * @param args  the parsed options
     * @param kafka where the cluster is; null when {@link #embeddedNodes()} is 0
     * @param out   where to tell the story
     * @return the process exit code: 0 for success, 1 when the example ran but failed
     * @throws ExampleFailedException an outcome the user can act on (a deadline passed): one line, exit code 1
     * @throws Exception anything unexpected; {@link Primer} prints it on one line and exits with 1
     */
    int run(ParsedOptions args, KafkaConnection kafka, PrintStream out) throws Exception;
}
