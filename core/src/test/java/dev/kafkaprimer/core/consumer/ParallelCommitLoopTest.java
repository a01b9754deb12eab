package dev.kafkaprimer.core.consumer;

import static dev.kafkaprimer.core.consumer.BrokerClients.TIMEOUT;
import static dev.kafkaprimer.core.consumer.BrokerClients.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.GroupProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import dev.kafkaprimer.testkit.Await;
import dev.kafkaprimer.testkit.TestTopics;

/** The commit loop with worker threads: orderings, safe offsets, backpressure, retries, stopping, closing. */
@QuickGroupsCluster
class ParallelCommitLoopTest extends BrokerClientsPerTest {

    @Test
    void shouldKeepEachKeysRecordsInOffsetOrderWhileHandlingDifferentKeysAtOnce(TestTopics topics) {
        // Given one partition with 30 records for each of 100 keys, the keys shuffled together
        String topic = topics.next();
        TopicPartition partition = new TopicPartition(topic, 0);
        clients.createTopic(topic, 1);
        List<Integer> keyOfEachRecord = new ArrayList<>();
        for (int key = 0; key < 100; key++) {
            for (int seq = 0; seq < 30; seq++) {
                keyOfEachRecord.add(key);
            }
        }
        Collections.shuffle(keyOfEachRecord, new Random(9));
        Map<Integer, Integer> nextSeq = new HashMap<>();
        for (int key : keyOfEachRecord) {
            clients.send(topic, 0, "user-" + key, Integer.toString(nextSeq.merge(key, 1, Integer::sum) - 1));
        }
        String group = topic + "-group";
        ConsumerOptions options = TestOptions.quick(kafka.bootstrapServers(), group, topic, GroupProtocol.CLASSIC)
                .ordering(Ordering.KEY).concurrency(8).maxPollRecords(100).maxPendingRecords(300).build();

        // When a loop with 8 workers handles them, its first 8 calls waiting until all 8 run at once
        CountDownLatch eightAtOnce = new CountDownLatch(8);
        Map<String, AtomicInteger> runningPerKey = new ConcurrentHashMap<>();
        AtomicInteger sameKeyOverlaps = new AtomicInteger();
        Map<String, List<Integer>> seqsInHandlingOrder = new ConcurrentHashMap<>();
        CommitLoop<String, String> loop = CommitLoop.create(options, new StringDeserializer(), record -> {
            eightAtOnce.countDown();
            assertTrue(eightAtOnce.await(30, TimeUnit.SECONDS), "8 records were handled at the same time");
            if (runningPerKey.computeIfAbsent(record.key(), k -> new AtomicInteger()).incrementAndGet() > 1) {
                sameKeyOverlaps.incrementAndGet();
            }
            seqsInHandlingOrder.computeIfAbsent(record.key(), k -> new CopyOnWriteArrayList<>())
                    .add(Integer.parseInt(record.value()));
            Thread.sleep(1);  // simulated work inside the handler, so records overlap; not a wait for a condition
            runningPerKey.get(record.key()).decrementAndGet();
        });
        try (LoopThread running = LoopThread.start(loop, "per-key-loop")) {
            running.awaitWhileRunning("committed offset 3000", () -> clients.committed(group).get(partition),
                    offset -> offset != null && offset == 3000L);
        }

        // Then every key's records were handled once each, one at a time, in the order they were written
        List<Integer> inOrder = IntStream.range(0, 30).boxed().toList();
        assertEquals(100, seqsInHandlingOrder.size());
        seqsInHandlingOrder.forEach((key, seqs) -> assertEquals(inOrder, seqs, key));
        assertEquals(0, sameKeyOverlaps.get(), "records of one key handled at the same time");
    }

