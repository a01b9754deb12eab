package dev.kafkaprimer.examples.exactlyonce;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import org.apache.kafka.common.IsolationLevel;

import dev.kafkaprimer.core.admin.PartitionLag;
import dev.kafkaprimer.core.admin.TopicAdmin;
import dev.kafkaprimer.core.producer.JsonProducer;
import dev.kafkaprimer.core.producer.ProducerOptions;
import dev.kafkaprimer.core.producer.SendResult;
import dev.kafkaprimer.examples.cli.Example;
import dev.kafkaprimer.examples.cli.ExampleFailedException;
import dev.kafkaprimer.examples.cli.ExampleOptions;
import dev.kafkaprimer.examples.cli.FreshTopic;
import dev.kafkaprimer.examples.cli.KafkaConnection;
import dev.kafkaprimer.examples.cli.ParsedOptions;
import dev.kafkaprimer.examples.cli.UsageException;
import dev.kafkaprimer.examples.wallet.EventGenerator;
import dev.kafkaprimer.examples.wallet.Ledger;
import dev.kafkaprimer.examples.wallet.WalletEvent;
import dev.kafkaprimer.testkit.BrokerStop;

/**
 * Exactly-once inside Kafka, proved with crashes: wallet events in, one balance update per event out, written
 * by a processor that is killed with SIGKILL in the middle of its transactions and restarted. In stages:
 * <ol>
 *   <li>prepare: fresh input, output and dead-letter topics;</li>
 *   <li>produce the wallet's events, key = userId;</li>
 *   <li>run the processor in a JVM of its own, kill it {@code --crashes} times part-way, restart it each time,
 *       and let the last one finish and stop cleanly;</li>
 *   <li>read the outputs back with both isolation levels, side by side;</li>
 *   <li>the end check: one output per input, balances equal to the ledger, no transaction left open.</li>
 * </ol>
 * With {@code --nodes 3} the embedded cluster has three brokers (topics with three replicas), and the broker that
 * is the processor's transaction coordinator is stopped abruptly half-way through the second run: the
 * coordinator moves to another broker, and the guarantees hold.
 * With {@code --at-least-once} the processor is a plain commit loop with a producer: the same outputs, without
 * a transaction, and the duplicates that the transaction removes.
 */
public final class ExactlyOnceExample implements Example {

    private static final Duration SETUP_DEADLINE = Duration.ofSeconds(60);
    private static final String DEAD_LETTER_SUFFIX = ".DLT";
    private static final String OUTPUT_SUFFIX = ".balances";

    @Override
    public String name() {
        return "exactly-once";
    }

    @Override
    public String summary() {
        return "transactions: outputs and offsets commit together; a processor SIGKILLed mid-transaction, no duplicate";
    }

    @Override
    public ExampleOptions options() {
        return new ExampleOptions()
                .integer("--users", "N", "50", 1, 100_000, "how many users")
                .integer("--events", "N", "2000", 100, 1_000_000, "how many events in all")
                .integer("--seed", "N", "1", Integer.MIN_VALUE, Integer.MAX_VALUE, "random seed of the events")
                .integer("--partitions", "N", "3", 1, 100, "partitions of the input and output topics")
                .integer("--crashes", "N", "3", 0, 20, "how many times the processor is killed with SIGKILL")
                .integer("--nodes", "N", "1", 1, 3, "brokers of the embedded cluster; with 3, the broker that is "
                        + "the processor's transaction coordinator is stopped abruptly during the second run")
                .flag("--at-least-once", "process without transactions (a plain commit loop and a producer), "
                        + "to see the duplicates a crash leaves")
                .topic("--topic", "exactly-once-events", "the input topic (recreated for each run); outputs go to "
                        + "TOPIC" + OUTPUT_SUFFIX, OUTPUT_SUFFIX, DEAD_LETTER_SUFFIX)
                .timeout("180", 1, 86_400, "give up if the processors have not handled every event by then");
    }

    @Override
    public int embeddedNodes(ParsedOptions args) {
        return args.integer("--nodes");
    }

    /** A stopped broker goes without handing anything over, as a crashed one would. */
    @Override
    public Map<String, String> embeddedBrokerProperties() {
        return BrokerStop.ABRUPT.brokerProperties();
    }

    @Override
    public void checkBeforeStart(ParsedOptions args) {
        if (args.integer("--nodes") > 1 && args.value(ExampleOptions.BOOTSTRAP_SERVER).isPresent()) {
            throw new UsageException("--nodes " + args.integer("--nodes") + " is for the embedded cluster this "
                    + "example starts; it stops one of its brokers, so not with --bootstrap-server");
        }
    }

