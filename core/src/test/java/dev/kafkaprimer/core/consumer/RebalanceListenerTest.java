package dev.kafkaprimer.core.consumer;

import static dev.kafkaprimer.core.consumer.BrokerClients.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.apache.kafka.clients.consumer.GroupProtocol;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.kafkaprimer.core.consumer.RebalanceEvent.Change;
import dev.kafkaprimer.testkit.Await;
import dev.kafkaprimer.testkit.KafkaCluster;
import dev.kafkaprimer.testkit.TestTopics;

@QuickGroupsCluster
class RebalanceListenerTest {

    private static final int PARTITIONS = 4;

    @ParameterizedTest
    @EnumSource(GroupProtocol.class)
    void shouldTellEachMemberWhatItGainedAndGaveUpAsMembersComeAndGo(GroupProtocol protocol, KafkaCluster kafka,
                                                                     TestTopics topics) {
        try (BrokerClients clients = new BrokerClients(kafka)) {
            // Given a topic with four partitions and a first member, which gets all of them
            String topic = topics.next();
            clients.createTopic(topic, PARTITIONS);
            Queue<RebalanceEvent> firstEvents = new ConcurrentLinkedQueue<>();
            Queue<RebalanceEvent> secondEvents = new ConcurrentLinkedQueue<>();
            try (LoopThread first = LoopThread.start(member(kafka, topic, protocol, firstEvents), "member-1")) {
                first.awaitWhileRunning("member 1 told of four assigned partitions",
                        () -> owned(firstEvents).size() == PARTITIONS);
                RebalanceEvent firstAssigned = firstEvents.peek();
                assertEquals(Change.ASSIGNED, firstAssigned.change());
                assertTrue(firstAssigned.generation() > 0, "a generation once assigned: " + firstAssigned);

                // When a second member joins
                try (LoopThread second = LoopThread.start(member(kafka, topic, protocol, secondEvents), "member-2")) {
                    second.awaitWhileRunning("the partitions split between the two members", () -> {
                        Set<TopicPartition> union = new HashSet<>(owned(firstEvents));
                        union.addAll(owned(secondEvents));
                        return !owned(firstEvents).isEmpty() && !owned(secondEvents).isEmpty()
                                && union.size() == PARTITIONS;
                    });

                    // Then the first member was told what it gave up, the second what it got, in a later generation
                    Set<TopicPartition> given = changed(firstEvents, Change.REVOKED);
                    assertEquals(given, changed(secondEvents, Change.ASSIGNED), "what one gave up, the other got");
                    assertEquals(first.loop().assignment(), owned(firstEvents), "events agree with assignment()");
                    RebalanceEvent lastOfSecond = last(secondEvents);
                    assertTrue(lastOfSecond.generation() > firstAssigned.generation(),
                            "generation grew: " + firstAssigned + " then " + lastOfSecond);
                }

                // And when the second member leaves, it is told it gave its partitions up, and the first gets them
                Set<TopicPartition> secondHad = changed(secondEvents, Change.ASSIGNED);
                assertEquals(Change.REVOKED, last(secondEvents).change(), "closing revokes: " + secondEvents);
                assertEquals(secondHad, last(secondEvents).partitions());
                first.awaitWhileRunning("member 1 owning all four again", () -> owned(firstEvents).size() == PARTITIONS);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(GroupProtocol.class)
    void shouldStopTheLoopWhenTheListenerThrows(GroupProtocol protocol, KafkaCluster kafka, TestTopics topics) {
        try (BrokerClients clients = new BrokerClients(kafka)) {
            // Given a listener that fails on the first assignment
            String topic = topics.next();
            clients.createTopic(topic, 1);
            ConsumerOptions options = TestOptions.quick(kafka.bootstrapServers(), topic + "-group", topic, protocol)
                    .rebalanceListener(event -> {
                        throw new IllegalStateException("listener failed on " + event.partitions());
                    })
                    .build();
            try (LoopThread loop = LoopThread.start(CommitLoop.create(options, new StringDeserializer(), r -> { }),
                    "member")) {
                // When the member is assigned its partition, then run() ends with the listener's failure inside
                Throwable failure = loop.awaitEnd(TIMEOUT);
                assertInstanceOf(KafkaException.class, failure, "through poll(): " + failure);
                Throwable cause = failure;
                while (cause != null && !(cause instanceof IllegalStateException)) {
                    cause = cause.getCause();
                }
                assertTrue(cause != null && cause.getMessage().startsWith("listener failed on"),
                        "the listener's exception is kept: " + failure);
            }
        }
    }

    private static CommitLoop<String, String> member(KafkaCluster kafka, String topic, GroupProtocol protocol,
                                             Queue<RebalanceEvent> events) {
        ConsumerOptions options = TestOptions.quick(kafka.bootstrapServers(), topic + "-group", topic, protocol)
                .rebalanceListener(events::add)
                .build();
        return CommitLoop.create(options, new StringDeserializer(), record -> { });
    }

    /** What the member owns after its latest event; empty before the first. */
    private static Set<TopicPartition> owned(Queue<RebalanceEvent> events) {
        RebalanceEvent last = last(events);
        return last == null ? Set.of() : last.owned();
    }

    private static RebalanceEvent last(Queue<RebalanceEvent> events) {
        List<RebalanceEvent> all = List.copyOf(events);
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    /** Every partition named by events of that kind. */
    private static Set<TopicPartition> changed(Queue<RebalanceEvent> events, Change change) {
        Set<TopicPartition> partitions = new HashSet<>();
        for (RebalanceEvent event : List.copyOf(events)) {
            if (event.change() == change) {
                partitions.addAll(event.partitions());
            }
        }
        return partitions;
    }
}
