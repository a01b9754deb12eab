package dev.kafkaprimer.examples.groups;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.kafkaprimer.core.admin.ConsumerGroupLag;
import dev.kafkaprimer.core.admin.PartitionLag;
import dev.kafkaprimer.core.admin.TopicAdmin;
import dev.kafkaprimer.examples.cli.Example;
import dev.kafkaprimer.examples.cli.ExampleOptions;
import dev.kafkaprimer.examples.cli.FreshTopic;
import dev.kafkaprimer.examples.cli.KafkaConnection;
import dev.kafkaprimer.examples.cli.ParsedOptions;
import dev.kafkaprimer.examples.cli.UsageException;
import dev.kafkaprimer.examples.cli.WaitFor;
import dev.kafkaprimer.examples.watch.Watch;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.GroupProtocol;
import org.apache.kafka.common.GroupState;

/**
 * A consumer group shares a topic's partitions, and its coordinator (one of the brokers) rebalances them when
 * members come and go, while records keep arriving. Decomposed into the following stages.
 * <ol>
 *   <li>a fresh topic with 6 partitions, and a new group with the chosen protocol;</li>
 *   <li>a producer writes records at a steady pace until stage 6;</li>
 *   <li>three members join; each prints what it is assigned or gives up, with the generation (CLASSIC) or
 *       member epoch (CONSUMER); once the group is stable, who owns what and which broker coordinates;</li>
 *   <li>a fourth member joins: partitions move to it;</li>
 *   <li>the first member leaves cleanly: its partitions move to the others;</li>
 *   <li>the end check: every acknowledged record was handed to a member at least once (none skipped), and
 *       the group's committed offsets reached the end of every partition.</li>
 * </ol>
 */
public final class GroupsExample implements Example {

    private static final int PARTITIONS = 6;
    private static final int FIRST_MEMBERS = 3;

    @Override
    public String name() {
        return "groups";
    }

    @Override
    public String summary() {
        return "a consumer group shares 6 partitions; members join and leave, each rebalance printed, none skipped";
    }

    @Override
    public ExampleOptions options() {
        return Watch.withMetricsAndWeb(new ExampleOptions()
                .choice("--protocol", "classic",
                        "the group protocol: classic, or consumer (KIP-848, the broker assigns)", "classic", "consumer")
                .topic("--topic", "groups-demo", "the topic (recreated for each run)")
                .integer("--rate", "N", "200", 1, 10_000, "records produced per second while members come and go")
                .timeout("60", 1, 3600, "deadline for each stage, e.g. a rebalance to settle")
                .keepTopic("leave the topic and its records in place"));
    }

    @Override
    public void checkBeforeStart(ParsedOptions args) {
        Watch.checkOptions(args);
    }

    /**
     * Quicker heartbeats for CONSUMER-protocol groups on the embedded broker: members hear of a new assignment
     * at their next heartbeat, every 5 s by default. Classic members set their own interval.
     */
    @Override
    public Map<String, String> embeddedBrokerProperties() {
        return Map.of("group.consumer.heartbeat.interval.ms", "500",
                "group.consumer.min.heartbeat.interval.ms", "500");
    }

    @Override
    public int run(ParsedOptions args, KafkaConnection kafka, PrintStream printed) throws Exception {
        GroupProtocol protocol = protocol(args.choice("--protocol"));
        String topic = args.string("--topic");
        int rate = args.integer("--rate");
        Duration timeout = args.timeout();
        String group = "groups-" + UUID.randomUUID().toString().substring(0, 8);
        Deliveries deliveries = new Deliveries();
        long notCommitted;
        try (Watch watch = Watch.start(name(), args, printed);
             TopicAdmin topics = TopicAdmin.connect(kafka.bootstrapServers(), kafka.security(), timeout);
             Admin admin = Admin.create(kafka.adminProperties(timeout))) {
            // Each line told also goes to the live view, when --web asks for one.
            PrintStream out = watch.web().echo(printed);
            // stage 1: topic and group
            FreshTopic.recreate(topics, topic, PARTITIONS, timeout);
            watch.web().watch(kafka, topic, group);
            out.println("1. Topic '" + topic + "' created afresh with " + PARTITIONS + " partitions. Consumer group '"
                    + group + "', protocol " + protocol + ":");
            out.println(protocol == GroupProtocol.CLASSIC
                    ? "   the coordinator gathers the members; one of them, the leader, computes the assignment "
                            + "(cooperative-sticky)"
                    : "   KIP-848: the coordinator computes the assignment itself and hands it out in heartbeats "
                            + "(every group.consumer.heartbeat.interval.ms, 5 s unless the broker says otherwise)");

            // stage 2: records keep coming through every rebalance
            try (SteadyProducer producer = SteadyProducer.start(kafka.bootstrapServers(), kafka.security(), topic, rate, deliveries);
                 Members members = new Members(new GroupMember.Settings(kafka.bootstrapServers(), kafka.security(), topic, group,
                         protocol, watch.metrics(), watch.web()), deliveries, out)) {
                out.println("2. Producing about " + rate + " records a second (keys user-000 to user-099) until "
                        + "stage 6.");

                // stage 3: the first members
                out.println("3. Three members join. Each prints its own changes as they happen, with "
                        + (protocol == GroupProtocol.CLASSIC ? "the group's generation (it counts rebalances):"
                                : "its member epoch (the group epoch it has caught up with):"));
                for (int i = 0; i < FIRST_MEMBERS; i++) {
                    members.join();
                }
                awaitSettled(admin, group, members, producer, deliveries, timeout, out);

                // stage 4: one more
                out.println("4. member-" + (FIRST_MEMBERS + 1) + " joins: some partitions are revoked from their "
                        + "owners, then assigned to it.");
                members.join();
                awaitSettled(admin, group, members, producer, deliveries, timeout, out);

                // stage 5: one leaves
                GroupMember leaving = members.oldest();
                out.println("5. " + leaving.name() + " leaves: it commits, gives its partitions up and tells the "
                        + "coordinator, which rebalances at once.");
                members.leave(leaving);
                awaitSettled(admin, group, members, producer, deliveries, timeout, out);

                // stage 6: the end check
                long sent = producer.stop();
                out.println("6. Stopped producing after " + sent + " records. Waiting until the group has been "
                        + "handed every one...");
                boolean allHandedOver = awaitAllProcessed(deliveries, members, timeout);
                watch.hold(out);
                out.println(allHandedOver
                        ? "   All handed over. The members leave one by one; each leave is one more rebalance:"
                        : "   Gave up waiting after " + timeout.toSeconds() + " s. The members leave one by one:");
                while (members.size() > 0) {
                    members.leave(members.oldest());
                    awaitTakenOver(members, timeout);
                }
                out.println("   Records handed to each member: " + members.processedByEach() + ".");
                notCommitted = printLag(admin, group, timeout, out);
            }
            if (args.keepTopic()) {
                out.println("   Keeping topic '" + topic + "' (--keep-topic).");
            } else {
                topics.deleteTopic(topic);
                out.println("   Deleted topic '" + topic + "'.");
            }
        }
        Deliveries.Counts counts = deliveries.counts();
        boolean ok = counts.skipped() == 0 && notCommitted == 0;
        printed.println("groups: " + (ok ? "OK" : "FAILED") + " produced=" + counts.produced() + " processed="
                + counts.processed() + " (distinct) duplicates=" + counts.duplicates() + " skipped=" + counts.skipped()
                + (notCommitted == 0 ? "" : " not-committed=" + notCommitted));
        return ok ? 0 : 1;
    }

