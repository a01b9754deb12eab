package dev.kafkaprimer.examples.wallet;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import dev.kafkaprimer.core.admin.TopicAdmin;
import dev.kafkaprimer.core.consumer.Ordering;
import dev.kafkaprimer.examples.cli.Example;
import dev.kafkaprimer.examples.cli.ExampleOptions;
import dev.kafkaprimer.examples.cli.FreshTopic;
import dev.kafkaprimer.examples.cli.KafkaConnection;
import dev.kafkaprimer.examples.cli.ParsedOptions;
import dev.kafkaprimer.examples.cli.UsageException;
import dev.kafkaprimer.examples.watch.Watch;

/**
 * The learner's note's own example: users' balance CHARGE and DEDUCT events. One user's events share a key,
 * so they share a partition and stay in order, while many users are processed in parallel by a consumer
 * group that saves to a real database and calls a third party. Decomposed into the following stages.
 * <ol>
 *   <li>prepare: the notifier (a local HTTP service), an empty wallet database, a fresh topic;</li>
 *   <li>start {@code --consumers} group members, each a {@code CommitLoop} handling {@code --concurrency} events
 *       at once ({@code --ordering key}: one user's in order) with a database connection for each, or with
 *       {@code --batch} a partition's events of one poll at once, in one database transaction;</li>
 *   <li>produce the events, key = user id, and show how users and events fall on partitions (with
 *       {@code --produce-first} before stage 2, so that only the consuming side is timed);</li>
 *   <li>with {@code --crash-consumer}: kill one member's JVM with SIGKILL mid-run; a new member takes over;</li>
 *   <li>wait (bounded) until the group has committed every record, printing progress and lag;</li>
 *   <li>the end check: every balance against an independent ledger, and the counts that prove it; and one
 *       event's trace, from the producer through Kafka to the handler, the database and the notifier.</li>
 * </ol>
 */
public final class WalletExample implements Example {

    private static final Duration SETUP_DEADLINE = Duration.ofSeconds(60);
    /** The dead-letter topic is the event topic's name with this appended, the commit loop's default. */
    private static final String DEAD_LETTER_SUFFIX = ".DLT";

    @Override
    public String name() {
        return "wallet";
    }

    @Override
    public String summary() {
        return "the flagship: keyed charge/deduct events, a consumer group, a real database, a third party, a check";
    }

    @Override
    public ExampleOptions options() {
        return Watch.withMetricsAndWeb(new ExampleOptions()
                .integer("--users", "N", "100", 1, 1_000_000, "how many users")
                .integer("--events", "N", "10000", 1, 10_000_000, "how many events in all")
                .integer("--seed", "N", "1", Integer.MIN_VALUE, Integer.MAX_VALUE,
                        "random seed: the same seed makes the same events")
                .integer("--partitions", "N", "6", 1, 1_000, "partitions of the topic")
                .choice("--role", "all", "all: the whole run in this process; or one part of a run spread over"
                        + " processes and machines (needs --bootstrap-server): produce, consume (any number), check",
                        "all", "produce", "consume", "check")
                .integer("--consumers", "N", null, 1, 64,
                        "members of the consumer group in this process (default 3; 1 with --role consume)")
                .integer("--concurrency", "N", null, 1, 64,
                        "events each member handles at once, on worker threads (default 8; 1 with --batch)")
                .choice("--ordering", null, "what stays in order on the workers: one user's events (key, the"
                        + " default) or a whole partition's (partition, the default with --batch)", "key", "partition")
                .flag("--batch", "hand each member a partition's events of one poll at once, applied in one database"
                        + " transaction, then notified all at once (needs --ordering partition and --concurrency 1,"
                        + " its defaults)")
                .flag("--bulk-notify", "with --batch: notify a batch's events in bulk calls of up to "
                        + NotifierClient.BULK_SIZE + " (the notifier's batch endpoint), each event keeping its"
                        + " idempotency key, the refused ones sent again")
                .topic("--topic", "wallet-events", "the topic (recreated for each run)", DEAD_LETTER_SUFFIX,
                        WalletManifest.SUFFIX)
                .value("--db", "FILE|URL", "wallet.db", "SQLite file, or jdbc:postgresql://host:port/db?user=…",
                        WalletDatabase::checkName)
                .flag("--keep-db", "keep the database's rows from earlier runs")
                .decimal("--notify-failure-rate", "R", "0.1", 0, 1, "share of notifier calls that fail on purpose, 0..1")
                .flag("--produce-first", "write every event before the group starts, and time only the consuming of"
                        + " that backlog (without it the clock starts at the first send, while the group consumes)")
                .flag("--crash-consumer", "kill one consumer JVM with SIGKILL mid-run")
                .flag("--no-key", "send events without a key, to see what keys are for")
                .integer("--malformed", "N", "0", 0, 1_000, "also write N records that are not JSON (they go to the DLT)")
                .integer("--idle-exit", "SECONDS", null, 1, 86_400,
                        "with --role consume: exit after this long without an event once the group's lag is 0")
                .timeout("300", 1, 86_400, "give up if the group has not consumed everything by then"));
    }