    @Test
    void shouldCommitAsSoonAsTheLastRecordFinishesWithoutWaitingOutThePollTimeout(TestTopics topics) {
        // Given 20 records of 5 keys, handled by 4 workers, with a poll timeout of 25 s: a loop that committed only
        // after its polls would leave the finished work uncommitted for that long, as no new record arrives
        String topic = topics.next();
        String group = topic + "-group";
        TopicPartition partition = new TopicPartition(topic, 0);
        clients.createTopic(topic, 1);
        for (int i = 0; i < 20; i++) {
            clients.send(topic, 0, "k" + (i % 5), "v" + i);
        }
        AtomicInteger handled = new AtomicInteger();
        CommitLoop<String, String> loop = CommitLoop.create(
                TestOptions.quick(kafka.bootstrapServers(), group, topic, GroupProtocol.CLASSIC)
                        .ordering(Ordering.KEY).concurrency(4).pollTimeout(Duration.ofSeconds(25)).build(),
                new StringDeserializer(), record -> handled.incrementAndGet());

        // When all 20 are handled, then the offset after the last is committed well within that poll timeout
        try (LoopThread running = LoopThread.start(loop, "prompt-commit")) {
            running.awaitWhileRunning("20 records handled", () -> handled.get() == 20);
            Await.until(Duration.ofSeconds(10), "committed offset 20 within 10 s of the last record",
                    () -> clients.committed(group).get(partition), offset -> offset != null && offset == 20L);
        }
    }

    @Test
    void shouldHandlePartitionsSideBySideEachInOffsetOrder(TestTopics topics) {
        // Given three partitions of 50 records each
        String topic = topics.next();
        clients.createTopic(topic, 3);
        for (int i = 0; i < 150; i++) {
            clients.send(topic, i % 3, "k" + i, "v" + i);
        }
        String group = topic + "-group";
        ConsumerOptions options = TestOptions.quick(kafka.bootstrapServers(), group, topic, GroupProtocol.CLASSIC)
                .ordering(Ordering.PARTITION).concurrency(3).build();

        // When a loop with three workers handles them, its first three calls waiting until all three run
        CountDownLatch threeAtOnce = new CountDownLatch(3);
        Map<Integer, List<Long>> offsetsPerPartition = new ConcurrentHashMap<>();
        CommitLoop<String, String> loop = CommitLoop.create(options, new StringDeserializer(), record -> {
            threeAtOnce.countDown();
            assertTrue(threeAtOnce.await(30, TimeUnit.SECONDS), "the three partitions were handled at once");
            offsetsPerPartition.computeIfAbsent(record.partition(), p -> new CopyOnWriteArrayList<>())
                    .add(record.offset());
        });
        try (LoopThread running = LoopThread.start(loop, "per-partition-loop")) {
            running.awaitWhileRunning("50 records committed in each partition", () -> clients.committed(group),
                    committed -> committed.size() == 3 && committed.values().stream().allMatch(o -> o == 50L));
        }

        // Then each partition's records were handled in offset order
        List<Long> inOrder = IntStream.range(0, 50).mapToObj(i -> (long) i).toList();
        assertEquals(Map.of(0, inOrder, 1, inOrder, 2, inOrder), offsetsPerPartition);
    }

    @Test
    void shouldHoldTheCommittedOffsetAtARecordStillBeingHandledWhileLaterRecordsFinish(TestTopics topics)
            throws InterruptedException {
        // Given 20 records of different keys, and a handler that is stuck on record 5 until released
        String topic = topics.next();
        TopicPartition partition = new TopicPartition(topic, 0);
        clients.createTopic(topic, 1);
        for (int i = 0; i < 20; i++) {
            clients.send(topic, 0, "k" + i, "v" + i);
        }
        String group = topic + "-group";
        CountDownLatch release = new CountDownLatch(1);
        List<Long> finished = new CopyOnWriteArrayList<>();
        List<String> commitsAheadOfHandOver = new CopyOnWriteArrayList<>();
        CommitLoop<String, String> loop = CommitLoop.create(
                TestOptions.quick(kafka.bootstrapServers(), group, topic, GroupProtocol.CLASSIC)
                        .ordering(Ordering.KEY).concurrency(4).build(),
                new StringDeserializer(), record -> {
                    long committed = clients.committed(group).getOrDefault(partition, 0L);
                    if (committed > record.offset()) {
                        commitsAheadOfHandOver.add("committed " + committed + " at hand-over of " + record.offset());
                    }
                    if (record.offset() == 5) {
                        assertTrue(release.await(60, TimeUnit.SECONDS), "record 5 released");
                    }
                    finished.add(record.offset());
                });
        try (LoopThread running = LoopThread.start(loop, "stuck-record-loop")) {
            // When every record but 5 is finished
            running.awaitWhileRunning("19 records finished", () -> finished.size() == 19);

            // Then the group's committed offset comes to rest at 5: the unfinished record, the next to process
            long committed = running.awaitWhileRunning("a commit up to the stuck record",
                    () -> clients.committed(group).get(partition), offset -> offset != null && offset >= 5);
            assertEquals(5L, committed);
            assertFalse(finished.contains(5L));

            // When the loop is closed while record 5 is still being handled, and record 5 then finishes
            assertFalse(loop.close(Duration.ZERO), "close() did not wait");
            release.countDown();

            // Then the loop finishes record 5 before it stops, and commits everything
            assertTrue(loop.close(TIMEOUT), "the loop finished");
            assertNull(running.awaitEnd(TIMEOUT), "run() returned normally");
        }
        assertEquals(20L, clients.committed(group).get(partition));
        assertEquals(List.of(), commitsAheadOfHandOver, "no commit passed a record not yet finished");
        assertEquals(20, finished.size());
    }

