package dev.kafkaprimer.examples.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import dev.kafkaprimer.examples.bench.BenchExample;
import dev.kafkaprimer.examples.broker.BrokerExample;
import dev.kafkaprimer.examples.cluster.ClusterExample;
import dev.kafkaprimer.examples.dlt.DltExample;
import dev.kafkaprimer.examples.exactlyonce.ExactlyOnceExample;
import dev.kafkaprimer.examples.queue.QueueExample;
import dev.kafkaprimer.examples.failover.FailoverExample;
import dev.kafkaprimer.examples.groups.GroupsExample;
import dev.kafkaprimer.examples.hello.HelloExample;
import dev.kafkaprimer.examples.keys.KeysExample;
import dev.kafkaprimer.examples.offsets.OffsetsExample;
import dev.kafkaprimer.examples.segments.SegmentsExample;
import dev.kafkaprimer.examples.wallet.WalletExample;

/**
 * The entry point behind {@code ./primer}: lists the examples, runs one, or shows its {@code --help}.
 *
 * <p>Exit codes: 0 success; 1 the example ran and failed (Kafka or a database unreachable within the
 * deadline, a deadline passed, or an unexpected error); 2 the command line is wrong (unknown example or option,
 * a value its option does not take), with the value named. Either way the user reads one line, not a stack
 * trace; {@code --verbose} or {@code PRIMER_VERBOSE=1} adds the stack trace of an unexpected error.
 */
public final class Primer {

    /** Every example, in the order a learner meets them. */
    static final List<Example> EXAMPLES = List.of(
            new HelloExample(),
            new KeysExample(),
            new GroupsExample(),
            new OffsetsExample(),
            new WalletExample(),
            new DltExample(),
            new ExactlyOnceExample(),
            new QueueExample(),
            new ClusterExample(),
            new FailoverExample(),
            new SegmentsExample(),
            new BenchExample(),
            new BrokerExample());

    /** Set to 1, prints the stack trace of an unexpected failure, as {@code --verbose} does. */
    public static final String VERBOSE_ENV = "PRIMER_VERBOSE";
    /** Hello's default deadline for a first answer from a given cluster. */
    static final Duration CONNECT_DEADLINE = Duration.ofSeconds(15);

    private Primer() {
    }

    public static void main(String[] args) {
        SmallMachines.apply();
        int code = run(args, System.getenv(), System.out, System.err);
        System.out.flush();
        System.exit(code);
    }

    /** Runs the command line {@code args}; returns the exit code instead of exiting (tests call this). */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            out.print(list());
            return 0;
        }
        Optional<Example> found = EXAMPLES.stream().filter(e -> e.name().equals(args[0])).findFirst();
        if (found.isEmpty()) {
            err.println("primer: unknown example '" + args[0] + "'. Valid names: " + names() + ".");
            err.print(list());
            return 2;
        }
        Example example = found.get();
        ExampleOptions options = example.options().withVerbose();
        if (example.embeddedNodes() > 0) {
            options.withBootstrapServer();
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        if (rest.contains("--help") || rest.contains("-h")) {
            out.print(options.help(example));
            return 0;
        }
        boolean verbose = rest.contains(ExampleOptions.VERBOSE) || "1".equals(env.get(VERBOSE_ENV));
        try {
            ParsedOptions parsed = options.parse(example.name(), rest);
            // Everything the user typed is checked before a broker starts or a topic is created.
            example.checkBeforeStart(parsed);
            if (example.embeddedNodes() == 0) {
                return example.run(parsed, null, out);
            }
            try (KafkaConnection kafka = KafkaConnection.open(parsed, env, example, connectDeadline(parsed), out)) {
                return example.run(parsed, kafka, out);
            }
        } catch (UsageException e) {
            err.println("primer " + example.name() + ": " + e.getMessage());
            err.println("Run ./primer " + example.name() + " --help for its options.");
            return 2;
        } catch (ExampleFailedException e) {
            out.println(example.name() + ": FAILED: " + e.getMessage());
            if (verbose) {
                e.printStackTrace(err);
            }
            return 1;
        } catch (Exception e) {
            err.println("primer " + example.name() + " failed: " + oneLine(e));
            if (verbose) {
                e.printStackTrace(err);
            } else {
                err.println("(" + ExampleOptions.VERBOSE + " or " + VERBOSE_ENV + "=1 prints the stack trace)");
            }
            return 1;
        }
    }

    /**
     * How long a given cluster has to answer before the example starts: hello's default deadline, or the
     * example's own {@code --timeout} when that is shorter (who asks for 2 s should not wait 15 to hear that
     * nobody answered).
     */
    static Duration connectDeadline(ParsedOptions parsed) {
        return parsed.value(ExampleOptions.TIMEOUT)
                .map(text -> ExampleOptions.seconds(ExampleOptions.TIMEOUT, text))
                .filter(timeout -> !timeout.isZero() && timeout.compareTo(CONNECT_DEADLINE) < 0)
                .orElse(CONNECT_DEADLINE);
    }

    /** The failure and its causes on one line: {@code IllegalStateException: x (cause: IOException: y)}. */
    static String oneLine(Throwable failure) {
        StringBuilder line = new StringBuilder(describe(failure));
        Throwable cause = failure.getCause();
        for (int depth = 0; cause != null && cause != failure && depth < 5; depth++) {
            line.append(" (cause: ").append(describe(cause)).append(')');
            failure = cause;
            cause = cause.getCause();
        }
        return line.toString().replace('\n', ' ');
    }

    private static String describe(Throwable failure) {
        return failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
    }

    private static String names() {
        return EXAMPLES.stream().map(Example::name).collect(Collectors.joining(", "));
    }

    private static String list() {
        StringBuilder text = new StringBuilder("Kafka Primer examples: ./primer NAME [options], ./primer NAME --help\n");
        for (Example example : EXAMPLES) {
            text.append(String.format("  %-12s %s%n", example.name(), example.summary()));
        }
        return text.toString();
    }
}
