package dev.kafkaprimer.core.consumer;

import static dev.kafkaprimer.core.consumer.BrokerClients.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.GroupProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.kafkaprimer.testkit.TestTopics;

/**
 * A seek moves the committed offset with it, before its future completes: a restart right after it resumes at
 * the new position, not at the last offset committed before the seek.
 */
@QuickGroupsCluster
class DurableSeekTest extends BrokerClientsPerTest {

    @ParameterizedTest(name = "concurrency {0}")
    @ValueSource(ints = {1, 4})
    void shouldCommitTheSkipToTheEndSoThatARestartDoesNotProcessTheSkippedRecords(int concurrency, TestTopics topics)
            throws Exception {
        // Given a group that has committed offset 10 of a partition whose log ends at 110
        String topic = topics.next();
        TopicPartition partition = new TopicPartition(topic, 0);
        String group = topic + "-group";
        clients.createTopic(topic, 1);
        send(topic, 0, 110);
        CommitLoop<String, String> first = CommitLoop.create(options(group, topic, concurrency),
                new StringDeserializer(), record -> {
                    if (record.offset() == 10) {
                        throw new StopProcessingException("stop at 10");
                    }
                });
        try (LoopThread running = LoopThread.start(first, "first-member")) {
            assertInstanceOf(ProcessingStoppedException.class, running.awaitEnd(TIMEOUT));
        }
        assertEquals(10L, clients.committed(group).get(partition));

        // And a member that is handling record 10, one record per poll
        CountDownLatch handling = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Long> handled = new CopyOnWriteArrayList<>();
        CommitLoop<String, String> second = CommitLoop.create(options(group, topic, concurrency),
                new StringDeserializer(), record -> {
                    handling.countDown();
                    assertTrue(release.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "released");
                    handled.add(record.offset());
                });
        List<Long> skipped;
        try (LoopThread running = LoopThread.start(second, "second-member")) {
            assertTrue(handling.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "record 10 is being handled");

            // When it is asked to skip to the end, and its record 10 finishes
            CompletableFuture<Map<TopicPartition, Long>> skip = second.seekToEnd();
            release.countDown();

            // Then, as soon as the skip is applied, the group's committed offset is the end: a restart now would
            // not process the 99 skipped records
            assertEquals(Map.of(partition, 110L), skip.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            assertEquals(110L, clients.committed(group).get(partition));
            skipped = List.copyOf(handled);
        }
        // And nothing was handled after the skip (with workers, records fetched before it may have been handed
        // out before the loop applied it: those finished before the seek's future completed)
        assertEquals(skipped, handled);
        assertEquals(10L, handled.get(0));
        assertEquals(110L, clients.committed(group).get(partition));
    }

    @ParameterizedTest(name = "concurrency {0}")
    @ValueSource(ints = {1, 4})
    void shouldCommitTheReplayFromTheBeginningSoThatARestartStillReplays(int concurrency, TestTopics topics)
            throws Exception {
        // Given a member that has handled and committed all 10 records of a partition
        String topic = topics.next();
        TopicPartition partition = new TopicPartition(topic, 0);
        String group = topic + "-group";
        clients.createTopic(topic, 1);
        send(topic, 0, 10);
        List<Long> handled = new CopyOnWriteArrayList<>();
        CommitLoop<String, String> loop = CommitLoop.create(options(group, topic, concurrency),
                new StringDeserializer(), record -> {
                    if (handled.size() >= 10) {
                        // The replay has begun: end here, as a crash would, before any of it is finished
                        throw new StopProcessingException("crash during the replay");
                    }
                    handled.add(record.offset());
                });
        try (LoopThread running = LoopThread.start(loop, "replaying-member")) {
            running.awaitWhileRunning("committed offset 10", () -> clients.committed(group).get(partition),
                    offset -> offset != null && offset == 10L);

            // When it is asked to replay from the beginning
            assertEquals(Map.of(partition, 0L), loop.seekToBeginning().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));

            // Then the committed offset has moved back with it, before any replayed record finished
            assertEquals(0L, clients.committed(group).get(partition));
            assertInstanceOf(ProcessingStoppedException.class, running.awaitEnd(TIMEOUT));
        }
        // And after the crash in the replay it is still there: the member that takes over replays too
        assertEquals(0L, clients.committed(group).get(partition));
    }

    private ConsumerOptions options(String group, String topic, int concurrency) {
        return TestOptions.quick(kafka.bootstrapServers(), group, topic, GroupProtocol.CLASSIC)
                .concurrency(concurrency).maxPollRecords(1).build();
    }

    private void send(String topic, int partition, int count) {
        for (int i = 0; i < count; i++) {
            clients.send(topic, partition, "k" + i, "v" + i);
        }
    }
}
