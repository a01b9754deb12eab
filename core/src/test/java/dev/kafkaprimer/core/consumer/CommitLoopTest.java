package dev.kafkaprimer.core.consumer;

import static dev.kafkaprimer.core.consumer.BrokerClients.TIMEOUT;
import static dev.kafkaprimer.core.consumer.BrokerClients.bytes;
import static dev.kafkaprimer.core.consumer.BrokerClients.deadLetterHeaders;
import static dev.kafkaprimer.core.consumer.BrokerClients.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.GroupProtocol;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.kafkaprimer.testkit.Await;
import dev.kafkaprimer.testkit.TestTopics;

@QuickGroupsCluster
class CommitLoopTest extends BrokerClientsPerTest {

    /** A JSON value for the poison-pill test. */
    record Order(String id, int quantity) {
    }

    @ParameterizedTest(name = "concurrency {0}")
    @ValueSource(ints = {1, 4})
    void shouldCommitAndLeaveTheGroupWhenItsExecutorIsShutDownNow(int concurrency, TestTopics topics)
            throws Exception {
        // Given a member whose session outlasts the test (30 s), running on an executor, that handled 10 records
        // (on the loop thread, or with 4 workers: the parallel engine)
        String topic = topics.next();
        TopicPartition partition = new TopicPartition(topic, 0);
        clients.createTopic(topic, 1);
        for (int i = 0; i < 10; i++) {
            clients.send(topic, 0, "k" + i, "v" + i);
        }
        String group = topic + "-group";
        ConsumerOptions.Builder options = ConsumerOptions.builder(kafka.bootstrapServers(), group, List.of(topic))
                .pollTimeout(Duration.ofMillis(100))
                .concurrency(concurrency)
                .property(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 30_000)
                .property(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500);
        List<Long> handled = new CopyOnWriteArrayList<>();
        CommitLoop<String, String> first = CommitLoop.create(options.build(), new StringDeserializer(),
                record -> handled.add(record.offset()));
        ExecutorService executor = Executors.newSingleThreadExecutor();
        Future<Boolean> interruptedOnReturn = executor.submit(() -> {
            first.run();
            return Thread.currentThread().isInterrupted();
        });
        Await.until(TIMEOUT, "10 records handled", () -> handled.size() == 10);

        // When the executor is shut down now, which interrupts the loop thread
        executor.shutdownNow();

        // Then run() returns with the interrupt flag set, having committed what it finished
        assertTrue(interruptedOnReturn.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "interrupt flag set again");
        assertEquals(Map.of(partition, 10L), clients.committed(group));
        // And it left the group: a new member gets the partition long before the old session (30 s) would end
        CommitLoop<String, String> second = CommitLoop.create(options.build(), new StringDeserializer(), record -> { });
        try (LoopThread running = LoopThread.start(second, "second-member")) {
            assertEquals(Set.of(partition), second.awaitAssignment(Duration.ofSeconds(15)));
        }
    }

