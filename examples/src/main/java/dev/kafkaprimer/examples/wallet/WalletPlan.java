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
 * @param handling    event by event, or a partition's events of a poll at once
 * @param malformed   records that are not JSON, for the dead-letter topic
 * @param seed        the random seed of the events and the notifier's failures
 * @param keyed       whether events carry the user id as key
 * @param crash       whether one member's JVM is killed mid-run
 * @param failureRate share of notifier calls that fail on purpose
 * @param topic       the event topic
 * @param db          the database: an SQLite file or a PostgreSQL URL
 * @param keepDb      whether rows of earlier runs are kept
 * @param timeout     how long the group has to consume everything
 */
record WalletPlan(int users, int events, int partitions, int consumers, int concurrency, Ordering ordering,
                  WalletMember.Handling handling, int malformed, long seed, boolean keyed, boolean crash,
                  double failureRate, String topic, String db, boolean keepDb, Duration timeout) {

    /**
     * Reads the plan from options whose values their own rules checked already.
     *
     * @throws UsageException for options that do not go together
     */
    static WalletPlan from(ParsedOptions args) {
        int consumers = args.integer("--consumers");
        boolean crash = args.flag("--crash-consumer");
        if (crash && consumers < 2) {
            throw new UsageException("--crash-consumer needs --consumers 2 or more, was " + consumers);
        }
        int concurrency = args.integer("--concurrency");
        Ordering ordering = args.choice("--ordering").equals("key") ? Ordering.KEY : Ordering.PARTITION;
        return new WalletPlan(args.integer("--users"), args.integer("--events"), args.integer("--partitions"),
                consumers, concurrency, ordering, handling(args.flag("--batch"), ordering, concurrency),
                args.integer("--malformed"), args.integer("--seed"), !args.flag("--no-key"), crash,
                args.decimal("--notify-failure-rate"), args.string("--topic"), args.string("--db"),
                args.flag("--keep-db"), args.timeout());
    }

    /** A batch is one partition's events, handled on the loop thread: no other ordering, no worker threads. */
    private static WalletMember.Handling handling(boolean batch, Ordering ordering, int concurrency) {
        if (!batch) {
            return WalletMember.Handling.EVENT_BY_EVENT;
        }
        if (ordering != Ordering.PARTITION || concurrency != 1) {
            throw new UsageException("--batch needs --ordering partition and --concurrency 1 (a batch is one "
                    + "partition's events, handled one batch at a time), was --ordering "
                    + ordering.name().toLowerCase(Locale.ROOT) + " --concurrency " + concurrency);
        }
        return WalletMember.Handling.IN_BATCHES;
    }

    boolean inBatches() {
        return handling == WalletMember.Handling.IN_BATCHES;
    }
}