    /** The options that only go together, and the database, checked before a broker starts. */
    @Override
    public void checkBeforeStart(ParsedOptions args) {
        WalletPlan.from(args);
        Watch.checkOptions(args);
        WalletDatabase.checkOpens(args.string("--db"));
    }

    @Override
    public int run(ParsedOptions args, KafkaConnection kafka, PrintStream printed) throws Exception {
        WalletPlan plan = WalletPlan.from(args);
        if (plan.role() != WalletPlan.Role.ALL) {
            if (kafka.embedded().isPresent()) {
                throw new UsageException("--role " + args.choice("--role") + " is one part of a run spread over"
                        + " processes, which must all reach the same cluster: give --bootstrap-server HOST:PORT or set "
                        + KafkaConnection.ENV + " (an embedded broker would end with this process)");
            }
            return WalletRoles.run(plan, args, kafka, printed);
        }
        List<WalletEvent> generated = EventGenerator.generate(plan.users(), plan.events(), plan.seed());
        try (Watch watch = Watch.start(name(), args, printed);
             WalletTracing tracing = new WalletTracing();
             PaymentNotifier notifier = PaymentNotifier.start(plan.failureRate(), plan.seed());
             WalletStore store = WalletStore.open(plan.db());
             TopicAdmin topics = TopicAdmin.connect(kafka.bootstrapServers(), kafka.security(), SETUP_DEADLINE)) {
            // Each line told also goes to the live view, when --web asks for one.
            PrintStream out = watch.web().echo(printed);
            // stage 1: prepare
            prepare(plan, store, topics, notifier, out);
            // stage 2: the consumer group
            String groupId = "wallet-" + UUID.randomUUID().toString().substring(0, 8);
            watch.web().watch(kafka, plan.topic(), groupId);
            WalletMember.Watchers watchers = new WalletMember.Watchers(watch.metrics(), watch.web(),
                    tracing.observations());
            // stage 3 comes first with --produce-first: the group then starts on a backlog, and the clock with it.
            if (plan.produceFirst()) {
                produce(plan, kafka, generated, watchers, out);
            }
            long started = System.nanoTime();
            try (WalletGroup group = startGroup(plan, kafka, groupId, notifier, watchers, out)) {
                if (plan.produceFirst()) {
                    out.printf("   The group started on a backlog of %d events: timed from when it began to form.%n",
                            plan.events());
                } else {
                    // stage 3: produce while the group consumes; the clock runs from the first send
                    started = System.nanoTime();
                    produce(plan, kafka, generated, watchers, out);
                }
                // stage 4: the crash
                crashOneMember(plan, group, out);
                // stage 5: wait for the group to catch up
                out.println("5. Consuming (progress every second):");
                GroupProgress.awaitAllConsumed(topics, store, groupId, plan.events(), group.members(), plan.timeout(),
                        started, out);
                double seconds = (System.nanoTime() - started) / 1e9;
                watch.hold(out);
                // stage 6: the end check
                group.stopMembers();
                return endCheck(plan, Ledger.of(generated), store, topics, notifier, tracing, group, seconds, out);
            }
        }
    }

    /** Stage 1: an empty (or kept) database and fresh topics. */
    private static void prepare(WalletPlan plan, WalletStore store, TopicAdmin topics, PaymentNotifier notifier,
                                PrintStream out) throws Exception {
        store.prepare(!plan.keepDb());
        FreshTopic.recreate(topics, plan.topic(), plan.partitions(), SETUP_DEADLINE);
        FreshTopic.recreate(topics, plan.topic() + DEAD_LETTER_SUFFIX, plan.partitions(), SETUP_DEADLINE);
        out.println("1. Prepared: topic '" + plan.topic() + "' (" + plan.partitions() + " partitions, dead letters in '"
                + plan.topic() + ".DLT'), database " + WalletStore.jdbcUrl(plan.db())
                + (plan.keepDb() ? " (kept)" : " (empty)") + ", notifier at " + notifier.uri() + " failing "
                + Math.round(plan.failureRate() * 100) + "% of calls.");
    }

