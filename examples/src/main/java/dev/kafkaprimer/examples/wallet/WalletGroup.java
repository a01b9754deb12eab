package dev.kafkaprimer.examples.wallet;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The wallet's consumer group: its members in this JVM and, for {@code --crash-consumer}, the one in a JVM of
 * its own that is killed mid-run. Closing stops every member (each commits what it finished) and kills the
 * child JVM if it still runs. Used by the example's main thread only.
 */
final class WalletGroup implements AutoCloseable {

    private final WalletMember.Settings settings;
    private final WalletMember.Watchers watch;
    private final List<WalletMember> members = new ArrayList<>();
    private WalletMemberProcess child;

    private WalletGroup(WalletMember.Settings settings, WalletMember.Watchers watch) {
        this.settings = settings;
        this.watch = watch;
    }

    /**
     * Starts {@code consumers} members; with {@code crash} the first in a JVM of its own, which joins first so
     * that it surely owns partitions when the events arrive. The members in this JVM are watched by {@code watch}.
     * When there are no more members than {@code partitions}, it returns once every member in this JVM owns
     * partitions: the group's rebalances are over before the first event, so no partition moves mid-run (a
     * record handled but not yet committed when its partition moves is handled again by the next owner: harmless
     * for the balances, but a poison pill would then reach the dead-letter topic twice). With
     * {@code --produce-first} the events are waiting already, so the first member starts on them at once and
     * partitions do move while the others join (which is why that flag refuses {@code --malformed}).
     */
    static WalletGroup start(WalletMember.Settings settings, WalletMember.Watchers watch, int consumers,
                             int partitions, boolean crash, Duration deadline)
            throws IOException, InterruptedException, SQLException {
        WalletGroup group = new WalletGroup(settings, watch);
        try {
            if (crash) {
                group.child = WalletMemberProcess.start(settings);
                group.child.awaitAssignment(deadline);
            }
            for (int i = crash ? 1 : 0; i < consumers; i++) {
                group.members.add(WalletMember.start("wallet-member-" + (i + 1), settings, watch));
            }
            if (consumers <= partitions) {
                group.awaitEveryMemberAssigned(deadline);
            }
            return group;
        } catch (IOException | InterruptedException | SQLException | RuntimeException e) {
            group.close();
            throw e;
        }
    }

    private void awaitEveryMemberAssigned(Duration deadline) throws InterruptedException {
        long giveUpAt = System.nanoTime() + deadline.toNanos();
        while (members.stream().anyMatch(member -> member.assignment().isEmpty())) {
            for (WalletMember member : members) {
                if (member.failure() != null) {
                    throw new IllegalStateException(member.name() + " stopped: " + member.failure(), member.failure());
                }
            }
            if (System.nanoTime() > giveUpAt) {
                throw new IllegalStateException("the group's members did not all get partitions within "
                        + deadline.toSeconds() + " s");
            }
            Thread.sleep(50);  // a look at each member's assignment; the deadline above bounds the wait
        }
    }

    /** The pid of the member JVM to be killed. */
    long childPid() {
        return child.pid();
    }

    /**
     * Kills the child JVM with SIGKILL once it has processed {@code threshold} events, and starts a member to take
     * over its partitions.
     *
     * @return how many events the child had processed
     */
    long crashOneAfter(long threshold, Duration deadline) throws IOException, InterruptedException, SQLException {
        long processed = child.awaitProcessed(threshold, deadline);
        child.kill();
        members.add(WalletMember.start("wallet-member-replacement", settings, watch));
        return processed;
    }

    /** The members in this JVM (the killed one is not among them). */
    List<WalletMember> members() {
        return members;
    }

    /** Stops the members in this JVM; each commits what it finished and closes its database connections. */
    void stopMembers() throws SQLException {
        for (WalletMember member : members) {
            member.close();
        }
    }

    @Override
    public void close() throws SQLException, InterruptedException {
        try {
            stopMembers();
        } finally {
            if (child != null) {
                child.kill();
            }
        }
    }
}
