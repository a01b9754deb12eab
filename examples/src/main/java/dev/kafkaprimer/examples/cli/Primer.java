package dev.kafkaprimer.examples.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import dev.kafkaprimer.examples.bench.BenchExample;
import dev.kafkaprimer.examples.broker.BrokerExample;
import dev.kafkaprimer.examples.cluster.ClusterExample;
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
 * <p>Exit codes: 0 success; 1 the example ran and failed (e.g. Kafka unreachable within its deadline);
 * 2 the command line is wrong (unknown example or option), with the valid choices printed.
 */
public final class Primer {

    /** Every example, in the order a learner meets them. */
    static final List<Example> EXAMPLES = List.of(
            new HelloExample(),
            new KeysExample(),
            new GroupsExample(),
            new OffsetsExample(),
            new WalletExample(),
            new ClusterExample(),
            new FailoverExample(),
            new SegmentsExample(),
            new BenchExample(),
            new BrokerExample());

    private Primer() {
    }

    public static void main(String[] args) {
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
        ExampleOptions options = example.options();
        if (example.embeddedNodes() > 0) {
            options.withBootstrapServer();
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        if (rest.contains("--help") || rest.contains("-h")) {
            out.print(options.help(example));
            return 0;
        }
        try {
            ParsedOptions parsed = options.parse(example.name(), rest);
            if (example.embeddedNodes() == 0) {
                return example.run(parsed, null, out);
            }
            try (KafkaConnection kafka = KafkaConnection.open(parsed, env, example, out)) {
                return example.run(parsed, kafka, out);
            }
        } catch (UsageException e) {
            err.println("primer " + example.name() + ": " + e.getMessage());
            err.println("Run ./primer " + example.name() + " --help for its options.");
            return 2;
        } catch (Exception e) {
            err.println("primer " + example.name() + " failed: " + e);
            e.printStackTrace(err);
            return 1;
        }
    }

    private static String names() {
        return EXAMPLES.stream().map(Example::name).collect(Collectors.joining(", "));
    }

    private static String list() {
        StringBuilder text = new StringBuilder("Kafka Primer examples: ./primer NAME [options], ./primer NAME --help\n");
        for (Example example : EXAMPLES) {
            text.append(String.format("  %-10s %s%n", example.name(), example.summary()));
        }
        return text.toString();
    }
}
