package dev.kafkaprimer.core.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.GroupProtocol;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.kafkaprimer.testkit.TestTopics;

/**
 * The loop's listeners on a real broker: every event (a record handled, a failed attempt and its retry, a dead
 * letter, a commit, a rebalance, a pause and a resume, the stop) with its partition and offset, on the sequential
 * and the worker engine; and a listener that throws changes nothing for the loop or the other listeners.
 */
@QuickGroupsCluster
class LoopListenerTest extends BrokerClientsPerTest {

    /** Writes down every event, as text, in the order it came. Thread-safe. */
    static final class Recorder implements LoopListener {
        final List<String> events = new CopyOnWriteArrayList<>();
        final Map<TopicPartition, Long> committed = new ConcurrentHashMap<>();
        final List<RebalanceEvent> rebalances = new CopyOnWriteArrayList<>();
        volatile boolean stopped;
        volatile Throwable stopCause;

        @Override
        public void recordHandled(ConsumerRecord<?, ?> record, long handlerNanos) {
            events.add("handled " + at(record) + (handlerNanos > 0 ? "" : " (no time)"));
        }

        @Override
        public void attemptFailed(ConsumerRecord<?, ?> record, int attempt, Throwable failure, boolean retrying) {
            events.add("failed " + at(record) + " attempt " + attempt + (retrying ? " retrying" : " giving up"));
        }

        @Override
        public void deadLettered(ConsumerRecord<byte[], byte[]> record, String deadLetterTopic, Throwable failure) {
            events.add("dead-lettered " + at(record) + " to " + deadLetterTopic);
        }

        @Override
        public void committed(Map<TopicPartition, OffsetAndMetadata> offsets, long commitNanos) {
            offsets.forEach((partition, offset) -> committed.put(partition, offset.offset()));
        }

        @Override
        public void rebalanced(RebalanceEvent event) {
            rebalances.add(event);
        }

        @Override
        public void paused(Set<TopicPartition> partitions) {
            events.add("paused " + partitions.size());
        }

        @Override
        public void resumed(Set<TopicPartition> partitions) {
            events.add("resumed " + partitions.size());
        }

        @Override
        public void stopped(Throwable cause) {
            stopCause = cause;
            stopped = true;
        }

        private static String at(ConsumerRecord<?, ?> record) {
            return "p" + record.partition() + "@" + record.offset();
        }
    }

    /** A listener that fails at every call. */
    static final class Throwing implements LoopListener {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public void recordHandled(ConsumerRecord<?, ?> record, long handlerNanos) {
            calls.incrementAndGet();
            throw new IllegalStateException("a listener bug");
        }

        @Override
        public void committed(Map<TopicPartition, OffsetAndMetadata> offsets, long commitNanos) {
            throw new IllegalStateException("a listener bug");
        }

        @Override
        public void rebalanced(RebalanceEvent event) {
            throw new IllegalStateException("a listener bug");
        }
    }

    private String topic;

    @BeforeEach
    void topic(TestTopics topics) {
        topic = topics.next();
        clients.createTopic(topic, 2);
        clients.createTopic(topic + ".DLT", 1);
    }