    @Override
    public int run(ParsedOptions args, KafkaConnection kafka, PrintStream out) throws Exception {
        boolean exactlyOnce = !args.flag("--at-least-once");
        String input = args.string("--topic");
        String output = input + OUTPUT_SUFFIX;
        int partitions = args.integer("--partitions");
        int events = args.integer("--events");
        int crashes = args.integer("--crashes");
        List<WalletEvent> generated = EventGenerator.generate(args.integer("--users"), events, args.integer("--seed"));
        try (TopicAdmin topics = TopicAdmin.connect(kafka.bootstrapServers(), kafka.security(), SETUP_DEADLINE)) {
            for (String topic : List.of(input, output, input + DEAD_LETTER_SUFFIX)) {
                FreshTopic.recreate(topics, topic, partitions, SETUP_DEADLINE);
            }
            out.println("1. Prepared: events in '" + input + "', balance updates out to '" + output + "' ("
                    + partitions + " partitions each). Processing "
                    + (exactlyOnce ? "EXACTLY ONCE: a transactional CommitLoop commits each "
                    + BalanceProcessor.TRANSACTION_INTERVAL.toMillis() + " ms the outputs and the input offsets together"
                    : "AT LEAST ONCE: a plain CommitLoop writes each output, then commits the offsets after each poll")
                    + ".");
            produce(kafka, input, generated, out);

            String group = "exactly-once-" + UUID.randomUUID().toString().substring(0, 8);
            ProcessorProcess.Settings settings = new ProcessorProcess.Settings(kafka.bootstrapServers(),
                    kafka.security(), input, output, group, group + "-processor",
                    exactlyOnce ? "exactly-once" : "at-least-once");
            CoordinatorCrash coordinatorCrash = args.integer("--nodes") > 1
                    ? CoordinatorCrash.of(kafka, settings.instance(), exactlyOnce) : null;
            runProcessors(settings, topics, events, crashes, exactlyOnce, coordinatorCrash, args.timeout(), out);

            return endCheck(kafka, output, generated, exactlyOnce, out);
        }
    }

    /** Stage 2: every event, before the processor starts, so that each run of it has work waiting. */
    private static void produce(KafkaConnection kafka, String topic, List<WalletEvent> events, PrintStream out) {
        ProducerOptions options = ProducerOptions.builder(kafka.bootstrapServers()).security(kafka.security())
                .maxBlock(SETUP_DEADLINE).build();
        Map<Integer, Integer> perPartition = new TreeMap<>();
        try (JsonProducer<String, WalletEvent> producer = JsonProducer.create(options)) {
            List<CompletableFuture<SendResult>> sends = new ArrayList<>(events.size());
            for (WalletEvent event : events) {
                sends.add(producer.send(topic, event.userId(), event));
            }
            sends.forEach(sent -> perPartition.merge(sent.join().partition(), 1, Integer::sum));
        }
        out.println("2. Produced " + events.size() + " events, key = userId: " + perPartition.entrySet().stream()
                .map(e -> "partition " + e.getKey() + " offsets 0.." + (e.getValue() - 1))
                .collect(Collectors.joining(", ")) + ".");
    }

    /**
     * Stage 3: each run of the processor handles about an equal share of the events, counted from its start,
     * and all but the last are killed then; the last runs until the group has committed every event.
     */
    private static void runProcessors(ProcessorProcess.Settings settings, TopicAdmin topics, int events,
                                      int crashes, boolean exactlyOnce, CoordinatorCrash coordinatorCrash,
                                      Duration timeout, PrintStream out) throws Exception {
        long share = Math.max(1, events / (crashes + 1));
        long giveUpAt = System.nanoTime() + timeout.toNanos();
        out.println("3. The processor runs in a JVM of its own with " + (exactlyOnce ? "transactional.id and " : "")
                + "group.instance.id '" + settings.instance() + "', restarted with the same "
                + (exactlyOnce ? "ids" : "id") + " after each crash" + (exactlyOnce ? " (the restart aborts the "
                + "transaction the killed JVM left open)" : "") + ".");
        for (int run = 1; run <= crashes + 1; run++) {
            ProcessorProcess processor = ProcessorProcess.start(settings);
            try {
                if (coordinatorCrash != null && run == Math.min(2, crashes + 1)) {
                    // Half-way through this run's share, the broker that coordinates its transactions goes.
                    processor.awaitHandled(share / 2, left(giveUpAt));
                    out.println("   " + coordinatorCrash.stopCoordinator());
                }
                if (run <= crashes) {
                    long handled = processor.awaitHandled(share, left(giveUpAt));
                    processor.kill();
                    out.println("   run " + run + " (pid " + processor.pid() + "): killed with SIGKILL after it had "
                            + "handled " + handled + " events; committed then: " + committed(topics, settings.group())
                            + ". What it did since its last commit is redone by the next run.");
                } else {
                    awaitAllCommitted(topics, settings.group(), processor, giveUpAt);
                    boolean clean = processor.stop(Duration.ofSeconds(30));
                    out.println("   run " + run + " (pid " + processor.pid() + "): the group has committed every "
                            + "event: " + committed(topics, settings.group()) + "; stopped "
                            + (clean ? "cleanly (SIGTERM: close() commits and leaves)." : "with SIGKILL after 30 s."));
                }
            } finally {
                if (processor.isAlive()) {
                    processor.kill();
                }
            }
        }
    }

