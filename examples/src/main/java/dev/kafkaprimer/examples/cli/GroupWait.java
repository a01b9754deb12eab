package dev.kafkaprimer.examples.cli;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ShareGroupDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * Waits until a group has formed, as its coordinator describes it: for examples and benches that must not
 * produce before every member has its partitions. Every wait has a deadline. Thread-safe (stateless).
 */
public final class GroupWait {

    private GroupWait() {
    }

    /**
     * Waits until share group {@code group} has {@code members} members, each assigned at least one partition.
     *
     * @param check called before each look, to end the wait early (a member that failed); may throw
     * @return the description, or empty if {@code timeout} passed first
     */
    public static Optional<ShareGroupDescription> shareGroup(Admin admin, String group, int members,
                                                             Duration timeout, Runnable check) throws Exception {
        return WaitFor.until(timeout, () -> {
            check.run();
            return describeOrNull(() -> admin.describeShareGroups(List.of(group)).all().get().get(group));
        }, found -> found != null && found.members().size() == members
                && found.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty()));
    }

    /**
     * Waits until consumer group {@code group} has {@code members} members and is stable (no rebalance going on).
     *
     * @param check called before each look, to end the wait early (a member that failed); may throw
     * @return the description, or empty if {@code timeout} passed first
     */
    public static Optional<ConsumerGroupDescription> consumerGroup(Admin admin, String group, int members,
                                                                   Duration timeout, Runnable check) throws Exception {
        return WaitFor.until(timeout, () -> {
            check.run();
            return describeOrNull(() -> admin.describeConsumerGroups(List.of(group)).all().get().get(group));
        }, found -> found != null && found.members().size() == members && found.groupState() == GroupState.STABLE);
    }

    /** A group's description, or null while the coordinator does not know the group yet (no member joined). */
    private static <T> T describeOrNull(Callable<T> describe) throws Exception {
        try {
            return describe.call();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return null;
            }
            throw e;
        }
    }
}
