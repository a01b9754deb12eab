package dev.kafkaprimer.examples.groups;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.common.TopicPartition;

/**
 * The example's members, in the order they joined: those still in the group, and everyone who ever was (for
 * the counts at the end). Closing makes every member still in the group leave. Used by the main thread only.
 */
final class Members implements AutoCloseable {

    private static final Duration LEAVE_TIMEOUT = Duration.ofSeconds(30);

    private final GroupMember.Settings settings;
    private final Deliveries deliveries;
    private final PrintStream out;
    private final List<GroupMember> live = new ArrayList<>();
    private final List<GroupMember> everyone = new ArrayList<>();

    Members(GroupMember.Settings settings, Deliveries deliveries, PrintStream out) {
        this.settings = settings;
        this.deliveries = deliveries;
        this.out = out;
    }

    /** Starts member {@code member-N}, N counting every member so far. */
    void join() {
        GroupMember member = GroupMember.start("member-" + (everyone.size() + 1), settings, deliveries, out);
        live.add(member);
        everyone.add(member);
    }

    /** The member that joined first among those still in the group. */
    GroupMember oldest() {
        return live.get(0);
    }

    /** Makes {@code member} leave the group cleanly, waiting for it. */
    void leave(GroupMember member) throws InterruptedException {
        live.remove(member);
        member.leave(LEAVE_TIMEOUT);
    }

    int size() {
        return live.size();
    }

    /** Each live member's name with its partitions, as the coordinator's view shows them. */
    Map<String, String> owners() {
        return live.stream().collect(Collectors.toMap(GroupMember::name, m -> GroupMember.list(m.assignment())));
    }

    /** Every one of {@code partitions} owned by exactly one live member, and every live member owning one. */
    boolean shareOut(int partitions) {
        Set<TopicPartition> union = new HashSet<>();
        int total = 0;
        for (GroupMember member : live) {
            Set<TopicPartition> owned = member.assignment();
            if (owned.isEmpty()) {
                return false;
            }
            union.addAll(owned);
            total += owned.size();
        }
        return union.size() == partitions && total == partitions;
    }

    /**
     * Fails fast when a member can no longer take part.
     *
     * @throws IllegalStateException if a live member's loop stopped on its own
     */
    void checkRunning() {
        for (GroupMember member : live) {
            if (member.failure() != null) {
                throw new IllegalStateException(member.name() + " stopped: " + member.failure(), member.failure());
            }
        }
    }

    /** The highest generation (or epoch) any member was told of: the group's latest. */
    int latestGeneration() {
        return everyone.stream().mapToInt(GroupMember::generation).max().orElse(-1);
    }

    /** {@code member-1 412, member-2 380, ...}: records handed to each member, also those that left. */
    String processedByEach() {
        return everyone.stream().map(m -> m.name() + " " + m.processed()).collect(Collectors.joining(", "));
    }

    /**
     * Makes every live member leave, the oldest first. An interrupt cuts a member's wait short but not the
     * leaving: every member is still asked to leave, and the interrupt is kept for the caller to see.
     */
    @Override
    public void close() {
        boolean interrupted = false;
        while (!live.isEmpty()) {
            try {
                leave(live.get(0));  // removes the member first, so this loop always moves on
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
