package dev.kafkaprimer.examples.wallet;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kafkaprimer.core.admin.TopicAdmin;
import dev.kafkaprimer.core.json.Json;
import dev.kafkaprimer.examples.cli.ExampleFailedException;
import dev.kafkaprimer.examples.cli.FreshTopic;
import dev.kafkaprimer.examples.cli.KafkaConnection;
import dev.kafkaprimer.examples.cli.ParsedOptions;
import dev.kafkaprimer.examples.watch.Watch;
import io.micrometer.observation.ObservationRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One wallet run spread over processes, on as many machines as you like, against one Kafka cluster and one
 * database ({@code --role}):
 * <ul>
 *   <li>{@code produce}: fresh topics, an empty database, the events, and last the {@link WalletManifest};</li>
 *   <li>{@code consume}: joins the manifest's consumer group and applies events, with a notifier of its own,
 *       until stopped (SIGTERM, Ctrl-C: it commits what it finished and leaves) or idle for
 *       {@code --idle-exit} seconds. Start as many as you like, each on any machine: Kafka's group coordinator
 *       shares the partitions among them, and moves a dead one's partitions to the others;</li>
 *   <li>{@code check}: waits until the group has committed every record, then compares the database with a
 *       ledger computed from the events in the topic, and prints the same {@code wallet: OK …} line as a
 *       whole run.</li>
 * </ul>
 * The processes share nothing but the cluster and the database: that is the point. Stateless; each method runs
 * on the example's main thread.
 */
final class WalletRoles {

    private static final Duration SETUP_DEADLINE = Duration.ofSeconds(60);
    private static final String DEAD_LETTER_SUFFIX = ".DLT";
    private static final Duration TICK = Duration.ofSeconds(1);
    private static final ObjectMapper EVENTS = Json.defaultMapper();

    private WalletRoles() {
    }

    /** Runs the role {@code plan} names; returns the exit code. */
    static int run(WalletPlan plan, ParsedOptions args, KafkaConnection kafka, PrintStream printed)
            throws Exception {
        try (Watch watch = Watch.start("wallet", args, printed)) {
            PrintStream out = watch.web().echo(printed);
            return switch (plan.role()) {
                case PRODUCE -> produce(plan, kafka, watch, out);
                case CONSUME -> consume(plan, kafka, watch, out);
                case CHECK -> check(plan, kafka, out);
                case ALL -> throw new IllegalArgumentException("--role all is the whole run, not a role of it");
            };
        }
    }

    /** {@code --role produce}: a new run. */
    private static int produce(WalletPlan plan, KafkaConnection kafka, Watch watch, PrintStream out)
            throws Exception {
        List<WalletEvent> events = EventGenerator.generate(plan.users(), plan.events(), plan.seed());
        String runId = UUID.randomUUID().toString().substring(0, 8);
        try (WalletStore store = WalletStore.open(plan.db());
             TopicAdmin topics = TopicAdmin.connect(kafka.bootstrapServers(), kafka.security(), SETUP_DEADLINE)) {
            store.prepare(!plan.keepDb());
            FreshTopic.recreate(topics, plan.topic(), plan.partitions(), SETUP_DEADLINE);
            FreshTopic.recreate(topics, plan.topic() + DEAD_LETTER_SUFFIX, plan.partitions(), SETUP_DEADLINE);
            FreshTopic.recreate(topics, WalletManifest.topicOf(plan.topic()), 1, SETUP_DEADLINE);
            out.println("produce: run " + runId + ": topic '" + plan.topic() + "' (" + plan.partitions()
                    + " partitions), database " + WalletStore.jdbcUrl(plan.db())
                    + (plan.keepDb() ? " (kept)" : " (emptied)") + ".");
            long producedAt = System.currentTimeMillis();
            WalletMember.Watchers watchers = new WalletMember.Watchers(watch.metrics(), watch.web(),
                    ObservationRegistry.NOOP);
            EventWriter.produce(kafka, plan, events, watchers, "produce: ", out);
            EventWriter.injectMalformed(kafka.clientProperties(), plan.topic(), plan.malformed(), out);
            WalletManifest manifest = new WalletManifest(runId, "wallet-" + runId, plan.users(), plan.events(),
                    plan.malformed(), plan.seed(), plan.keyed(), plan.failureRate(), producedAt);
            EventWriter.writeManifest(kafka.clientProperties(), plan.topic(), manifest);
            out.println("produce: manifest written to '" + WalletManifest.topicOf(plan.topic()) + "': group "
                    + manifest.groupId() + ", " + manifest.events() + " events, seed " + manifest.seed() + ".");
            out.println("produce: now start consume processes (--role consume), on any machines, then --role check.");
            return 0;
        }
    }

