package dev.kafkaprimer.core.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import org.apache.kafka.clients.consumer.GroupProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import dev.kafkaprimer.testkit.Await;
import dev.kafkaprimer.testkit.TestTopics;

/**
 * How the loop with worker threads hands records over and commits them when handlers are quick: it wakes few
 * workers, gives one worker a run of a lane's records, and commits finished work by time, not by poll. Each test
 * checks a guarantee that this must not bend.
 */
@QuickGroupsCluster
class WorkerDispatchTest extends BrokerClientsPerTest {

    @Test
    void shouldCommitFinishedRecordsWhileAnotherIsStillBeingHandledAndNoNewRecordArrives(TestTopics topics)
            throws InterruptedException {
        // Given partition 0 holding one record whose handler waits until released, partition 1 holding 20 records,
        // and a poll timeout of 25 s: a loop that committed only after polls bringing records, once nothing is
        // being handled, or once per poll timeout, would leave partition 1's finished records uncommitted
        String topic = topics.next();
        String group = topic + "-group";
        clients.createTopic(topic, 2);
        clients.send(topic, 0, "stuck", "stuck");
        for (int i = 0; i < 20; i++) {
            clients.send(topic, 1, "k" + i, "v" + i);
        }
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger handledInPartition1 = new AtomicInteger();
        CommitLoop<String, String> loop = CommitLoop.create(
                TestOptions.quick(kafka.bootstrapServers(), group, topic, GroupProtocol.CLASSIC)
                        .ordering(Ordering.KEY).concurrency(4).pollTimeout(Duration.ofSeconds(25)).build(),
                new StringDeserializer(), record -> {
                    if (record.value().equals("stuck")) {
                        assertTrue(release.await(60, TimeUnit.SECONDS), "the stuck record was released");
                    } else {
                        handledInPartition1.incrementAndGet();
                    }
                });

        try (LoopThread running = LoopThread.start(loop, "commit-while-running")) {
            // When partition 1's records are all handled while partition 0's record is still being handled
            running.awaitWhileRunning("20 records of partition 1 handled", () -> handledInPartition1.get() == 20);

            // Then partition 1 is committed up to its end within seconds, and partition 0 not past its stuck record
            Await.until(Duration.ofSeconds(10), "partition 1 committed at 20 while a record of partition 0 runs",
                    () -> clients.committed(group).get(new TopicPartition(topic, 1)),
                    offset -> offset != null && offset == 20L);
            assertNull(clients.committed(group).get(new TopicPartition(topic, 0)));
            release.countDown();
            running.awaitWhileRunning("partition 0 committed at 1",
                    () -> clients.committed(group).get(new TopicPartition(topic, 0)),
                    offset -> offset != null && offset == 1L);
        }
    }

    @Test
    void shouldNotHoldQuickRecordsBehindOneThatSuddenlyTakesLong(TestTopics topics) throws InterruptedException {
        // Given a loop with 4 workers that has handled 300 records taking no time, so that it wakes few workers
        String topic = topics.next();
        String group = topic + "-group";
        TopicPartition partition = new TopicPartition(topic, 0);
        clients.createTopic(topic, 1);
        for (int i = 0; i < 300; i++) {
            clients.send(topic, 0, "k" + (i % 50), "quick-" + i);
        }
        CountDownLatch release = new CountDownLatch(1);
        List<String> handled = new CopyOnWriteArrayList<>();
        CommitLoop<String, String> loop = CommitLoop.create(
                TestOptions.quick(kafka.bootstrapServers(), group, topic, GroupProtocol.CLASSIC)
                        .ordering(Ordering.KEY).concurrency(4).build(),
                new StringDeserializer(), record -> {
                    if (record.value().equals("slow")) {
                        assertTrue(release.await(60, TimeUnit.SECONDS), "the slow record was released");
                    }
                    handled.add(record.value());
                });
        try (LoopThread running = LoopThread.start(loop, "one-slow-record")) {
            running.awaitWhileRunning("300 quick records handled", () -> handled.size() == 300);

            // When one record of a key of its own blocks, and 10 quick records of other keys follow it
            clients.send(topic, 0, "slow-key", "slow");
            for (int i = 0; i < 10; i++) {
                clients.send(topic, 0, "other-" + i, "after-" + i);
            }

            // Then the 10 are handled while the slow one still waits: another worker took them up
            Await.until(Duration.ofSeconds(10), "the 10 records after the slow one handled while it waits",
                    () -> handled.stream().filter(value -> value.startsWith("after-")).count() == 10);
            release.countDown();
            running.awaitWhileRunning("committed offset 311", () -> clients.committed(group).get(partition),
                    offset -> offset != null && offset == 311L);
        }
    }