    @Test
    void shouldStopFetchingWhileHoldingMaxPendingRecordsBehindAnUnfinishedOne(TestTopics topics) {
        // Given 100 records; record 0 is stuck and record 1 keeps failing (and being retried) until released
        String topic = topics.next();
        TopicPartition partition = new TopicPartition(topic, 0);
        clients.createTopic(topic, 1);
        for (int i = 0; i < 100; i++) {
            clients.send(topic, 0, "k" + i, "v" + i);
        }
        String group = topic + "-group";
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger fetched = new AtomicInteger();
        AtomicInteger attemptsOfRecord1 = new AtomicInteger();
        Deserializer<String> countingValues = (t, bytes) -> {
            fetched.incrementAndGet();  // called on the loop thread once per record it takes from poll()
            return new String(bytes, StandardCharsets.UTF_8);
        };
        ConsumerOptions options = TestOptions.quick(kafka.bootstrapServers(), group, topic, GroupProtocol.CLASSIC)
                .ordering(Ordering.KEY).concurrency(2).maxPollRecords(5).maxPendingRecords(10)
                .retry(RetryPolicy.builder().maxAttempts(Integer.MAX_VALUE).initialDelay(Duration.ofMillis(10))
                        .maxDelay(Duration.ofMillis(10)).build())
                .build();
        Map<Long, Integer> handled = new ConcurrentHashMap<>();
        CommitLoop<String, String> loop = CommitLoop.create(options, countingValues, record -> {
            if (record.offset() == 0) {
                assertTrue(release.await(60, TimeUnit.SECONDS), "record 0 released");
            }
            if (record.offset() == 1) {
                attemptsOfRecord1.incrementAndGet();
                if (release.getCount() > 0) {
                    throw new IOException("not yet");
                }
            }
            handled.merge(record.offset(), 1, Integer::sum);
        });
        try (LoopThread running = LoopThread.start(loop, "bounded-loop")) {
            // When the loop has fetched as many records as it may hold, and then scheduled five more retries of
            // record 1, each after a poll: five more chances to fetch
            running.awaitWhileRunning("10 records fetched", () -> fetched.get() >= 10);
            int attemptsSoFar = attemptsOfRecord1.get();
            running.awaitWhileRunning("five more attempts at record 1",
                    () -> attemptsOfRecord1.get() >= attemptsSoFar + 5);

            // Then it fetched no more than 10 plus one poll's worth, and committed nothing
            assertTrue(fetched.get() <= 10 + 5 - 1, "fetched " + fetched.get());
            assertNull(clients.committed(group).get(partition));

            // When records 0 and 1 are released, then everything is handled and committed
            release.countDown();
            running.awaitWhileRunning("committed offset 100", () -> clients.committed(group).get(partition),
                    offset -> offset != null && offset == 100L);
        }
        assertEquals(100, handled.size());
        assertTrue(handled.values().stream().allMatch(times -> times == 1), handled.toString());
    }

