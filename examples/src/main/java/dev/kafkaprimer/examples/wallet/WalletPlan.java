package dev.kafkaprimer.examples.wallet;

import java.time.Duration;
import java.util.Locale;

import dev.kafkaprimer.core.consumer.Ordering;
import dev.kafkaprimer.examples.cli.ParsedOptions;
import dev.kafkaprimer.examples.cli.UsageException;

/**
 * What one wallet run does, read from the command line once: sizes, how members handle events, what goes wrong
 * on purpose, where the events and rows go. Its checks of options that only go together run before anything
 * starts ({@link WalletExample#checkBeforeStart}).
 *
 * @param users       how many users the events belong to
 * @param events      how many events in all
 * @param partitions  partitions of the topic
 * @param consumers   members of the group
 * @param concurrency events each member handles at once
 * @param ordering    what stays in order with worker threads
 * @param handling    event by event, or a partition's events of a poll at once (and how those are notified)
 * @param malformed   records that are not JSON, for the dead-letter topic
 * @param seed        the random seed of the events and the notifier's failures
 * @param keyed       whether events carry the user id as key
 * @param crash       whether one member's JVM is killed mid-run
 * @param failureRate share of notifier calls that fail on purpose
 * @param topic       the event topic
 * @param db          the database: an SQLite file or a PostgreSQL URL
 * @param keepDb      whether rows of earlier runs are kept
 * @param timeout     how long the group has to consume everything
 * @param role        the whole run in this process, or one part of a run spread over processes
 * @param idleExit    with {@link Role#CONSUME}: stop after this long without an event; null: run until stopped
 * @param produceFirst whether every event is written before the group starts, and only consuming is timed
 */
record WalletPlan(int users, int events, int partitions, int consumers, int concurrency, Ordering ordering,
                  WalletMember.Handling handling, int malformed, long seed, boolean keyed, boolean crash,
                  double failureRate, String topic, String db, boolean keepDb, Duration timeout, Role role,
                  Duration idleExit, boolean produceFirst) {

    /** What one {@code ./primer wallet} process does ({@code --role}). */
    enum Role {
        /** Everything below in one process, with the notifier, and the end check: the lesson. */
        ALL,
        /** Fresh topics and database, the events, and the run's manifest; then exit. */
        PRODUCE,
        /** Join the run's consumer group and apply events until stopped or idle. */
        CONSUME,
        /** Wait until the group has consumed everything, then the end check against the topic's events. */
        CHECK
    }

    /** Worker threads per member unless {@code --concurrency} or {@code --batch} says otherwise. */
    static final int DEFAULT_WORKERS = 8;

    /** Members per process unless {@code --consumers} says: a whole group in one run, one per consume process. */
    private static final int CONSUMERS_IN_ONE_RUN = 3;

    /**
     * Reads the plan from options whose values their own rules checked already.
     *
     * @throws UsageException for options that do not go together
     */
    static WalletPlan from(ParsedOptions args) {
        Role role = Role.valueOf(args.choice("--role").toUpperCase(Locale.ROOT));
        int consumers = args.value("--consumers").map(text -> args.integer("--consumers"))
                .orElse(role == Role.CONSUME ? 1 : CONSUMERS_IN_ONE_RUN);
        boolean crash = args.flag("--crash-consumer");
        if (crash && role != Role.ALL) {
            throw new UsageException("--crash-consumer kills a member of a one-process run (--role all), was --role "
                    + args.choice("--role") + "; across processes, kill a consume process yourself (kill -9 PID)");
        }
        if (crash && consumers < 2) {
            throw new UsageException("--crash-consumer needs --consumers 2 or more, was " + consumers);
        }
        Duration idleExit = args.value("--idle-exit").map(text -> Duration.ofSeconds(args.integer("--idle-exit")))
                .orElse(null);
        if (idleExit != null && role != Role.CONSUME) {
            throw new UsageException("--idle-exit is for --role consume (a process that otherwise runs until "
                    + "stopped), was --role " + args.choice("--role"));
        }
        boolean produceFirst = args.flag("--produce-first");
        if (produceFirst && role != Role.ALL) {
            throw new UsageException("--produce-first orders the parts of a one-process run (--role all), was --role "
                    + args.choice("--role") + "; across processes, run --role produce before starting consume");
        }
        if (produceFirst && args.integer("--malformed") > 0) {
            // The members join while the backlog is read, so partitions move mid-run: a poison pill handled but not
            // yet committed when its partition moves would be handled again, and dead-lettered twice.
            throw new UsageException("--produce-first goes without --malformed (was " + args.integer("--malformed")
                    + "): partitions move while the group forms on the backlog, and a poison pill could be"
                    + " dead-lettered twice");
        }
        boolean batch = args.flag("--batch");
        // The defaults are the fastest way that keeps one user's events in order: 8 workers per member, each user's
        // events one at a time (a failing notifier call then holds back only its own user). A batch is a
        // partition's events of one poll, handled in one go: one worker, the partition's order.
        int concurrency = args.value("--concurrency").map(text -> args.integer("--concurrency"))
                .orElse(batch ? 1 : DEFAULT_WORKERS);
        Ordering ordering = args.value("--ordering").map(text -> args.choice("--ordering"))
                .map(text -> text.equals("key") ? Ordering.KEY : Ordering.PARTITION)
                .orElse(batch ? Ordering.PARTITION : Ordering.KEY);
        boolean bulkNotify = args.flag("--bulk-notify");
        if (bulkNotify && !batch) {
            throw new UsageException("--bulk-notify notifies a batch's events in bulk calls: it needs --batch");
        }
        return new WalletPlan(args.integer("--users"), args.integer("--events"), args.integer("--partitions"),
                consumers, concurrency, ordering, handling(batch, bulkNotify, ordering, concurrency),
                args.integer("--malformed"), args.integer("--seed"), !args.flag("--no-key"), crash,
                args.decimal("--notify-failure-rate"), args.string("--topic"), args.string("--db"),
                args.flag("--keep-db"), args.timeout(), role, idleExit, produceFirst);
    }

    /** A batch is one partition's events, handled on the loop thread: no other ordering, no worker threads. */
    private static WalletMember.Handling handling(boolean batch, boolean bulkNotify, Ordering ordering,
                                                  int concurrency) {
        if (!batch) {
            return WalletMember.Handling.EVENT_BY_EVENT;
        }
        if (ordering != Ordering.PARTITION || concurrency != 1) {
            throw new UsageException("--batch needs --ordering partition and --concurrency 1 (a batch is one "
                    + "partition's events, handled one batch at a time), was --ordering "
                    + ordering.name().toLowerCase(Locale.ROOT) + " --concurrency " + concurrency);
        }
        return bulkNotify ? WalletMember.Handling.IN_BATCHES_BULK_NOTIFY : WalletMember.Handling.IN_BATCHES;
    }

    boolean inBatches() {
        return handling.inBatches();
    }
}
