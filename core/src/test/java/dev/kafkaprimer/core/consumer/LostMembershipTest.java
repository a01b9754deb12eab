package dev.kafkaprimer.core.consumer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.GroupProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.kafkaprimer.testkit.TestTopics;

/**
 * A member that has been removed from its group stops handling what it fetched: a handler too slow for
 * {@code max.poll.interval.ms} makes the group drop the member, whose partitions may then have a new owner
 * already, who handles the same records. The loop notices, hands out nothing more, and polls to rejoin.
 */
@QuickGroupsCluster
class LostMembershipTest extends BrokerClientsPerTest {

    /** When a record's handling started, in nanoseconds. */
    record Handled(long offset, long startNanos) {
    }

    @ParameterizedTest
    @EnumSource(GroupProtocol.class)
    void shouldHandNothingMoreOnceMaxPollIntervalHasPassedAndRejoin(GroupProtocol protocol, TestTopics topics) {
        // Given 5 records fetched in one poll by a member that must poll every second, and a handler that takes
        // 0.7 s for each of the first two records it is handed
        String topic = topics.next();
        String group = topic + "-group";
        TopicPartition partition = new TopicPartition(topic, 0);
        clients.createTopic(topic, 1);
        for (int i = 0; i < 5; i++) {
            clients.send(topic, 0, "k" + i, "v" + i);
        }
        List<Handled> handled = new CopyOnWriteArrayList<>();
        List<Long> changes = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        CommitLoop<String, String> loop = CommitLoop.create(TestOptions.quick(kafka.bootstrapServers(), group, topic,
                        protocol)
                        .maxPollRecords(5)
                        .property(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 1_000)
                        .rebalanceListener(event -> {
                            if (event.change() != RebalanceEvent.Change.ASSIGNED) {
                                changes.add(System.nanoTime());
                            }
                        })
                        .build(),
                new StringDeserializer(), record -> {
                    long start = System.nanoTime();
                    if (calls.incrementAndGet() <= 2) {
                        Thread.sleep(700);   // the slow handler the test is about, not a wait for a condition
                    }
                    handled.add(new Handled(record.offset(), start));
                });

        // When it runs until all five are committed
        try (LoopThread running = LoopThread.start(loop, "too-slow")) {
            running.awaitWhileRunning("committed offset 5", () -> clients.committed(group).get(partition),
                    offset -> offset != null && offset == 5L);
        }

        // Then the member lost its partition once it had not polled for a second (after records 0 and 1)
        assertTrue(!changes.isEmpty(), "the member lost its partition");
        long first = handled.get(0).startNanos();
        long lost = changes.get(0);
        // And it handed out no record more than a second after that poll, before it had rejoined: records 2 to 4
        // were left to the group's next assignment, not handled while another owner may have them
        for (Handled record : handled) {
            if (record.startNanos() < lost) {
                assertTrue(TimeUnit.NANOSECONDS.toMillis(record.startNanos() - first) < 1_000,
                        "offset " + record.offset() + " began " + TimeUnit.NANOSECONDS.toMillis(record.startNanos()
                                - first) + " ms after the poll, while out of the group: " + handled);
            }
        }
        List<Long> beforeLoss = handled.stream().filter(record -> record.startNanos() < lost).map(Handled::offset)
                .toList();
        assertTrue(beforeLoss.equals(List.of(0L, 1L)) || beforeLoss.equals(List.of(0L)), beforeLoss.toString());
        // And every record was handled once it had rejoined: nothing skipped
        assertTrue(handled.stream().map(Handled::offset).toList().containsAll(List.of(0L, 1L, 2L, 3L, 4L)),
                handled.toString());
    }
}
