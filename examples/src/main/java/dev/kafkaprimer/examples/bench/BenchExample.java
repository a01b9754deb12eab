package dev.kafkaprimer.examples.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kafkaprimer.core.consumer.Ordering;
import dev.kafkaprimer.core.json.Json;
import dev.kafkaprimer.examples.cli.Example;
import dev.kafkaprimer.examples.cli.ExampleOptions;
import dev.kafkaprimer.examples.cli.KafkaConnection;
import dev.kafkaprimer.examples.cli.KafkaVersion;
import dev.kafkaprimer.examples.cli.ParsedOptions;
import dev.kafkaprimer.examples.wallet.NotifierBound;
import dev.kafkaprimer.examples.watch.Watch;

/**
 * What the library costs: each of its parts against the same work written by hand with Kafka's own clients
 * ("raw"), with the same settings, the same {@code ObjectMapper} and the same events. Decomposed into the
 * following stages.
 * <ol>
 *   <li>make the events (not timed);</li>
 *   <li>producer throughput: {@code JsonProducer} against {@code KafkaProducer<String, byte[]>};</li>
 *   <li>consumer throughput: {@code CommitLoop} (a commit per poll) against a poll loop with {@code commitSync()};</li>
 *   <li>latency from send to handler at 1,000 records/s, p50 and p99;</li>
 *   <li>start-up: the embedded cluster with 1 and 3 nodes, and {@code ./primer hello} in a new JVM;</li>
 *   <li>the wallet example on SQLite, warmed, against its notifier's bound;</li>
 *   <li>per-key parallelism with a slow handler, and the commit lag;</li>
 *   <li>the per-key engine's own cost with a no-op handler;</li>
 *   <li>read-process-write: the transactional loop against the at-least-once loop writing the same outputs;</li>
 *   <li>share groups: 6 share members against 6 consumer group members on 2 partitions, and the share loop against
 *       a hand-written {@code KafkaShareConsumer} loop.</li>
 * </ol>
 * Stages 2 to 4 run ours and raw in interleaved rounds on fresh topics and report the median of each side; a
 * ratio is ours divided by raw, so 1.0 means the library costs nothing measurable. The last line printed is
 * one JSON object with the headline numbers.
 */