    @Test
    void shouldKeepHandlingOtherKeysWhileAFailedRecordWaitsForItsRetry(TestTopics topics) {
        // Given a record of key "bad" that fails, a retry delay of an hour, and records of other keys after it
        String topic = topics.next();
        TopicPartition partition = new TopicPartition(topic, 0);
        clients.createTopic(topic, 1);
        clients.send(topic, 0, "bad", "b1");
        for (int i = 1; i <= 4; i++) {
            clients.send(topic, 0, "good-" + i, "g" + i);
        }
        clients.send(topic, 0, "bad", "b2");
        String group = topic + "-group";
        List<String> handled = new CopyOnWriteArrayList<>();
        CommitLoop<String, String> loop = CommitLoop.create(
                TestOptions.quick(kafka.bootstrapServers(), group, topic, GroupProtocol.CLASSIC)
                        .ordering(Ordering.KEY).concurrency(1)
                        .retry(RetryPolicy.builder().initialDelay(Duration.ofHours(1)).maxDelay(Duration.ofHours(1))
                                .build())
                        .build(),
                new StringDeserializer(), record -> {
                    handled.add(record.value());
                    if (record.value().equals("b1")) {
                        throw new IOException("downstream refuses b1");
                    }
                });

        // When the loop, with a single worker, has handled the other keys' records
        try (LoopThread running = LoopThread.start(loop, "waiting-retry-loop")) {
            running.awaitWhileRunning("the four other keys handled", () -> handled.size() == 5);
        }

        // Then the waiting retry held neither the worker nor the other keys, but did hold its own key ("b2"),
        // and the partition's commit: nothing is committed past the unfinished "b1" at offset 0
        assertEquals(List.of("b1", "g1", "g2", "g3", "g4"), handled);
        assertNull(clients.committed(group).get(partition));
    }

