package dev.kafkaprimer.core.consumer;

import static dev.kafkaprimer.core.consumer.BrokerClients.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.GroupProtocol;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.kafkaprimer.testkit.Await;
import dev.kafkaprimer.testkit.KafkaCluster;
import dev.kafkaprimer.testkit.TestTopics;

@QuickGroupsCluster
class RebalanceTest {

    private static final int PARTITIONS = 6;

    /** Each group protocol, with records handled on the loop thread, and by eight workers in per-key order. */
    static Stream<Arguments> protocolsAndOrderings() {
        return Stream.of(GroupProtocol.values()).flatMap(protocol -> Stream.of(
                Arguments.of(protocol, Ordering.PARTITION, 1), Arguments.of(protocol, Ordering.KEY, 8)));
    }

    @ParameterizedTest(name = "{0} {1} concurrency {2}")
    @MethodSource("protocolsAndOrderings")
    void shouldLoseNoRecordWhenAThirdMemberJoinsWhileRecordsFlow(GroupProtocol protocol, Ordering ordering,
                                                                 int concurrency, KafkaCluster kafka,
                                                                 TestTopics topics) throws Exception {
        try (BrokerClients clients = new BrokerClients(kafka)) {
            // Given six partitions, a producer writing to them without pause, and two members of a group
            String topic = topics.next();
            String group = topic + "-group";
            clients.createTopic(topic, PARTITIONS);
            Set<String> written = ConcurrentHashMap.newKeySet();
            Set<String> processed = ConcurrentHashMap.newKeySet();
            AtomicBoolean stopWriting = new AtomicBoolean();
            CompletableFuture<Void> writing = startWriting(clients, topic, written, stopWriting);
            ConsumerOptions options = TestOptions.quick(kafka.bootstrapServers(), group, topic, protocol)
                    .ordering(ordering).concurrency(concurrency).build();
            AtomicInteger byThird = new AtomicInteger();
            try (LoopThread first = LoopThread.start(member(options, processed, new AtomicInteger()), "member-1");
                 LoopThread second = LoopThread.start(member(options, processed, new AtomicInteger()), "member-2")) {
                Await.until(TIMEOUT, "200 records processed by two members", () -> processed.size() >= 200);

                // When a third member joins while records keep coming
                try (LoopThread third = LoopThread.start(member(options, processed, byThird), "member-3")) {
                    List<CommitLoop<?, ?>> members = List.of(first.loop(), second.loop(), third.loop());
                    Await.until(TIMEOUT, "the six partitions shared by three members",
                            () -> members.stream().map(CommitLoop::assignment).toList(),
                            RebalanceTest::sharedByAll);
                    int afterRebalance = written.size() + 200;
                    Await.until(TIMEOUT, "200 more records written", () -> written.size() >= afterRebalance);
                    stopWriting.set(true);
                    writing.get(30, TimeUnit.SECONDS);

                    // Then every record written is processed
                    Await.until(TIMEOUT, "all " + written.size() + " records processed",
                            () -> processed.containsAll(written));
                }
            }

            // And the third member took its share, and the group committed up to the end of every partition
            assertTrue(byThird.get() > 0, "the third member processed records");
            Map<TopicPartition, Long> logEnd = new HashMap<>();
            for (String record : written) {
                TopicPartition partition = new TopicPartition(topic, Integer.parseInt(record.split(":")[0]));
                logEnd.merge(partition, Long.parseLong(record.split(":")[1]) + 1, Math::max);
            }
            assertEquals(logEnd, clients.committed(group));
        }
    }

    private static CommitLoop<String, String> member(ConsumerOptions options, Set<String> processed, AtomicInteger count) {
        return CommitLoop.create(options, new StringDeserializer(), record -> {
            if (options.concurrency() > 1) {
                Thread.sleep(1);  // so that revocation finds records being handled, and waits for them
            }
            processed.add(record.partition() + ":" + record.offset());
            count.incrementAndGet();
        });
    }

    private static boolean sharedByAll(List<Set<TopicPartition>> assignments) {
        Set<TopicPartition> union = new HashSet<>();
        int total = 0;
        for (Set<TopicPartition> assignment : assignments) {
            if (assignment.isEmpty()) {
                return false;
            }
            union.addAll(assignment);
            total += assignment.size();
        }
        return union.size() == PARTITIONS && total == PARTITIONS;
    }

    /** Writes one record after another, round-robin over the partitions, until told to stop. */
    private static CompletableFuture<Void> startWriting(BrokerClients clients, String topic, Set<String> written,
                                                       AtomicBoolean stop) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        new Thread(() -> {
            try {
                for (int i = 0; !stop.get() && i < 50_000; i++) {
                    RecordMetadata sent = clients.send(topic, i % PARTITIONS, "k" + (i % 50), "v" + i);
                    written.add(sent.partition() + ":" + sent.offset());
                }
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        }, "writer").start();
        return done;
    }
}