    /** Stage 2: the members join the group before any event is produced. */
    private static WalletGroup startGroup(WalletPlan plan, KafkaConnection kafka, String groupId,
                                          PaymentNotifier notifier, WalletMember.Watchers watch, PrintStream out)
            throws Exception {
        WalletMember.Settings settings = new WalletMember.Settings(kafka.bootstrapServers(), kafka.security(),
                plan.topic(), groupId, plan.db(), notifier.uri(), plan.ordering(), plan.concurrency(), plan.handling());
        WalletGroup group = WalletGroup.start(settings, watch, plan.consumers(), plan.partitions(), plan.crash(),
                SETUP_DEADLINE);
        out.println("2. Started consumer group '" + groupId + "' with " + plan.consumers() + " members"
                + (plan.crash() ? " (member 1 in its own JVM, pid " + group.childPid() + ", to be killed)" : "")
                + (plan.concurrency() == 1 && plan.ordering() == Ordering.PARTITION ? "" : ", each handling up to "
                        + plan.concurrency() + " events at once, one "
                        + (plan.ordering() == Ordering.KEY ? "user's" : "partition's") + " in order") + ".");
        if (plan.inBatches()) {
            out.println("   In batches: each member takes the events one poll brought for a partition at once, "
                    + "applies them in one database transaction, then notifies them all at once"
                    + (plan.handling() == WalletMember.Handling.IN_BATCHES_BULK_NOTIFY
                    ? ", in bulk calls of up to " + NotifierClient.BULK_SIZE + " events each." : "."));
        }
        return group;
    }

    /** Stage 3: the events with key = user id, then any malformed records. */
    private static void produce(WalletPlan plan, KafkaConnection kafka, List<WalletEvent> generated,
                                WalletMember.Watchers watchers, PrintStream out) {
        EventWriter.produce(kafka, plan, generated, watchers, "3. ", out);
        EventWriter.injectMalformed(kafka.clientProperties(), plan.topic(), plan.malformed(), out);
    }

    /** Stage 4: with --crash-consumer, SIGKILL one member's JVM after about a quarter of its share. */
    private static void crashOneMember(WalletPlan plan, WalletGroup group, PrintStream out) throws Exception {
        if (!plan.crash()) {
            out.println("4. No crash this time (--crash-consumer kills a member's JVM mid-run).");
            return;
        }
        long threshold = Math.max(10, plan.events() / (plan.consumers() * 4L));
        long processed = group.crashOneAfter(threshold, SETUP_DEADLINE);
        out.println("4. Killed member 1 (pid " + group.childPid() + ", SIGKILL) after it had processed "
                + processed + " events: no commit, no goodbye. Starting a new member to take over.");
    }

    /** Stage 6: the database against the ledger, and the counts that prove it; returns the exit code. */
    private static int endCheck(WalletPlan plan, Ledger ledger, WalletStore store, TopicAdmin topics,
                                PaymentNotifier notifier, WalletTracing tracing, WalletGroup group, double seconds,
                                PrintStream out) throws Exception {
        WalletReport report = new WalletReport(plan.keyed(), plan.users(), plan.events(), ledger, store.balances(),
                store.outcomeCounts(), store.outOfOrderByUser(), store.redeliveries(), notifier.acceptedCount(),
                GroupProgress.deadLettered(topics, plan.topic() + DEAD_LETTER_SUFFIX), seconds);
        out.println("6. End check: the database against a ledger computed from the produced events in seq "
                + "order. Notifier: " + (notifier.bulkCalls() == 0
                ? notifier.calls() + " calls, " + notifier.failedCalls() + " failed on purpose and were retried."
                : notifier.bulkCalls() + " bulk calls carrying " + notifier.bulkEvents() + " events, "
                        + notifier.refusedInBulk() + " of them refused on purpose and sent again."));
        if (plan.inBatches()) {
            printBatches(group.members(), plan.crash(), out);
        } else {
            tracing.printOneTrace(plan.topic(), notifier, out);
        }
        return report.print(out);
    }

    /**
     * "batches: 412 handled, 24.3 events each on average, …", over this JVM's members. Redelivered events count
     * in the average: a retried batch is another transaction.
     */
    private static void printBatches(List<WalletMember> members, boolean crash, PrintStream out) {
        long batches = members.stream().mapToLong(WalletMember::batches).sum();
        long events = members.stream().mapToLong(WalletMember::batchedEvents).sum();
        out.printf("batches: %d handled, %.1f events each on average, one database transaction per batch%s%n",
                batches, batches == 0 ? 0.0 : (double) events / batches,
                crash ? " (the killed member's are not counted)" : "");
    }
}