    @Test
    void shouldRetryThenDeadLetterFailingAndUnreadableRecordsKeepingTheirKeysOrder(TestTopics topics) {
        // Given a record that always fails, an unreadable one, and a later record of the failing key
        String topic = topics.next();
        TopicPartition partition = new TopicPartition(topic, 0);
        clients.createTopic(topic, 1);
        clients.createTopic(topic + ".DLT", 1);
        clients.send(topic, 0, "bad", "b1");
        clients.send(topic, 0, "good", "g1");
        clients.send(topic, 0, "unreadable", "poison");
        clients.send(topic, 0, "bad", "b2");
        Deserializer<String> values = (t, bytes) -> {
            String value = new String(bytes, StandardCharsets.UTF_8);
            if (value.equals("poison")) {
                throw new SerializationException("cannot read '" + value + "'");
            }
            return value;
        };
        String group = topic + "-group";
        List<String> events = new CopyOnWriteArrayList<>();
        CommitLoop<String, String> loop = CommitLoop.create(
                TestOptions.quick(kafka.bootstrapServers(), group, topic, GroupProtocol.CLASSIC)
                        .ordering(Ordering.KEY).concurrency(4)
                        .retry(RetryPolicy.builder().maxAttempts(3).initialDelay(Duration.ofMillis(20)).build())
                        .build(),
                values, record -> {
                    events.add(record.value());
                    if (record.value().equals("b1")) {
                        throw new IllegalStateException("b1 can never be applied");
                    }
                });

        // When the loop handles them
        try (LoopThread running = LoopThread.start(loop, "dead-lettering-loop")) {
            running.awaitWhileRunning("committed offset 4", () -> clients.committed(group).get(partition),
                    offset -> offset != null && offset == 4L);
        }

        // Then b1 was tried three times before b2 of the same key was handed over, and "g1" once
        assertEquals(List.of("b1", "b1", "b1", "b2"), events.stream().filter(e -> e.startsWith("b")).toList());
        assertEquals(1, Collections.frequency(events, "g1"));
        // And the dead-letter topic holds b1 and the unreadable record, each with its reason
        Map<String, String> reasons = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> letter : clients.read(topic + ".DLT", 2)) {
            reasons.put(text(letter.value()),
                    DeadLetterHeaders.read(letter.headers(), DeadLetterHeaders.EXCEPTION_CLASS).orElseThrow());
        }
        assertEquals(Map.of("b1", IllegalStateException.class.getName(),
                "poison", SerializationException.class.getName()), reasons);
    }

    @Test
    void shouldStopTakingWorkAndCommitNoFurtherThanTheRecordWhoseHandlerAskedToStop(TestTopics topics) {
        // Given 30 records of different keys and a handler that cannot get past record 10
        String topic = topics.next();
        TopicPartition partition = new TopicPartition(topic, 0);
        clients.createTopic(topic, 1);
        for (int i = 0; i < 30; i++) {
            clients.send(topic, 0, "k" + i, "v" + i);
        }
        String group = topic + "-group";
        CommitLoop<String, String> stopping = CommitLoop.create(
                TestOptions.quick(kafka.bootstrapServers(), group, topic, GroupProtocol.CLASSIC)
                        .ordering(Ordering.KEY).concurrency(4).build(),
                new StringDeserializer(), record -> {
                    if (record.offset() == 10) {
                        throw new StopProcessingException("ledger out of balance at " + record.value());
                    }
                });

        // When the loop runs
        Throwable failure;
        try (LoopThread running = LoopThread.start(stopping, "stopping-parallel-loop")) {
            failure = running.awaitEnd(TIMEOUT);
        }

        // Then run() throws at record 10, and the committed offset is 10: records 0..9 were handed out before
        // it and finished, records after it that finished are not committed and will be handled again
        ProcessingStoppedException stopped = assertInstanceOf(ProcessingStoppedException.class, failure);
        assertEquals(10, stopped.offset());
        assertInstanceOf(StopProcessingException.class, stopped.getCause());
        assertEquals(10L, clients.committed(group).get(partition));

        // And a new member of the group resumes at record 10
        List<Long> secondRun = new CopyOnWriteArrayList<>();
        CommitLoop<String, String> restarted = CommitLoop.create(
                TestOptions.quick(kafka.bootstrapServers(), group, topic, GroupProtocol.CLASSIC).build(),
                new StringDeserializer(), record -> secondRun.add(record.offset()));
        try (LoopThread running = LoopThread.start(restarted, "restarted-loop")) {
            running.awaitWhileRunning("committed offset 30", () -> clients.committed(group).get(partition),
                    offset -> offset != null && offset == 30L);
        }
        assertEquals(LongStream.range(10, 30).boxed().toList(), secondRun);
    }

    @Test
    void shouldFinishTheRecordWhoseHandlerClosesTheLoopFromAWorkerThread(TestTopics topics) {
        // Given ten records and a handler that closes its own loop at record 3, from a worker thread
        String topic = topics.next();
        TopicPartition partition = new TopicPartition(topic, 0);
        clients.createTopic(topic, 1);
        for (int i = 0; i < 10; i++) {
            clients.send(topic, 0, "k" + i, "v" + i);
        }
        String group = topic + "-group";
        List<Boolean> closeResults = new CopyOnWriteArrayList<>();
        List<CommitLoop<String, String>> self = new CopyOnWriteArrayList<>();
        CommitLoop<String, String> loop = CommitLoop.create(
                TestOptions.quick(kafka.bootstrapServers(), group, topic, GroupProtocol.CLASSIC)
                        .ordering(Ordering.KEY).concurrency(1).build(),
                new StringDeserializer(), record -> {
                    if (record.offset() == 3) {
                        closeResults.add(self.get(0).close(CommitLoop.DEFAULT_CLOSE_TIMEOUT));
                    }
                });
        self.add(loop);

        // When the loop runs
        try (LoopThread running = LoopThread.start(loop, "self-closing-loop")) {
            assertNull(running.awaitEnd(TIMEOUT), "run() returned normally");
        }

        // Then close() returned at once without waiting for the loop (which waits for this very handler), so
        // record 3 finished and was committed, and nothing after it
        assertEquals(List.of(false), closeResults);
        assertEquals(4L, clients.committed(group).get(partition));
    }

    @Test
    void shouldMeasureKeyParallelThroughputWithTheSpeedupRecipe() throws Exception {
        // The recipe of KeyParallelSpeedup at a small size: it runs, handles every record once and each key's
        // records in offset order (no time asserted: speed is for ./primer bench)
        String topic = KeyParallelSpeedup.createAndFill(kafka.bootstrapServers(), 200);
        KeyParallelSpeedup.Measurement run = KeyParallelSpeedup.measure(kafka.bootstrapServers(), topic, 200,
                Ordering.KEY, 8);
        assertEquals(200, run.handled(), run::toString);
        assertEquals(0, run.outOfOrder(), run::toString);
    }
}