    @Test
    void shouldStopARunOfAPartitionsRecordsAtOneThatFailsAndRetryItBeforeTheRest(TestTopics topics) {
        // Given 300 records in one partition, handled with PARTITION ordering by quick handlers (so one worker
        // takes many of them as one run), and record 150 failing twice before it succeeds
        String topic = topics.next();
        String group = topic + "-group";
        TopicPartition partition = new TopicPartition(topic, 0);
        clients.createTopic(topic, 1);
        for (int i = 0; i < 300; i++) {
            clients.send(topic, 0, "k" + i, "v" + i);
        }
        List<Long> attempts = new CopyOnWriteArrayList<>();
        AtomicInteger failures = new AtomicInteger();
        CommitLoop<String, String> loop = CommitLoop.create(
                TestOptions.quick(kafka.bootstrapServers(), group, topic, GroupProtocol.CLASSIC)
                        .ordering(Ordering.PARTITION).concurrency(4)
                        .retry(RetryPolicy.builder().maxAttempts(3).initialDelay(Duration.ofMillis(20)).build())
                        .build(),
                new StringDeserializer(), record -> {
                    attempts.add(record.offset());
                    if (record.offset() == 150 && failures.getAndIncrement() < 2) {
                        throw new IOException("record 150 refused, attempt " + failures.get());
                    }
                });

        // When the loop handles them all
        try (LoopThread running = LoopThread.start(loop, "run-with-retry")) {
            running.awaitWhileRunning("committed offset 300", () -> clients.committed(group).get(partition),
                    offset -> offset != null && offset == 300L);
        }

        // Then the partition's records were attempted strictly in offset order, record 150 three times before
        // record 151 was started: the run stopped at the failure, and the rest waited for the retry
        List<Long> expected = new ArrayList<>(LongStream.range(0, 151).boxed().toList());
        expected.add(150L);
        expected.add(150L);
        expected.addAll(LongStream.range(151, 300).boxed().toList());
        assertEquals(expected, attempts);
    }

    @Test
    void shouldHandleEachRecordOnceInKeyOrderWithRunsUnderTheConsumerGroupProtocol(TestTopics topics) {
        // Given 2,000 records of 40 keys over 4 partitions, quick handlers (so records go out in runs), and a
        // group on the consumer protocol (KIP-848)
        String topic = topics.next();
        String group = topic + "-group";
        clients.createTopic(topic, 4);
        for (int i = 0; i < 2_000; i++) {
            clients.send(topic, i % 4, "key-" + (i % 40), Integer.toString(i));
        }
        Map<String, List<Integer>> seenPerKey = new ConcurrentHashMap<>();
        CommitLoop<String, String> loop = CommitLoop.create(
                TestOptions.quick(kafka.bootstrapServers(), group, topic, GroupProtocol.CONSUMER)
                        .ordering(Ordering.KEY).concurrency(8).build(),
                new StringDeserializer(), record -> seenPerKey
                        .computeIfAbsent(record.key(), k -> new CopyOnWriteArrayList<>())
                        .add(Integer.parseInt(record.value())));

        // When one member handles them all
        try (LoopThread running = LoopThread.start(loop, "consumer-protocol-runs")) {
            running.awaitWhileRunning("500 records committed in each partition", () -> clients.committed(group),
                    committed -> committed.size() == 4 && committed.values().stream().allMatch(o -> o == 500L));
        }

        // Then every key's records were handled once each, in the order they were written
        assertEquals(40, seenPerKey.size());
        seenPerKey.forEach((key, values) -> {
            List<Integer> written = new ArrayList<>();
            int first = Integer.parseInt(key.substring("key-".length()));
            for (int i = first; i < 2_000; i += 40) {
                written.add(i);
            }
            assertEquals(written, values, key);
        });
    }
}
