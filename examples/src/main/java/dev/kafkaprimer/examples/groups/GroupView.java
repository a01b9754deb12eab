package dev.kafkaprimer.examples.groups;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.Node;

/**
 * The group as its coordinator sees it, read with {@link Admin#describeConsumerGroups}: the broker that
 * coordinates it, its state, the group epoch (KIP-848 groups only: the classic protocol's describe answer has
 * no generation) and who owns which partitions.
 *
 * @param coordinator the broker that is the group's coordinator: the leader of the partition of
 *                    {@code __consumer_offsets} the group id hashes to
 * @param state       e.g. STABLE, or PREPARING_REBALANCE / RECONCILING while partitions move
 * @param groupEpoch  the group epoch of a CONSUMER-protocol group; empty for a classic group
 * @param owners      each member's client id with its partitions, as {@code [0, 1]}
 */
record GroupView(Node coordinator, GroupState state, Optional<Integer> groupEpoch, Map<String, String> owners) {

    static GroupView describe(Admin admin, String groupId, Duration timeout) throws Exception {
        ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(groupId)).describedGroups()
                .get(groupId).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Map<String, String> owners = new TreeMap<>();
        for (MemberDescription member : group.members()) {
            owners.put(member.clientId(), GroupMember.list(member.assignment().topicPartitions()));
        }
        return new GroupView(group.coordinator(), group.groupState(), group.groupEpoch(), owners);
    }

    /** {@code broker 1 at localhost:9092}. */
    String coordinatorText() {
        return "broker " + coordinator.id() + " at " + coordinator.host() + ":" + coordinator.port();
    }
}