    @Test
    void shouldTellWhenTheMemberHasItsFirstPartitionsAndFailTheWaitOnceTheLoopStopped(TestTopics topics) {
        // Given a loop on a topic of 2 partitions
        String topic = topics.next();
        clients.createTopic(topic, 2);
        CommitLoop<String, String> loop = CommitLoop.create(TestOptions.quick(kafka.bootstrapServers(), topic + "-group",
                topic, GroupProtocol.CLASSIC).build(), new StringDeserializer(), record -> { });
        try (LoopThread running = LoopThread.start(loop, "ready-loop")) {
            // When a probe waits for its first assignment, then it gets both partitions, as assignment() says
            Set<TopicPartition> owned = loop.awaitAssignment(TIMEOUT);
            assertEquals(Set.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1)), owned);
            assertEquals(owned, loop.assignment());
        }
        // And once the loop has stopped, waiting is an error rather than a wait for nothing
        assertThrows(IllegalStateException.class, () -> loop.awaitAssignment(TIMEOUT));
    }

    @ParameterizedTest
    @EnumSource(CommitPolicy.class)
    void shouldCommitOnlyOffsetsOfRecordsTheHandlerHasFinished(CommitPolicy policy, TestTopics topics) {
        // Given 20 records in one partition
        String topic = topics.next();
        TopicPartition partition = new TopicPartition(topic, 0);
        clients.createTopic(topic, 1);
        for (int i = 0; i < 20; i++) {
            clients.send(topic, 0, "k" + i, "v" + i);
        }
        String group = topic + "-group";
        ConsumerOptions.Builder options = TestOptions.quick(kafka.bootstrapServers(), group, topic,
                GroupProtocol.CLASSIC).maxPollRecords(7);
        if (policy == CommitPolicy.EVERY_N_RECORDS_OR_INTERVAL) {
            options.commitEvery(5, Duration.ofMillis(200));
        } else {
            options.commitPolicy(policy);
        }

        // When a loop with this policy processes them, noting the group's committed offset at each hand-over
        List<Long> committedAtHandOver = new CopyOnWriteArrayList<>();
        CommitLoop<String, String> loop = CommitLoop.create(options.build(), new StringDeserializer(),
                record -> committedAtHandOver.add(clients.committed(group).getOrDefault(partition, 0L)));
        try (LoopThread running = LoopThread.start(loop, "loop-" + policy)) {
            // Then the committed offset reaches 20: the offset of the next record to read, not of the last read
            running.awaitWhileRunning("committed offset 20", () -> clients.committed(group).get(partition),
                    offset -> offset != null && offset == 20L);
        }

        // And no commit ever ran ahead of the handler: at record k, at most k records were committed
        assertEquals(20, committedAtHandOver.size());
        for (int k = 0; k < 20; k++) {
            assertTrue(committedAtHandOver.get(k) <= k, "at record " + k + ": " + committedAtHandOver);
            if (policy == CommitPolicy.PER_RECORD) {
                assertEquals(k, committedAtHandOver.get(k), "PER_RECORD commits before the next hand-over");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(GroupProtocol.class)
    void shouldLeaveCommittedOffsetAtRecordWhoseHandlerAskedToStopAndResumeThere(GroupProtocol protocol,
                                                                                 TestTopics topics) {
        // Given 10 records and a handler that cannot get past record 6
        String topic = topics.next();
        TopicPartition partition = new TopicPartition(topic, 0);
        clients.createTopic(topic, 1);
        for (int i = 0; i < 10; i++) {
            clients.send(topic, 0, "k" + i, "v" + i);
        }
        String group = topic + "-group";
        ConsumerOptions options = TestOptions.quick(kafka.bootstrapServers(), group, topic, protocol).build();
        List<Long> firstRun = new CopyOnWriteArrayList<>();
        CommitLoop<String, String> stopping = CommitLoop.create(options, new StringDeserializer(), record -> {
            if (record.offset() == 6) {
                throw new StopProcessingException("ledger out of balance at " + record.value());
            }
            firstRun.add(record.offset());
        });

        // When the loop runs
        Throwable failure;
        try (LoopThread running = LoopThread.start(stopping, "stopping-loop")) {
            failure = running.awaitEnd(TIMEOUT);
        }

        // Then it stops at record 6, having committed 0..5 (committed offset 6) and nothing after
        ProcessingStoppedException stopped = assertInstanceOf(ProcessingStoppedException.class, failure);
        assertEquals(partition, stopped.partition());
        assertEquals(6, stopped.offset());
        assertInstanceOf(StopProcessingException.class, stopped.getCause());
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), firstRun);
        assertEquals(6L, clients.committed(group).get(partition));

        // When a new member of the group starts
        List<Long> secondRun = new CopyOnWriteArrayList<>();
        CommitLoop<String, String> restarted = CommitLoop.create(options, new StringDeserializer(),
                record -> secondRun.add(record.offset()));
        try (LoopThread running = LoopThread.start(restarted, "restarted-loop")) {
            // Then it resumes exactly at record 6
            running.awaitWhileRunning("records 6..9 handled", () -> secondRun.size() >= 4);
            running.awaitWhileRunning("committed offset 10", () -> clients.committed(group).get(partition),
                    offset -> offset != null && offset == 10L);
        }
        assertEquals(List.of(6L, 7L, 8L, 9L), secondRun);
    }

    @Test
    void shouldRetryWithBackoffThenDeadLetterTheRecordWithItsOriginAndFailureInHeaders(TestTopics topics) {
        // Given three records: "a" fails twice then succeeds, "b" always fails, "c" succeeds
        String topic = topics.next();
        String deadLetters = topic + ".DLT";
        clients.createTopic(topic, 1);
        clients.createTopic(deadLetters, 1);
        clients.send(topic, 0, "ka", "a");
        ProducerRecord<byte[], byte[]> b = new ProducerRecord<>(topic, 0, bytes("kb"), bytes("b"));
        b.headers().add("trace-id", bytes("trace-42"));
        RecordMetadata bSent = clients.send(b);
        clients.send(topic, 0, "kc", "c");
        String group = topic + "-group";
        RetryPolicy retry = RetryPolicy.builder().maxAttempts(3).initialDelay(Duration.ofMillis(20))
                .multiplier(2.0).maxDelay(Duration.ofMillis(50)).build();
        Map<String, Integer> attempts = new ConcurrentHashMap<>();
        List<String> finished = new CopyOnWriteArrayList<>();
        CommitLoop<String, String> loop = CommitLoop.create(
                TestOptions.quick(kafka.bootstrapServers(), group, topic, GroupProtocol.CLASSIC).retry(retry).build(),
                new StringDeserializer(), record -> {
                    int attempt = attempts.merge(record.value(), 1, Integer::sum);
                    if (record.value().equals("a") && attempt < 3) {
                        throw new IOException("flaky disk, attempt " + attempt);
                    }
                    if (record.value().equals("b")) {
                        throw new IllegalStateException("no customer with id 42");
                    }
                    finished.add(record.value());
                });

        // When the loop processes them
        try (LoopThread running = LoopThread.start(loop, "retrying-loop")) {
            running.awaitWhileRunning("committed offset 3", () -> clients.committed(group).get(new TopicPartition(topic, 0)),
                    offset -> offset != null && offset == 3L);
        }

        // Then "a" succeeded on its third attempt, "b" was tried three times, "c" once
        assertEquals(Map.of("a", 3, "b", 3, "c", 1), attempts);
        assertEquals(List.of("a", "c"), finished);
        // And "b" is in the dead-letter topic with its own key, value and headers, and where it came from and why
        List<ConsumerRecord<byte[], byte[]>> letters = clients.read(deadLetters, 1);
        assertEquals(1, letters.size());
        ConsumerRecord<byte[], byte[]> letter = letters.get(0);
        assertEquals("kb", text(letter.key()));
        assertEquals("b", text(letter.value()));
        assertEquals("trace-42", text(letter.headers().lastHeader("trace-id").value()));
        assertEquals(Map.of(
                DeadLetterHeaders.ORIGINAL_TOPIC, topic,
                DeadLetterHeaders.ORIGINAL_PARTITION, "0",
                DeadLetterHeaders.ORIGINAL_OFFSET, "1",
                DeadLetterHeaders.ORIGINAL_TIMESTAMP, Long.toString(bSent.timestamp()),
                DeadLetterHeaders.EXCEPTION_CLASS, IllegalStateException.class.getName(),
                DeadLetterHeaders.EXCEPTION_MESSAGE, "no customer with id 42",
                DeadLetterHeaders.ROOT_CAUSE_CLASS, IllegalStateException.class.getName(),
                DeadLetterHeaders.CONSUMER_GROUP, group,
                DeadLetterHeaders.ATTEMPTS, "3"), BrokerClients.stableDeadLetterHeaders(letter));
    }

    @Test
    void shouldDeadLetterUnreadableJsonWithItsExactBytesAndKeepReadingThePartition(TestTopics topics) {
        // Given a valid order, a value that is not JSON (nor even UTF-8), and another valid order
        String topic = topics.next();
        clients.createTopic(topic, 1);
        clients.createTopic(topic + ".DLT", 1);
        byte[] poison = {'{', '"', 'i', 'd', '"', ':', (byte) 0xC3, (byte) 0x28, 0, (byte) 0xFF};
        clients.send(topic, 0, "A-1", "{\"id\":\"A-1\",\"quantity\":2}");
        clients.send(new ProducerRecord<>(topic, 0, bytes("A-2"), poison));
        clients.send(topic, 0, "A-3", "{\"id\":\"A-3\",\"quantity\":5}");
        String group = topic + "-group";
        List<Order> orders = new CopyOnWriteArrayList<>();
        CommitLoop<String, Order> loop = CommitLoop.forJson(
                TestOptions.quick(kafka.bootstrapServers(), group, topic, GroupProtocol.CLASSIC)
                        .retry(RetryPolicy.builder().maxAttempts(5).build()).build(),
                Order.class, record -> orders.add(record.value()));

        // When the loop reads them
        try (LoopThread running = LoopThread.start(loop, "json-loop")) {
            running.awaitWhileRunning("committed offset 3", () -> clients.committed(group).get(new TopicPartition(topic, 0)),
                    offset -> offset != null && offset == 3L);
        }

        // Then the handler got both valid orders, the one after the bad record included
        assertEquals(List.of(new Order("A-1", 2), new Order("A-3", 5)), orders);
        // And the bad record went to the dead-letter topic once, untouched, with the deserializer's error
        List<ConsumerRecord<byte[], byte[]>> letters = clients.read(topic + ".DLT", 1);
        assertEquals(1, letters.size());
        assertArrayEquals(poison, letters.get(0).value());
        assertEquals("A-2", text(letters.get(0).key()));
        Map<String, String> headers = deadLetterHeaders(letters.get(0));
        assertEquals(SerializationException.class.getName(), headers.get(DeadLetterHeaders.EXCEPTION_CLASS));
        assertEquals("1", headers.get(DeadLetterHeaders.ORIGINAL_OFFSET));
        assertTrue(headers.get(DeadLetterHeaders.EXCEPTION_MESSAGE).contains(Order.class.getName()), headers.toString());
    }

    @Test
    void shouldStopWithoutCommittingTheRecordWhenTheDeadLetterWriteFails(TestTopics topics) {
        // Given records 0..2 where 1 always fails, and a dead-letter topic that cannot be written to
        String topic = topics.next();
        TopicPartition partition = new TopicPartition(topic, 0);
        clients.createTopic(topic, 1);
        for (int i = 0; i < 3; i++) {
            clients.send(topic, 0, "k" + i, "v" + i);
        }
        String group = topic + "-group";
        List<Long> handled = new CopyOnWriteArrayList<>();
        CommitLoop<String, String> loop = CommitLoop.create(
                TestOptions.quick(kafka.bootstrapServers(), group, topic, GroupProtocol.CLASSIC)
                        .retry(RetryPolicy.noRetries())
                        .deadLetterTopic(name -> "not a valid topic name!")
                        .deadLetterTimeout(Duration.ofSeconds(5))
                        .build(),
                new StringDeserializer(), record -> {
                    handled.add(record.offset());
                    if (record.offset() == 1) {
                        throw new IllegalStateException("always fails");
                    }
                });

        // When the loop runs
        Throwable failure;
        try (LoopThread running = LoopThread.start(loop, "dead-letter-failing-loop")) {
            failure = running.awaitEnd(TIMEOUT);
        }

        // Then it stops at record 1, saying why, with record 0 committed and record 2 never handed over
        ProcessingStoppedException stopped = assertInstanceOf(ProcessingStoppedException.class, failure);
        assertEquals(1, stopped.offset());
        assertTrue(stopped.getMessage().contains("dead-letter topic not a valid topic name!"), stopped.getMessage());
        assertEquals(List.of(0L, 1L), handled);
        assertEquals(1L, clients.committed(group).get(partition));
    }

    @Test
    void shouldCommitOnlyFinishedWorkWhenClosedDuringProcessing(TestTopics topics) throws InterruptedException {
        // Given ten records and a handler that is busy with record 3
        String topic = topics.next();
        TopicPartition partition = new TopicPartition(topic, 0);
        clients.createTopic(topic, 1);
        for (int i = 0; i < 10; i++) {
            clients.send(topic, 0, "k" + i, "v" + i);
        }
        String group = topic + "-group";
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Long> handled = new CopyOnWriteArrayList<>();
        CommitLoop<String, String> loop = CommitLoop.create(
                TestOptions.quick(kafka.bootstrapServers(), group, topic, GroupProtocol.CLASSIC).build(),
                new StringDeserializer(), record -> {
                    if (record.offset() == 3) {
                        busy.countDown();
                        assertTrue(release.await(30, TimeUnit.SECONDS));
                    }
                    handled.add(record.offset());
                });
        try (LoopThread running = LoopThread.start(loop, "closing-loop")) {
            assertTrue(busy.await(30, TimeUnit.SECONDS), "record 3 reached the handler");

            // When close() is called from another thread while record 3 is being handled
            boolean finishedAtOnce = loop.close(Duration.ZERO);
            release.countDown();

            // Then close() returned without waiting, and the loop finishes record 3, commits, and stops
            assertFalse(finishedAtOnce);
            assertTrue(loop.close(TIMEOUT), "the loop finished");
            assertNull(running.awaitEnd(TIMEOUT), "run() returned normally");
        }
        // And only records 0..3 were handled and committed: the next owner starts at 4
        assertEquals(List.of(0L, 1L, 2L, 3L), handled);
        assertEquals(4L, clients.committed(group).get(partition));
        assertTrue(loop.assignment().isEmpty());
    }

    @Test
    void shouldReplayFromATimestampAndFromTheBeginningWhenAsked(TestTopics topics) throws Exception {
        // Given five records one second apart, all handled once
        String topic = topics.next();
        TopicPartition partition = new TopicPartition(topic, 0);
        clients.createTopic(topic, 1);
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < 5; i++) {
            clients.send(new ProducerRecord<>(topic, 0, start.plusSeconds(i).toEpochMilli(), bytes("k" + i),
                    bytes("v" + i)));
        }
        String group = topic + "-group";
        List<Long> handled = new CopyOnWriteArrayList<>();
        CommitLoop<String, String> loop = CommitLoop.create(
                TestOptions.quick(kafka.bootstrapServers(), group, topic, GroupProtocol.CLASSIC).build(),
                new StringDeserializer(), record -> handled.add(record.offset()));
        try (LoopThread running = LoopThread.start(loop, "replaying-loop")) {
            running.awaitWhileRunning("five records handled", () -> handled.size() == 5);

            // When asked to go back to the time of record 3
            Map<TopicPartition, Long> positions = loop.seekToTimestamp(start.plusSeconds(3)).get(30, TimeUnit.SECONDS);

            // Then the position is 3 and records 3 and 4 are handed over again
            assertEquals(Map.of(partition, 3L), positions);
            running.awaitWhileRunning("records 3 and 4 again", () -> handled.size() == 7);
            assertEquals(List.of(3L, 4L), handled.subList(5, 7));

            // When asked to go back to the beginning, then to the end
            assertEquals(Map.of(partition, 0L), loop.seekToBeginning().get(30, TimeUnit.SECONDS));
            running.awaitWhileRunning("all five again", () -> handled.size() == 12);
            assertEquals(Map.of(partition, 5L), loop.seekToEnd().get(30, TimeUnit.SECONDS));
            running.awaitWhileRunning("committed offset 5", () -> clients.committed(group).get(partition),
                    offset -> offset != null && offset == 5L);
        }
        // Then the replay handed over 0..4 once more, and nothing after the seek to the end
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), handled.subList(7, 12));
        assertEquals(12, handled.size());
    }

    @Test
    void shouldStayInTheGroupWhileWaitingLongerThanMaxPollIntervalToRetry(TestTopics topics) {
        // Given a member that must poll every second, and a first record that fails once, then waits 2.5 s
        String topic = topics.next();
        TopicPartition partition = new TopicPartition(topic, 0);
        clients.createTopic(topic, 1);
        clients.send(topic, 0, "k0", "v0");
        clients.send(topic, 0, "k1", "v1");
        String group = topic + "-group";
        Map<Long, Integer> calls = new ConcurrentHashMap<>();
        CommitLoop<String, String> loop = CommitLoop.create(
                TestOptions.quick(kafka.bootstrapServers(), group, topic, GroupProtocol.CLASSIC)
                        .property(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 1_000)
                        .retry(RetryPolicy.builder().maxAttempts(2).initialDelay(Duration.ofMillis(2_500))
                                .maxDelay(Duration.ofMillis(2_500)).build())
                        .build(),
                new StringDeserializer(), record -> {
                    if (calls.merge(record.offset(), 1, Integer::sum) == 1 && record.offset() == 0) {
                        throw new IOException("service restarting");
                    }
                });

        // When the loop retries record 0 after the delay
        try (LoopThread running = LoopThread.start(loop, "patient-loop")) {
            running.awaitWhileRunning("committed offset 2", () -> clients.committed(group).get(partition),
                    offset -> offset != null && offset == 2L);
        }

        // Then record 0 was handled twice (the failure and the retry) and record 1 once: the member was never
        // dropped from the group, which would have made it read record 0 again from the committed offset
        assertEquals(Map.of(0L, 2, 1L, 1), calls);
    }
}