    @Test
    void shouldReportEveryEventWithItsPartitionAndOffsetWhileAThrowingListenerChangesNothing() {
        // p0: 1, 7 (fails once, then passes), 2; p1: a poison pill, 99 (bad data: dead-lettered at once), 3
        clients.send(topic, 0, "a", "1");
        clients.send(topic, 0, "b", "7");
        clients.send(topic, 0, "c", "2");
        clients.send(topic, 1, "d", "not json");
        clients.send(topic, 1, "e", "99");
        clients.send(topic, 1, "f", "3");
        Recorder recorder = new Recorder();
        Throwing throwing = new Throwing();
        AtomicInteger sevens = new AtomicInteger();
        ConsumerOptions options = TestOptions.quick(kafka.bootstrapServers(), topic + "-g", topic, GroupProtocol.CLASSIC)
                .retry(RetryPolicy.builder().initialDelay(Duration.ofMillis(50)).build())
                .listener(throwing)
                .listener(recorder)
                .build();
        CommitLoop<String, Integer> loop = CommitLoop.forJson(options, Integer.class, record -> {
            if (record.value() == 7 && sevens.incrementAndGet() == 1) {
                throw new IllegalStateException("briefly down");
            }
            if (record.value() == 99) {
                throw new IllegalArgumentException("99 is not an amount");
            }
        });

        try (LoopThread running = LoopThread.start(loop, "listened")) {
            running.awaitWhileRunning("every offset committed", () -> Map.of(
                    new TopicPartition(topic, 0), 3L, new TopicPartition(topic, 1), 3L).equals(recorder.committed));
        }

        List<String> events = recorder.events;
        for (String expected : List.of("handled p0@0", "failed p0@1 attempt 1 retrying", "handled p0@1",
                "handled p0@2", "dead-lettered p1@0 to " + topic + ".DLT", "failed p1@1 attempt 1 giving up",
                "dead-lettered p1@1 to " + topic + ".DLT", "handled p1@2")) {
            assertTrue(events.contains(expected), expected + " in " + events);
        }
        // In order within a partition: the failure, the pause for the retry's wait, the resume, the success
        int failed = events.indexOf("failed p0@1 attempt 1 retrying");
        assertTrue(events.subList(failed, events.size()).contains("paused 2"), events.toString());
        assertTrue(events.indexOf("handled p0@1") > events.indexOf("resumed 2"), events.toString());
        assertTrue(recorder.rebalances.stream().anyMatch(e -> e.change() == RebalanceEvent.Change.ASSIGNED
                && e.partitions().size() == 2), recorder.rebalances.toString());
        // After close(): the revocation, then the stop, without a cause
        assertTrue(recorder.rebalances.stream().anyMatch(e -> e.change() == RebalanceEvent.Change.REVOKED),
                recorder.rebalances.toString());
        assertTrue(recorder.stopped);
        assertNull(recorder.stopCause);
        // The throwing listener was called for each handled record, and neither it nor the loop gave up
        assertEquals(4, throwing.calls.get());
    }

    @Test
    void shouldReportRebalancesAndRecordsHandledOnWorkersToo() {
        for (int i = 0; i < 40; i++) {
            clients.send(topic, i % 2, "k" + (i % 8), Integer.toString(i));
        }
        Recorder first = new Recorder();
        Recorder second = new Recorder();
        ConsumerOptions.Builder options = TestOptions.quick(kafka.bootstrapServers(), topic + "-g", topic,
                GroupProtocol.CLASSIC).ordering(Ordering.KEY).concurrency(4);
        CommitLoop<String, Integer> a = CommitLoop.forJson(options.listener(first).build(), Integer.class,
                record -> { });
        try (LoopThread runningA = LoopThread.start(a, "workers-a")) {
            runningA.awaitWhileRunning("40 handled", () -> first.events.size() == 40);
            CommitLoop<String, Integer> b = CommitLoop.forJson(TestOptions.quick(kafka.bootstrapServers(),
                    topic + "-g", topic, GroupProtocol.CLASSIC).ordering(Ordering.KEY).concurrency(4)
                    .listener(second).build(), Integer.class, record -> { });
            try (LoopThread runningB = LoopThread.start(b, "workers-b")) {
                runningB.awaitWhileRunning("the second member assigned a partition", () -> second.rebalances.stream()
                        .anyMatch(e -> e.change() == RebalanceEvent.Change.ASSIGNED && !e.partitions().isEmpty()));
                runningA.awaitWhileRunning("the first member gave one up", () -> first.rebalances.stream()
                        .anyMatch(e -> e.change() == RebalanceEvent.Change.REVOKED));
            }
        }

        for (int i = 0; i < 40; i++) {
            String handled = "handled p" + (i % 2) + "@" + (i / 2);
            assertTrue(first.events.contains(handled), handled + " in " + first.events);
        }
        assertEquals(Map.of(new TopicPartition(topic, 0), 20L, new TopicPartition(topic, 1), 20L), first.committed);
        RebalanceEvent revoked = first.rebalances.stream().filter(e -> e.change() == RebalanceEvent.Change.REVOKED)
                .findFirst().orElseThrow();
        assertEquals(1, revoked.partitions().size(), revoked.toString());
        assertTrue(first.stopped && second.stopped);
    }

