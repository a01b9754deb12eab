package dev.kafkaprimer.examples.wallet;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

import dev.kafkaprimer.core.admin.PartitionLag;
import dev.kafkaprimer.core.admin.TopicAdmin;
import dev.kafkaprimer.examples.cli.ExampleFailedException;

/**
 * How far the wallet's consumer group has come, from the group coordinator's committed offsets and the
 * database's rows: what a whole run waits on before its end check, and what {@code --role check} waits on
 * before its own. Stateless.
 */
final class GroupProgress {

    private GroupProgress() {
    }

    /**
     * Waits until the group has committed every record (lag 0) and the database holds {@code events} events,
     * printing progress every second; fails early if a member in this JVM stopped.
     *
     * @param started when the clock of {@code timeout} started ({@link System#nanoTime()})
     * @throws ExampleFailedException if that has not happened {@code timeout} after {@code started}
     */
    static void awaitAllConsumed(TopicAdmin topics, WalletStore store, String group, int events,
                                 List<WalletMember> members, Duration timeout, long started, PrintStream out)
            throws Exception {
        long giveUpAt = started + timeout.toNanos();
        long lastCount = 0;
        long lastTick = System.nanoTime();
        while (true) {
            for (WalletMember member : members) {
                if (member.failure() != null) {
                    throw new IllegalStateException(member.name() + " stopped: " + member.failure(), member.failure());
                }
            }
            long lag = totalLag(topics, group);
            long recorded = store.recordedEvents();
            long now = System.nanoTime();
            if (lag == 0 && recorded >= events) {
                out.printf("   consumed %d/%d events, lag 0: done%n", recorded, events);
                return;
            }
            if (now > giveUpAt) {
                // Running out of time is an outcome, not a crash: say how far the group got.
                throw new ExampleFailedException("the group had not consumed every event within " + timeout.toSeconds()
                        + " s: recorded " + recorded + " of " + events + ", lag " + (lag < 0 ? "unknown" : lag)
                        + ". Give it longer with --timeout, or fewer --events");
            }
            if (now - lastTick >= 1_000_000_000L) {
                out.printf("   consumed %d/%d events (%d/s), lag %s%n", recorded, events,
                        (recorded - lastCount) * 1_000_000_000L / (now - lastTick),
                        lag < 0 ? "unknown (no member yet)" : lag);
                lastCount = recorded;
                lastTick = now;
            }
            Thread.sleep(200);  // a progress tick; the deadline above bounds the whole wait
        }
    }

    /**
     * The group's total lag, or -1 before the group has committed anything. A partition without a committed
     * offset counts from offset 0 (the topic is new): all its records are still to be read.
     */
    static long totalLag(TopicAdmin topics, String group) {
        List<PartitionLag> lags = topics.groupLag(group);
        if (lags.isEmpty()) {
            return -1;
        }
        return lags.stream().mapToLong(lag -> lag.logEndOffset() - lag.committedOffset().orElse(0)).sum();
    }

    /** Records in the dead-letter topic: the sum of its partitions' end offsets (it is new for each run). */
    static long deadLettered(TopicAdmin topics, String dlt) {
        return topics.endOffsets(dlt).values().stream().mapToLong(Long::longValue).sum();
    }
}