    private static void awaitAllCommitted(TopicAdmin topics, String group, ProcessorProcess processor, long giveUpAt)
            throws InterruptedException {
        while (!topics.groupLag(group).stream().allMatch(p -> p.lag().orElse(1) == 0)) {
            if (!processor.isAlive()) {
                throw new ExampleFailedException("the last processor (pid " + processor.pid() + ") ended by itself "
                        + "before the group had committed every event: " + committed(topics, group));
            }
            if (System.nanoTime() > giveUpAt) {
                throw new ExampleFailedException("the group had not committed every event before the timeout: "
                        + committed(topics, group));
            }
            Thread.sleep(100);  // the next look at the committed offsets, inside the deadline
        }
    }

    /** The group's committed offsets, {@code p0=412 p1=380 …}, for the story. */
    private static String committed(TopicAdmin topics, String group) {
        return topics.groupLag(group).stream()
                .map(p -> "p" + p.partition().partition() + "=" + (p.committedOffset().isPresent()
                        ? Long.toString(p.committedOffset().getAsLong()) : "none") + "/" + p.logEndOffset())
                .collect(Collectors.joining(" "));
    }

    /** Stages 4 and 5: the two readers, the counts, the balances, the open transactions; the exit code. */
    private static int endCheck(KafkaConnection kafka, String output, List<WalletEvent> generated,
                                boolean exactlyOnce, PrintStream out) {
        Map<String, Object> client = kafka.clientProperties();
        List<BalanceUpdate> committed = TopicReader.read(client, output, IsolationLevel.READ_COMMITTED, SETUP_DEADLINE);
        List<BalanceUpdate> everything = TopicReader.read(client, output, IsolationLevel.READ_UNCOMMITTED,
                SETUP_DEADLINE);
        OutputCount count = OutputCount.of(generated, committed, Ledger.of(generated));
        int aborted = everything.size() - committed.size();
        out.println("4. Read '" + output + "' from the beginning, side by side:");
        out.println("   read_committed:   " + committed.size() + " outputs for " + generated.size() + " events, "
                + count.duplicates() + " duplicates, " + count.missing() + " missing");
        out.println("   read_uncommitted: " + everything.size() + " outputs" + (exactlyOnce ? ": " + aborted
                + " more, written by transactions that the crashes left open and the restarts aborted"
                : ", the same: without transactions every write is visible at once, to both"));
        int open = OpenTransactions.count(kafka, output);
        out.println("5. Balances of " + count.users() + " users against a ledger computed from the events in order: "
                + (count.balancesMatch() ? "all equal" : count.wrongBalances() + " differ") + "; applied "
                + count.applied() + ", declined " + count.declined() + "; transactions left open on the output: "
                + open + ".");
        if (!exactlyOnce) {
            out.println("at-least-once: inputs=" + generated.size() + " outputs=" + committed.size() + " duplicates="
                    + count.duplicates() + " wrong-balances=" + count.wrongBalances()
                    + (count.duplicates() > 0 ? " (each crash replayed what it had not committed; run without "
                    + "--at-least-once to see the transaction remove them)" : " (no crash fell between a write and "
                    + "its commit this time; try more --crashes)"));
            return count.missing() == 0 ? 0 : 1;
        }
        boolean ok = count.duplicates() == 0 && count.missing() == 0 && count.balancesMatch() && open == 0;
        out.println("exactly-once: " + (ok ? "OK" : "FAILED") + " inputs=" + generated.size() + " outputs="
                + committed.size() + " duplicates=" + count.duplicates() + " aborted-visible-to-read_uncommitted="
                + aborted + (ok ? "" : " missing=" + count.missing() + " wrong-balances=" + count.wrongBalances()
                + " open-transactions=" + open));
        return ok ? 0 : 1;
    }

    private static Duration left(long giveUpAt) {
        return Duration.ofNanos(Math.max(0, giveUpAt - System.nanoTime()));
    }
}