    /** {@code --role consume}: members of the run's group in this process, until stopped or idle. */
    private static int consume(WalletPlan plan, KafkaConnection kafka, Watch watch, PrintStream out)
            throws Exception {
        WalletManifest manifest = WalletManifest.await(kafka.clientProperties(), plan.topic(), plan.timeout());
        long pid = ProcessHandle.current().pid();
        try (PaymentNotifier notifier = sharedNotifier(plan.db(), manifest)) {
            WalletMember.Settings settings = new WalletMember.Settings(kafka.bootstrapServers(), kafka.security(),
                    plan.topic(), manifest.groupId(), plan.db(), notifier.uri(), plan.ordering(), plan.concurrency(),
                    plan.handling());
            watch.web().watch(kafka, plan.topic(), manifest.groupId());
            WalletMember.Watchers watchers = new WalletMember.Watchers(watch.metrics(), watch.web(),
                    ObservationRegistry.NOOP);
            List<WalletMember> members = new ArrayList<>();
            try (StopSignal stop = StopSignal.onShutdown()) {
                try {
                    for (int i = 1; i <= plan.consumers(); i++) {
                        members.add(WalletMember.start("consume-" + pid + "-" + i, settings, watchers));
                    }
                    out.println("consume: process " + pid + " joined group " + manifest.groupId() + " with "
                            + members.size() + " member(s); its notifier (a stand-in sharing accepted keys through"
                            + " the database) fails " + Math.round(manifest.failureRate() * 100) + "% of calls.");
                    try (TopicAdmin topics = TopicAdmin.connect(kafka.bootstrapServers(), kafka.security(),
                            SETUP_DEADLINE)) {
                        return untilStoppedOrIdle(stop, plan.idleExit(),
                                () -> lagIsZero(topics, manifest.groupId()), members, out);
                    }
                } finally {
                    // Before the stop signal is closed: a shutdown waits for this, so finished work is committed.
                    for (WalletMember member : members) {
                        member.close();
                    }
                }
            }
        }
    }

    /** This process's notifier, recording accepted keys in the database (whose tables it creates if missing). */
    private static PaymentNotifier sharedNotifier(String db, WalletManifest manifest) throws Exception {
        WalletStore shared = WalletStore.open(db);
        try {
            shared.prepare(false);  // the tables, if this database has never seen a wallet; rows stay
            return PaymentNotifier.start(manifest.failureRate(), manifest.seed(), shared);
        } catch (Exception e) {
            shared.close();
            throw e;
        }
    }