    private static GroupProtocol protocol(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "classic" -> GroupProtocol.CLASSIC;
            case "consumer" -> GroupProtocol.CONSUMER;
            default -> throw new UsageException("--protocol must be classic or consumer, was '" + text + "'");
        };
    }

    /**
     * Waits until the rebalance is over: every partition owned by exactly one member, each member owning at
     * least one, and the coordinator calling the group stable with the same owners. Then prints it all.
     */
    private static void awaitSettled(Admin admin, String group, Members members, SteadyProducer producer,
                                     Deliveries deliveries, Duration timeout, PrintStream out) throws Exception {
        long started = System.nanoTime();
        Optional<GroupView> settled = WaitFor.until(timeout, () -> {
            members.checkRunning();
            if (producer.failure() != null) {
                throw new IllegalStateException("the producer stopped: " + producer.failure(), producer.failure());
            }
            return members.shareOut(PARTITIONS) ? GroupView.describe(admin, group, timeout) : null;
        }, view -> view != null && view.state() == GroupState.STABLE && view.owners().equals(members.owners()));
        if (settled.isEmpty()) {
            throw new IllegalStateException("the group did not settle within " + timeout.toSeconds() + " s; the "
                    + "members own " + members.owners() + ", the coordinator says "
                    + GroupView.describe(admin, group, timeout));
        }
        GroupView view = settled.get();
        // A classic group's describe answer carries no generation: the members' listeners were told it.
        String generation = view.groupEpoch().map(epoch -> "group epoch " + epoch)
                .orElse("generation " + members.latestGeneration());
        Deliveries.Counts counts = deliveries.counts();
        out.printf("   Settled in %.1f s: %s.%n", (System.nanoTime() - started) / 1e9, view.owners().entrySet()
                .stream().map(e -> e.getKey() + " owns " + e.getValue()).collect(Collectors.joining(", ")));
        out.println("   Coordinator: " + view.coordinatorText() + "; group " + view.state() + ", " + generation + ", "
                + members.size() + " members.");
        out.println("   Records so far: " + counts.produced() + " produced, " + counts.processed() + " processed.");
    }

    /**
     * Waits until the members still there own every partition again, so that none is closed while it is
     * still taking partitions over (the CONSUMER protocol would log that as a failed reconciliation).
     */
    private static void awaitTakenOver(Members members, Duration timeout) throws Exception {
        boolean done = WaitFor.until(timeout, () -> {
            members.checkRunning();
            return members.size() == 0 || members.shareOut(PARTITIONS);
        }, Boolean::booleanValue).isPresent();
        if (!done) {
            throw new IllegalStateException("the other members did not take over within " + timeout.toSeconds()
                    + " s; they own " + members.owners());
        }
    }

    /** Waits (bounded) until no acknowledged record is missing from what the members were handed. */
    private static boolean awaitAllProcessed(Deliveries deliveries, Members members, Duration timeout)
            throws Exception {
        return WaitFor.until(timeout, () -> {
            members.checkRunning();
            return deliveries.counts();
        }, counts -> counts.skipped() == 0).isPresent();
    }

    /** Prints committed vs log-end offsets per partition; returns the total lag. */
    private static long printLag(Admin admin, String group, Duration timeout, PrintStream out) {
        long total = 0;
        out.println("   The group's committed offsets after every member left:");
        for (PartitionLag lag : ConsumerGroupLag.read(admin, group, timeout)) {
            long behind = lag.logEndOffset() - lag.committedOffset().orElse(0);
            total += behind;
            out.println("   partition " + lag.partition().partition() + ": committed " + lag.committedOffset().orElse(0)
                    + ", log-end " + lag.logEndOffset() + ", lag " + behind);
        }
        return total;
    }
}
