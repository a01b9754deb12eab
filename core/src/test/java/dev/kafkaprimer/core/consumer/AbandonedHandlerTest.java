package dev.kafkaprimer.core.consumer;

import static dev.kafkaprimer.core.consumer.BrokerClients.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.GroupProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import dev.kafkaprimer.testkit.Await;
import dev.kafkaprimer.testkit.TestTopics;

/**
 * Handlers on worker threads that outlive the wait for them (the drain timeout): one key still never runs twice
 * at once in a member, {@code run()} returns after a bounded wait, and a closed dead-letter producer stays closed.
 */
@QuickGroupsCluster
class AbandonedHandlerTest extends BrokerClientsPerTest {

    @Test
    void shouldNotStartAKeysRecordWhileAnAbandonedHandlerOfThatKeyStillRuns(TestTopics topics) throws Exception {
        // Given a slow record of key k, and a witness of another key, on 4 workers that keep each key in order
        String topic = topics.next();
        String group = topic + "-group";
        TopicPartition partition = new TopicPartition(topic, 0);
        clients.createTopic(topic, 1);
        clients.send(topic, 0, "k", "slow");
        clients.send(topic, 0, "w", "witness");
        CountDownLatch slowStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger kStarts = new AtomicInteger();
        AtomicInteger kRunning = new AtomicInteger();
        AtomicBoolean twiceAtOnce = new AtomicBoolean();
        List<Long> witnessed = new CopyOnWriteArrayList<>();
        CommitLoop<String, String> loop = CommitLoop.create(options(group, topic).build(), new StringDeserializer(),
                record -> {
                    if (record.key().equals("w")) {
                        witnessed.add(record.offset());
                        return;
                    }
                    kStarts.incrementAndGet();
                    if (kRunning.incrementAndGet() > 1) {
                        twiceAtOnce.set(true);
                    }
                    try {
                        slowStarted.countDown();
                        assertTrue(release.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "released");
                    } finally {
                        kRunning.decrementAndGet();
                    }
                });
        try (LoopThread running = LoopThread.start(loop, "abandoning")) {
            assertTrue(slowStarted.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "k is being handled");
            running.awaitWhileRunning("the witness handled", () -> witnessed.size() == 1);

            // When a replay from the beginning gives k's handler up after the drain timeout (0.5 s)
            loop.seekToBeginning().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            running.awaitWhileRunning("the witness handled again, after the replay", () -> witnessed.size() == 2);

            // Then k's record, read again, has not started while its first handler still runs
            assertEquals(1, kStarts.get(), "k started again while its abandoned handler ran");

            // And once that handler returns, k's record runs again, and everything is committed
            release.countDown();
            running.awaitWhileRunning("committed offset 2", () -> clients.committed(group).get(partition),
                    offset -> offset != null && offset == 2L);
        }
        assertEquals(2, kStarts.get());
        assertFalse(twiceAtOnce.get(), "k ran twice at once");
    }

    @Test
    void shouldReturnFromRunAfterABoundedWaitAndRefuseADeadLetterOnceClosed(TestTopics topics) throws Exception {
        // Given a handler that ignores interrupts and fails once it is let go, with no retries
        String topic = topics.next();
        clients.createTopic(topic, 1);
        clients.createTopic(topic + ".DLT", 1);
        clients.send(topic, 0, "k", "stubborn");
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        CountDownLatch ended = new CountDownLatch(1);
        CommitLoop<String, String> loop = CommitLoop.create(
                options(topic + "-group", topic).retry(RetryPolicy.noRetries()).build(), new StringDeserializer(),
                record -> {
                    started.countDown();
                    long giveUp = System.nanoTime() + TIMEOUT.toNanos();
                    while (letGo.getCount() > 0 && System.nanoTime() < giveUp) {
                        try {
                            letGo.await(100, TimeUnit.MILLISECONDS);
                        } catch (InterruptedException ignored) {
                            // A handler that does not stop when interrupted: what this test is about.
                        }
                    }
                    ended.countDown();
                    throw new IllegalStateException("failed after the loop closed");
                });
        Throwable failure;
        long closedAt;
        try (LoopThread running = LoopThread.start(loop, "stubborn")) {
            assertTrue(started.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "the handler is running");

            // When the loop is closed
            closedAt = System.nanoTime();
            loop.close(TIMEOUT);
            failure = running.awaitEnd(TIMEOUT);
        }

        // Then run() returned after the drain (0.5 s) and the stated wait for interrupted handlers (5 s), without
        // waiting for this one, which still runs
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closedAt);
        assertNull(failure, "run() returned normally");
        assertTrue(tookMs < 15_000, "run() returned after " + tookMs + " ms");
        assertEquals(1, ended.getCount(), "the handler was still running when run() returned");

        // And when the handler finally fails, its dead letter is refused: the closed producer stays closed
        letGo.countDown();
        assertTrue(ended.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        Await.until(Duration.ofSeconds(30), "the worker thread gone", () -> Thread.getAllStackTraces().keySet()
                .stream().noneMatch(thread -> thread.getName().startsWith("stubborn-worker")));
        assertEquals(0, clients.endOffset(new TopicPartition(topic + ".DLT", 0)));
    }

    private ConsumerOptions.Builder options(String group, String topic) {
        return TestOptions.quick(kafka.bootstrapServers(), group, topic, GroupProtocol.CLASSIC)
                .ordering(Ordering.KEY).concurrency(4).drainTimeout(Duration.ofMillis(500));
    }
}