    @Test
    void shouldTellTheClientFirstAndTheLagBehindTheLogEndUntilItIsZero() {
        for (int i = 0; i < 20; i++) {
            clients.send(topic, 0, "k" + i, Integer.toString(i));
        }
        List<LoopClient> started = new CopyOnWriteArrayList<>();
        List<Map<TopicPartition, Long>> lags = new CopyOnWriteArrayList<>();
        List<String> order = new CopyOnWriteArrayList<>();
        ConsumerOptions options = TestOptions.quick(kafka.bootstrapServers(), topic + "-g", topic, GroupProtocol.CLASSIC)
                .maxPollRecords(1)
                .listener(new LoopListener() {
                    @Override
                    public void started(LoopClient client) {
                        order.add("started");
                        started.add(client);
                    }

                    @Override
                    public void rebalanced(RebalanceEvent event) {
                        order.add("rebalanced");
                    }

                    @Override
                    public void lagMeasured(Map<TopicPartition, Long> lag) {
                        lags.add(lag);
                    }
                })
                .build();
        // Simulated handler work, 30 ms a record, so that lag is measured (twice a second) while records remain
        CommitLoop<String, Integer> loop = CommitLoop.forJson(options, Integer.class, record -> Thread.sleep(30));
        Map<TopicPartition, Long> caughtUp = Map.of(new TopicPartition(topic, 0), 0L, new TopicPartition(topic, 1), 0L);
        try (LoopThread running = LoopThread.start(loop, "lag")) {
            running.awaitWhileRunning("lag 0 on both partitions", () -> lags.contains(caughtUp));
            LoopClient client = started.get(0);
            assertEquals(topic + "-g", client.groupId());
            // The consumer's own metrics, readable from this thread while the loop runs
            assertTrue(client.metrics().keySet().stream().anyMatch(name -> name.name().equals("records-consumed-total")
                    && client.clientId().equals(name.tags().get("client-id"))), client.metrics().keySet().toString());
        }
        assertEquals(List.of("started"), order.subList(0, 1));
        // Measured while records were left: at most the 20 the partition has
        long mostBehind = lags.stream().mapToLong(lag -> lag.getOrDefault(new TopicPartition(topic, 0), 0L)).max()
                .orElseThrow();
        assertTrue(mostBehind > 0 && mostBehind <= 20, lags.toString());
    }

    @Test
    void shouldCountHandledRecordsWithTheReadmesListener() {
        clients.send(topic, 0, "a", "1");
        clients.send(topic, 1, "b", "2");
        String bootstrapServers = kafka.bootstrapServers();
        String orders = topic;

        // README:listener-start
        LongAdder handled = new LongAdder();
        ConsumerOptions options = ConsumerOptions.builder(bootstrapServers, "billing", List.of(orders))
                .listener(new LoopListener() {
                    @Override
                    public void recordHandled(ConsumerRecord<?, ?> record, long handlerNanos) {
                        handled.increment();   // on the thread that handled the record: keep it quick
                    }
                })
                .build();
        // README:listener-end

        CommitLoop<String, Integer> loop = CommitLoop.forJson(options, Integer.class, record -> { });
        try (LoopThread running = LoopThread.start(loop, "readme-listener")) {
            running.awaitWhileRunning("two records counted", () -> handled.sum() == 2);
        }
    }
}