    /**
     * Prints progress every second until the JVM is asked to stop, or a member fails, or {@code idleExit} has
     * passed without an event here while {@code groupDone} says the group has nothing left to read. (Idle alone
     * is not enough: a process that just joined gets its partitions only once the busy members have finished
     * their current batch and rejoined, which can take longer than a short {@code --idle-exit}.)
     */
    private static int untilStoppedOrIdle(StopSignal stop, Duration idleExit, BooleanSupplier groupDone,
                                          List<WalletMember> members, PrintStream out) throws InterruptedException {
        long processed = 0;
        long lastChange = System.nanoTime();
        while (!stop.await(TICK)) {
            for (WalletMember member : members) {
                if (member.failure() != null) {
                    throw new ExampleFailedException(member.name() + " stopped: " + member.failure());
                }
            }
            long now = members.stream().mapToLong(WalletMember::processed).sum();
            if (now != processed) {
                out.println("consume: processed " + now + " events, partitions " + assigned(members));
                processed = now;
                lastChange = System.nanoTime();
            } else if (idleExit != null && System.nanoTime() - lastChange >= idleExit.toNanos()
                    && groupDone.getAsBoolean()) {
                out.println("consume: no event for " + idleExit.toSeconds() + " s and the group's lag is 0"
                        + " (--idle-exit): leaving the group after " + processed + " events.");
                return 0;
            }
        }
        out.println("consume: asked to stop: committing and leaving the group after " + processed + " events.");
        return 0;
    }

    /** Whether the group has committed every record; a failed look (a broker moving) counts as not yet. */
    private static boolean lagIsZero(TopicAdmin topics, String groupId) {
        try {
            return GroupProgress.totalLag(topics, groupId) == 0;
        } catch (RuntimeException e) {
            return false;  // asked again at the next tick
        }
    }

    private static String assigned(List<WalletMember> members) {
        List<Integer> partitions = new ArrayList<>();
        members.forEach(member -> member.assignment().forEach(p -> partitions.add(p.partition())));
        partitions.sort(null);
        return partitions.toString();
    }

    /** {@code --role check}: wait for the group, then the end check against the topic's events. */
    private static int check(WalletPlan plan, KafkaConnection kafka, PrintStream out) throws Exception {
        WalletManifest manifest = WalletManifest.await(kafka.clientProperties(), plan.topic(), plan.timeout());
        List<WalletEvent> events = new ArrayList<>();
        long[] malformed = {0};
        WholeTopic.read(kafka.clientProperties(), plan.topic(), SETUP_DEADLINE,
                record -> readEvent(record, events, malformed));
        if (events.size() != manifest.events() || malformed[0] != manifest.malformed()) {
            throw new ExampleFailedException("topic '" + plan.topic() + "' holds " + events.size() + " events and "
                    + malformed[0] + " malformed records, but its manifest says " + manifest.events() + " and "
                    + manifest.malformed() + ": was it written by another run, or did retention delete some?");
        }
        out.println("check: run " + manifest.runId() + ": read " + events.size() + " events back from '"
                + plan.topic() + "'; waiting for group " + manifest.groupId() + " to commit them all.");
        try (WalletStore store = WalletStore.open(plan.db());
             TopicAdmin topics = TopicAdmin.connect(kafka.bootstrapServers(), kafka.security(), SETUP_DEADLINE)) {
            GroupProgress.awaitAllConsumed(topics, store, manifest.groupId(), manifest.events(), List.of(),
                    plan.timeout(), System.nanoTime(), out);
            double seconds = (System.currentTimeMillis() - manifest.producedAtMs()) / 1000.0;
            WalletReport report = new WalletReport(manifest.keyed(), manifest.users(), manifest.events(),
                    Ledger.of(events), store.balances(), store.outcomeCounts(), store.outOfOrderByUser(),
                    store.redeliveries(), (int) store.notifiedCount(),
                    GroupProgress.deadLettered(topics, plan.topic() + DEAD_LETTER_SUFFIX), seconds);
            out.println("check: the database against a ledger of the topic's events in seq order; seconds count"
                    + " from the first send.");
            return report.print(out);
        }
    }

    private static void readEvent(ConsumerRecord<byte[], byte[]> record, List<WalletEvent> events, long[] malformed) {
        try {
            events.add(EVENTS.readValue(record.value(), WalletEvent.class));
        } catch (IOException | RuntimeException e) {
            malformed[0]++;  // a poison pill (--malformed): the group sends it to the dead-letter topic
        }
    }

}