public final class BenchExample implements Example {

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "what the library costs: producer, consumer and latency against raw kafka-clients; start-up; wallet";
    }

    @Override
    public ExampleOptions options() {
        return Watch.withMetrics(new ExampleOptions()
                .flag("--quick", "a short run, under a minute (smaller sizes, 3 rounds; noisier numbers)")
                .integer("--records", "N", null, 100, 5_000_000,
                        "records per producer and consumer run (default 500000; 50000 with --quick)")
                .integer("--value-bytes", "N", "200", 64, 1_000_000, "size of each JSON value, about")
                .integer("--rounds", "N", null, 3, 100, "measured rounds per comparison, at least 3; an even number"
                        + " lets each side go first equally often (default 6; 3 with --quick; the producer"
                        + " comparisons run twice as many)")
                .integer("--wallet-events", "N", null, 0, 10_000_000,
                        "events of the wallet run, 0 to skip it (default 100000; 5000 with --quick)")
                .flag("--skip-startup", "skip the cluster start-up and hello measurements")
                .integer("--stage", "N", null, 2, 10, "run only stage N (2 to 10), for a closer look at one measure;"
                        + " the JSON keys of the others are null")
                .value("--json", "FILE", null, "also write the JSON line to FILE"));
    }

    @Override
    public void checkBeforeStart(ParsedOptions args) {
        Watch.checkOptions(args);
    }

    @Override
    public int run(ParsedOptions args, KafkaConnection kafka, PrintStream out) throws Exception {
        BenchPlan plan = BenchPlan.from(args);
        ObjectMapper mapper = Json.defaultMapper();
        BenchReport report = new BenchReport();

        // stage 1: the events, made before anything is timed
        Workload workload = Workload.of(mapper, plan.records(), plan.valueBytes());
        out.printf("1. Made %,d events of %,d bytes of JSON on average, keys over %,d values; %d rounds per "
                        + "comparison after %d warm-up round(s). Both sides: %s.%n", plan.records(),
                workload.valueBytes() / plan.records(), Workload.KEYS, plan.rounds(), plan.warmUps(),
                BenchClients.describe());
        try (Watch watch = Watch.start(name(), args, out);
             BenchMeters meters = BenchMeters.bind(watch.metrics());
             BenchTopics topics = new BenchTopics(kafka)) {
            Stages stages = new Stages(plan, kafka, new BenchClients(kafka), mapper, workload, topics, report, out,
                    args.value(ExampleOptions.COMMAND_CONFIG), meters);
            stages.run(2, stages::producers, "producer_ratio", "producer_ratio_with_listener",
                    "producer_future_ratio");
            stages.run(3, stages::consumers, "consumer_ratio", "consumer_ratio_with_listener");
            stages.run(4, stages::latency, "latency_p99_ratio");
            stages.run(5, stages::startup, "startup_ms_1", "startup_ms_3", "hello_ms");
            stages.run(6, stages::wallet, "wallet_events_per_s", "wallet_best_events_per_s", "notifier_calls_per_s");
            stages.run(7, stages::keyParallel, "key_parallel_speedup", "key_parallel_commit_lag_ms");
            stages.run(8, stages::keyParallelCost, "key_parallel_noop_ratio");
            stages.run(9, stages::transactions, "transactional_ratio");
            stages.run(10, stages::shareGroups, "share_ratio", "share_loop_ratio");
            meters.running(0);
            watch.hold(out);
        }
        report.print(header(plan, kafka), out, mapper, args.value("--json").map(Path::of).orElse(null));
        return 0;
    }

    /** What every stage uses; each stage adds its rows and JSON keys to {@code report}. */
    private record Stages(BenchPlan plan, KafkaConnection kafka, BenchClients clients, ObjectMapper mapper,
                          Workload workload, BenchTopics topics, BenchReport report, PrintStream out,
                          java.util.Optional<String> commandConfig, BenchMeters meters) {

        @FunctionalInterface
        interface Stage {
            void run() throws Exception;
        }

        /** Runs stage {@code number}, unless {@code --stage} chose another: then its JSON keys are null. */
        void run(int number, Stage stage, String... keys) throws Exception {
            if (plan.runs(number)) {
                meters.running(number);
                stage.run();
                return;
            }
            out.println(number + ". Skipped (--stage " + plan.onlyStage() + ").");
            for (String key : keys) {
                report.put(key, null);
            }
        }

        void producers() throws Exception {
            out.println("2. Producer throughput, JsonProducer (ours) against KafkaProducer<String, byte[]> (raw), the"
                    + " two taking turns in " + ProducerRace.CHUNKS + " slices each per round:");
            // Producer rounds are short, and their single rounds spread the widest: twice the rounds, and the
            // median of the rounds' own ratios (each round's two sides share the same moments).
            int rounds = 2 * plan.rounds();
            ProducerRace producers = new ProducerRace(clients, mapper, topics, workload,
                    ProducerRace.Outcomes.CALLBACK);
            Interleaved<Throughput> produced = Interleaved.rounds(plan.warmUps(), rounds, producers::round, out);
            report.put("producer_ratio", pairedThroughputRows(report, "producer", produced, ">= 0.97"));
            out.println("   the raw producer against itself (raw on both sides): how far this machine moves a"
                    + " ratio of 1:");
            ProducerRace itself = ProducerRace.rawAgainstItself(clients, mapper, topics, workload);
            Interleaved<Throughput> noise = Interleaved.rounds(1, rounds,
                    (run, oursFirst) -> itself.round("n-" + run, oursFirst), out);
            pairedThroughputRows(report, "producer, raw against raw", noise, "noise");
            MetricListeners listeners = new MetricListeners();
            out.println("   the same, JsonProducer with a SendListener that counts and times each send (ours):");
            ProducerRace listened = new ProducerRace(clients.listenedBy(listeners), mapper, topics, workload,
                    ProducerRace.Outcomes.CALLBACK);
            Interleaved<Throughput> withListener = Interleaved.rounds(1, rounds,
                    (run, oursFirst) -> listened.round("l-" + run, oursFirst), out);
            report.put("producer_ratio_with_listener", pairedThroughputRows(report, "producer, listened",
                    withListener, ">= 0.97"));
            requireHeard(listeners.sent(), "sends");
            out.println("   the send that returns a future, every future read back after each slice's flush, on"
                    + " both sides:");
            ProducerRace withFutures = new ProducerRace(clients, mapper, topics, workload,
                    ProducerRace.Outcomes.FUTURES);
            Interleaved<Throughput> futures = Interleaved.rounds(1, rounds,
                    (run, oursFirst) -> withFutures.round("f-" + run, oursFirst), out);
            report.put("producer_future_ratio", pairedThroughputRows(report, "producer, futures", futures,
                    ">= 0.95"));
        }

        void consumers() throws Exception {
            out.println("3. Consumer throughput, CommitLoop (ours) against a poll loop with commitSync() (raw):");
            try (ConsumerRace consumers = new ConsumerRace(clients, mapper, topics, workload, plan.runDeadline())) {
                Interleaved<Throughput> consumed = Interleaved.run(plan.warmUps(), plan.rounds(),
                        run -> consumers.run(Side.OURS, run), run -> consumers.run(Side.RAW, run), out);
                report.put("consumer_ratio", throughputRows(report, "consumer", consumed, ">= 0.95"));
            }
            MetricListeners listeners = new MetricListeners();
            out.println("   the same, CommitLoop with a LoopListener that counts and times each record (ours):");
            try (ConsumerRace consumers = new ConsumerRace(clients.listenedBy(listeners), mapper, topics, workload,
                    plan.runDeadline())) {
                Interleaved<Throughput> consumed = Interleaved.run(1, plan.rounds(),
                        run -> consumers.run(Side.OURS, "l-" + run), run -> consumers.run(Side.RAW, "l-" + run), out);
                report.put("consumer_ratio_with_listener", throughputRows(report, "consumer, listened", consumed,
                        ">= 0.95"));
            }
            requireHeard(listeners.handled(), "handled records");
        }

        /** The listened run must have been listened to: a listener never called would measure nothing. */
        private static void requireHeard(long events, String what) {
            if (events == 0) {
                throw new IllegalStateException("the listener registered on our side heard no " + what);
            }
        }

        void latency() throws Exception {
            out.printf("4. Latency from send to handler, %,d records at %,d/s per run:%n", plan.latencyRecords(),
                    plan.latencyRate());
            LatencyRace latency = new LatencyRace(clients, mapper, topics, workload, plan.latencyRecords(),
                    plan.latencyRate(), plan.runDeadline());
            Interleaved<Latencies> latencies = Interleaved.run(plan.warmUps(), plan.rounds(),
                    run -> latency.run(Side.OURS, run), run -> latency.run(Side.RAW, run), out);
            report.put("latency_p99_ratio", latencyRows(report, latencies));
        }

        void startup() throws Exception {
            BenchExample.startup(plan, report, out);
        }

        void wallet() throws Exception {
            BenchExample.wallet(plan, kafka, commandConfig, topics, report, out);
        }

        void keyParallel() throws Exception {
            out.println("7. Per-key parallelism: one partition, 1,000 keys, a handler that waits 5 ms per record:");
            KeyParallelBench.Result keys = KeyParallelBench.measure(kafka, topics, plan.quick(), plan.runDeadline(),
                    out);
            report.single("commit loop, KEY ordering with 64 workers vs PARTITION (bound 64)",
                    String.format("%.1fx (target >= 40)", keys.speedup()));
            report.single(String.format("KEY, 64 workers, %,d records: processing", KeyParallelBench.LAG_RECORDS),
                    String.format("%,.0f records/s (bound %,d)", keys.processingPerSecond(),
                            KeyParallelBench.WORKERS * 1000 / KeyParallelBench.WORK.toMillis()));
            report.single("  processed and committed", String.format("%,.0f records/s (%.3f of processing)",
                    keys.committedPerSecond(), keys.committedPerSecond() / keys.processingPerSecond()));
            report.single("  last record finished -> committed, median", String.format("%.1f ms (target <= 50)",
                    keys.commitLagMs()));
            report.put("key_parallel_speedup", Math.round(keys.speedup() * 10) / 10.0);
            report.put("key_parallel_commit_lag_ms", Math.round(keys.commitLagMs() * 10) / 10.0);
        }

        void keyParallelCost() throws Exception {
            out.printf("8. The engine's own cost, a handler that does nothing: CommitLoop with %d workers (ours) against "
                    + "the poll loop with commitSync() (raw), for each ordering:%n", KeyParallelBench.NOOP_WORKERS);
            for (Ordering ordering : List.of(Ordering.KEY, Ordering.PARTITION, Ordering.UNORDERED)) {
                String name = ordering.name().toLowerCase(Locale.ROOT);
                out.println("   " + ordering + " ordering:");
                try (ConsumerRace race = new ConsumerRace(clients, mapper, topics, workload, plan.runDeadline(),
                        name, ordering, KeyParallelBench.NOOP_WORKERS)) {
                    // The JIT is warm from the stages before in a full run: one warm-up round is enough.
                    Interleaved<Throughput> consumed = Interleaved.run(1, plan.rounds(),
                            run -> race.run(Side.OURS, run), run -> race.run(Side.RAW, run), out);
                    double ratio = throughputRows(report, ordering + " no-op", consumed, ">= 0.8");
                    if (ordering == Ordering.KEY) {
                        report.put("key_parallel_noop_ratio", ratio);
                    }
                }
            }
        }

        void transactions() throws Exception {
            int records = Math.max(1, plan.records() / 5);
            out.printf("9. Read, process, write %,d records: the transactional loop, %d ms transactions (ours), against "
                    + "the at-least-once loop writing the same outputs and waiting for their acks before each commit "
                    + "(raw column), until every input offset is committed:%n", records,
                    TransactionalRace.TRANSACTION_INTERVAL.toMillis());
            try (TransactionalRace race = new TransactionalRace(clients, mapper, topics, workload, records,
                    plan.runDeadline())) {
                Interleaved<Throughput> runs = Interleaved.run(1, plan.rounds(),
                        run -> race.run(Side.OURS, run), run -> race.run(Side.RAW, run), out);
                report.put("transactional_ratio", throughputRows(report, "transactional", runs,
                        ""));
            }
        }

        void shareGroups() throws Exception {
            int records = plan.quick() ? 600 : 3_000;
            out.printf("10. Share groups, %,d records on %d partitions, %d members, a handler that waits %d ms per "
                    + "record:%n", records, ShareRace.PARTITIONS, ShareRace.MEMBERS, ShareRace.WORK.toMillis());
            try (ShareRace race = new ShareRace(kafka, clients, mapper, topics, workload, records, plan.runDeadline())) {
                out.println("   a share group (ours) against a consumer group of commit loops (raw column):");
                Interleaved<Throughput> groups = Interleaved.run(1, plan.rounds(),
                        run -> race.run(ShareRace.Contest.GROUPS, Side.OURS, run),
                        run -> race.run(ShareRace.Contest.GROUPS, Side.RAW, "cg-" + run), out);
                report.put("share_ratio", throughputRows(report, "share vs consumer group", groups,
                        String.format("bound %d/%d", ShareRace.MEMBERS, ShareRace.PARTITIONS)));
                out.println("   the share loop (ours) against a KafkaShareConsumer loop written by hand (raw):");
                Interleaved<Throughput> cost = Interleaved.run(1, plan.rounds(),
                        run -> race.run(ShareRace.Contest.LOOP_COST, Side.OURS, "loop-" + run),
                        run -> race.run(ShareRace.Contest.LOOP_COST, Side.RAW, "raw-" + run), out);
                report.put("share_loop_ratio", throughputRows(report, "share loop", cost, ">= 0.95"));
            }
        }
    }

    private static void startup(BenchPlan plan, BenchReport report, PrintStream out) throws Exception {
        if (plan.skipStartup()) {
            out.println("5. Start-up: skipped (--skip-startup).");
            report.put("startup_ms_1", null);
            report.put("startup_ms_3", null);
            report.put("hello_ms", null);
            return;
        }
        out.println("5. Start-up, " + (plan.startupRepeats() == 1 ? "once" : plan.startupRepeats() + " times each")
                + ":");
        double one = StartupBench.clusterStartMillis(1, plan.startupRepeats(), out);
        double three = StartupBench.clusterStartMillis(3, plan.startupRepeats(), out);
        StartupBench.Hello hello = StartupBench.hello(plan.startupRepeats(), out);
        report.single("startup: embedded cluster, 1 node (warm JVM)", millis(one));
        report.single("startup: embedded cluster, 3 nodes (warm JVM)", millis(three));
        report.single("hello: new JVM to first record read", millis(hello.firstRecordMs())
                + " (its broker's start: " + millis(hello.brokerUpMs()) + "; target <= 5,000 ms)");
        report.put("startup_ms_1", Math.round(one));
        report.put("startup_ms_3", Math.round(three));
        report.put("hello_ms", Math.round(hello.firstRecordMs()));
    }

    /**
     * The wallet's configurations besides the defaults that call the notifier once per event, each keeping every
     * end check: batches (a partition's events of a poll in one database transaction, notified all at once) and
     * per-user order on twice the default workers. Each, as the defaults, with {@code --produce-first}: the
     * consuming side alone is timed, as the notifier's bound is.
     */
    private static final List<List<String>> WALLET_PER_CALL_FLAGS = List.of(
            List.of("--produce-first", "--batch"), List.of("--produce-first", "--concurrency", "16"));
    /**
     * Batches notified in bulk calls: hundreds of events per round trip, so the notifier's per-call bound does not
     * bound it. Timed end to end, from the first event sent to the last committed (the group formed before).
     */
    private static final List<String> WALLET_BULK_FLAGS = List.of("--batch", "--bulk-notify");
    /** Notifier clients for its bound: one per member of the runs above, each with its calls open at once. */
    private static final int NOTIFIER_CLIENTS = 3;
    /** Notifier calls per wallet event, about: a tenth of the calls fail and are retried, declined events none. */
    private static final double CALLS_PER_EVENT = 1.11;

    private static void wallet(BenchPlan plan, KafkaConnection kafka, java.util.Optional<String> commandConfig,
                               BenchTopics topics, BenchReport report, PrintStream out) throws Exception {
        if (plan.walletEvents() == 0) {
            out.println("6. Wallet: skipped (--wallet-events 0).");
            report.put("wallet_events_per_s", null);
            report.put("wallet_best_events_per_s", null);
            report.put("notifier_calls_per_s", null);
            return;
        }
        out.printf("6. The wallet in a new JVM per run, %,d events, SQLite, 10%% of notifier calls failing%s."
                + " Each run twice in its JVM, the second timed (the first pays for the JIT compiler). With a call"
                + " per event the events are written before the group starts (--produce-first), so the consuming"
                + " side alone is timed, as the notifier's bound is; with --bulk-notify, end to end:%n",
                plan.walletEvents(), plan.quick() ? " (a small run for --quick; the full bench runs 100,000)" : "");
        WalletBench.EventsPerSecond defaults = WalletBench.eventsPerSecond(kafka.bootstrapServers(), commandConfig,
                topics, plan.walletEvents(), List.of("--produce-first"), out);
        report.single(String.format("wallet: %,d events on SQLite, consumed (--produce-first)", plan.walletEvents()),
                walletFigures(defaults));
        report.put("wallet_events_per_s", Math.round(defaults.warmed()));
        double bestPerCall = defaults.warmed();
        List<String> bestPerCallFlags = List.of("--produce-first");
        for (List<String> flags : WALLET_PER_CALL_FLAGS) {
            WalletBench.EventsPerSecond run = WalletBench.eventsPerSecond(kafka.bootstrapServers(), commandConfig,
                    topics, plan.walletEvents(), flags, out);
            report.single("  with " + String.join(" ", flags), walletFigures(run));
            if (run.warmed() > bestPerCall) {
                bestPerCall = run.warmed();
                bestPerCallFlags = flags;
            }
        }
        WalletBench.EventsPerSecond bulk = WalletBench.eventsPerSecond(kafka.bootstrapServers(), commandConfig,
                topics, plan.walletEvents(), WALLET_BULK_FLAGS, out);
        report.single("  with " + String.join(" ", WALLET_BULK_FLAGS) + ", end to end", walletFigures(bulk));
        double best = Math.max(bulk.warmed(), bestPerCall);
        report.single("wallet, fastest: " + (bulk.warmed() > bestPerCall ? String.join(" ", WALLET_BULK_FLAGS)
                + ", end to end" : String.join(" ", bestPerCallFlags)), String.format("%,.0f events/s", best));
        report.put("wallet_best_events_per_s", Math.round(best));
        // What bounds a call per event: the third party's HTTP round trips, with as many callers as the runs have.
        double calls = WalletBench.notifierCallsPerSecond(NOTIFIER_CLIENTS, plan.walletEvents(), 0.1,
                plan.runDeadline(), out);
        report.single(String.format("  bound: bare notifier clients, %d x %d calls open, median", NOTIFIER_CLIENTS,
                        NotifierBound.IN_FLIGHT),
                String.format("%,.0f calls/s (about %,.0f events/s at %.2f calls per event; the fastest wallet with a"
                        + " call per event has %.0f%%)", calls, calls / CALLS_PER_EVENT, CALLS_PER_EVENT,
                        100 * bestPerCall * CALLS_PER_EVENT / calls));
        report.put("notifier_calls_per_s", Math.round(calls));
    }

    /** "7,512 events/s (first run in its JVM: 5,120)". */
    private static String walletFigures(WalletBench.EventsPerSecond run) {
        return String.format("%,.0f events/s (first run in its JVM: %,.0f)", run.warmed(), run.firstRun());
    }

    /** Adds the records/s and MB/s rows; returns the records/s ratio, rounded. */
    private static double throughputRows(BenchReport report, String what, Interleaved<Throughput> runs,
                                         String target) {
        return throughputRows(report, what, runs, target,
                measure -> runs.medianOurs(measure) / runs.medianRaw(measure));
    }

    /** Like {@link #throughputRows}, for sides measured together: each ratio the median of the rounds' own. */
    private static double pairedThroughputRows(BenchReport report, String what, Interleaved<Throughput> runs,
                                               String target) {
        return throughputRows(report, what, runs, target, runs::medianRoundRatio);
    }

    /** Adds the records/s, MB/s and CPU rows, each ratio ours ÷ raw by {@code ratioOf}; returns the rate's ratio. */
    private static double throughputRows(BenchReport report, String what, Interleaved<Throughput> runs,
                                         String target, ToDoubleFunction<ToDoubleFunction<Throughput>> ratioOf) {
        double ours = runs.medianOurs(Throughput::recordsPerSecond);
        double raw = runs.medianRaw(Throughput::recordsPerSecond);
        double ratio = BenchReport.round3(ratioOf.applyAsDouble(Throughput::recordsPerSecond));
        report.compare(what + " records/s", String.format("%,.0f", ours), String.format("%,.0f", raw),
                String.format("%.3f", ratio), runs.roundRatios(Throughput::recordsPerSecond), target);
        report.compare(what + " MB/s", String.format("%.1f", runs.medianOurs(Throughput::megabytesPerSecond)),
                String.format("%.1f", runs.medianRaw(Throughput::megabytesPerSecond)), "", "", "");
        double oursCpu = runs.medianOurs(Throughput::cpuMicrosPerRecord);
        double rawCpu = runs.medianRaw(Throughput::cpuMicrosPerRecord);
        if (!Double.isNaN(oursCpu) && !Double.isNaN(rawCpu)) {
            report.compare(what + " CPU µs/record", String.format("%.2f", oursCpu), String.format("%.2f", rawCpu),
                    String.format("%.3f", ratioOf.applyAsDouble(Throughput::cpuMicrosPerRecord)),
                    runs.roundRatios(Throughput::cpuMicrosPerRecord), "");
        }
        return ratio;
    }

    /** Adds the p50 and p99 rows; returns the p99 ratio, rounded. */
    private static double latencyRows(BenchReport report, Interleaved<Latencies> runs) {
        double ours50 = runs.medianOurs(Latencies::p50Ms);
        double raw50 = runs.medianRaw(Latencies::p50Ms);
        double ours99 = runs.medianOurs(Latencies::p99Ms);
        double raw99 = runs.medianRaw(Latencies::p99Ms);
        double ratio = BenchReport.round3(ours99 / raw99);
        report.compare("latency p50 ms", String.format("%.2f", ours50), String.format("%.2f", raw50),
                String.format("%.3f", ours50 / raw50), runs.roundRatios(Latencies::p50Ms), "");
        report.compare("latency p99 ms", String.format("%.2f", ours99), String.format("%.2f", raw99),
                String.format("%.3f", ratio), runs.roundRatios(Latencies::p99Ms), "<= 1.10");
        return ratio;
    }

    private static String header(BenchPlan plan, KafkaConnection kafka) {
        String cluster = kafka.embedded()
                .map(c -> "an embedded " + c.brokerCount() + "-node cluster")
                .orElse("the cluster at " + kafka.bootstrapServers());
        return String.format("Kafka Primer bench%s: %d cores, Java %s (%s), %s %s; Apache Kafka %s on %s.%n"
                        + "%,d records of ~%d bytes, %d partitions; medians of %d rounds after %d warm-up round(s).",
                plan.quick() ? " (--quick)" : "", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.runtime.version"), System.getProperty("java.vm.name"),
                System.getProperty("os.name"), System.getProperty("os.arch"), KafkaVersion.current(), cluster,
                plan.records(), plan.valueBytes(), BenchTopics.PARTITIONS, plan.rounds(), plan.warmUps());
    }

    private static String millis(double ms) {
        return String.format("%,.0f ms", ms);
    }
}
