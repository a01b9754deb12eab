package dev.kafkaprimer.core.consumer;

import static dev.kafkaprimer.core.consumer.BrokerClients.TIMEOUT;
import static dev.kafkaprimer.core.consumer.BrokerClients.deadLetterHeaders;
import static dev.kafkaprimer.core.consumer.BrokerClients.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.GroupProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.kafkaprimer.testkit.TestTopics;

/**
 * Which handler failures the loop retries, on every engine: bad data goes to the dead-letter topic after one
 * attempt, a {@link RetryPolicy#retryOnly() retry-only} list is matched along the cause chain, and a stop or an
 * interrupt wrapped in another exception still stops the loop.
 */
@QuickGroupsCluster
class RetryClassificationTest extends BrokerClientsPerTest {

    /** The three ways the loop calls a handler. */
    enum EngineKind { SEQUENTIAL, PARALLEL, BATCH }

    /** What the handler does with one value; throws to fail it. */
    @FunctionalInterface
    interface Step {
        void apply(String value) throws Exception;
    }

    @ParameterizedTest
    @EnumSource(EngineKind.class)
    void shouldDeadLetterBadDataAfterOneAttemptWhileOtherFailuresGetEveryAttempt(EngineKind engine, TestTopics topics) {
        // Given a value the handler refuses (IllegalArgumentException: bad data) and one that fails for a reason
        // that might pass (IllegalStateException), between good ones, with 3 attempts per record
        String topic = topics.next();
        TopicPartition partition = sendValues(topic, "v0", "refused", "v2", "flaky", "v4");
        Map<String, Integer> attempts = new ConcurrentHashMap<>();
        CommitLoop<String, String> loop = loop(engine, topic, RetryPolicy.builder(), value -> {
            attempts.merge(value, 1, Integer::sum);
            if (value.equals("refused")) {
                throw new IllegalArgumentException("amount must be positive, was -5");
            }
            if (value.equals("flaky")) {
                throw new IllegalStateException("the ledger is locked");
            }
        });

        // When the loop has finished all five
        runUntilCommitted(loop, topic, partition, 5);

        // Then the refused value had one attempt only, the other failure all three, and both are dead letters
        assertEquals(1, attempts.get("refused"), attempts.toString());
        assertEquals(3, attempts.get("flaky"), attempts.toString());
        List<ConsumerRecord<byte[], byte[]>> letters = clients.read(topic + ".DLT", 2);
        assertEquals(List.of("refused", "flaky"), letters.stream().map(letter -> text(letter.value())).toList());
        assertEquals(IllegalArgumentException.class.getName(),
                deadLetterHeaders(letters.get(0)).get(DeadLetterHeaders.EXCEPTION_CLASS));
    }

    @ParameterizedTest
    @EnumSource(EngineKind.class)
    void shouldRetryOnlyTheNamedTypesFindingThemAnywhereInTheCauseChain(EngineKind engine, TestTopics topics) {
        // Given retries for IOException only; a value whose first attempt fails with one wrapped in an unchecked
        // exception, and a value that fails with something else
        String topic = topics.next();
        TopicPartition partition = sendValues(topic, "slow-disk", "other");
        Map<String, Integer> attempts = new ConcurrentHashMap<>();
        CommitLoop<String, String> loop = loop(engine, topic, RetryPolicy.builder().retryOnly(IOException.class),
                value -> {
                    int attempt = attempts.merge(value, 1, Integer::sum);
                    if (value.equals("slow-disk") && attempt == 1) {
                        throw new UncheckedIOException(new IOException("disk busy"));
                    }
                    if (value.equals("other")) {
                        throw new IllegalStateException("not an I/O problem");
                    }
                });

        // When the loop has finished both
        runUntilCommitted(loop, topic, partition, 2);

        // Then the wrapped IOException was retried, and succeeded; the other failure was not retried
        assertEquals(Map.of("slow-disk", 2, "other", 1), attempts);
        assertEquals(List.of("other"), clients.read(topic + ".DLT", 1).stream().map(l -> text(l.value())).toList());
    }

    @ParameterizedTest
    @EnumSource(EngineKind.class)
    void shouldStopWhenTheHandlerWrapsAStopProcessingException(EngineKind engine, TestTopics topics) {
        // Given a handler that stops at "v1", but from inside a library that wraps what it throws
        String topic = topics.next();
        TopicPartition partition = sendValues(topic, "v0", "v1", "v2");
        Map<String, Integer> attempts = new ConcurrentHashMap<>();
        CommitLoop<String, String> loop = loop(engine, topic, RetryPolicy.builder(), value -> {
            attempts.merge(value, 1, Integer::sum);
            if (value.equals("v1")) {
                throw new RuntimeException("the ledger call failed",
                        new StopProcessingException("the ledger is gone: stop"));
            }
        });

        // When it runs
        Throwable ended;
        try (LoopThread running = LoopThread.start(loop, "stopping-loop")) {
            ended = running.awaitEnd(TIMEOUT);
        }

        // Then the loop stopped at v1 after one attempt, committed only v0, and wrote no dead letter
        ProcessingStoppedException stopped = assertInstanceOf(ProcessingStoppedException.class, ended);
        assertInstanceOf(StopProcessingException.class, stopped.getCause());
        assertEquals(1, attempts.get("v1"), attempts.toString());
        assertEquals(1L, clients.committed(topic + "-group").get(partition));
        assertEquals(0, clients.endOffset(new TopicPartition(topic + ".DLT", 0)));
    }

    @Test
    void shouldStopWithTheInterruptFlagSetWhenTheHandlerGetsKafkasInterruptException(TestTopics topics)
            throws Exception {
        // Given a handler whose own Kafka client was interrupted at "v1" (kafka-clients' unchecked InterruptException)
        String topic = topics.next();
        TopicPartition partition = sendValues(topic, "v0", "v1", "v2");
        Map<String, Integer> attempts = new ConcurrentHashMap<>();
        AtomicBoolean flagSetOnReturn = new AtomicBoolean();
        CommitLoop<String, String> loop = loop(EngineKind.SEQUENTIAL, topic, RetryPolicy.builder(), value -> {
            attempts.merge(value, 1, Integer::sum);
            if (value.equals("v1")) {
                throw new InterruptException("interrupted while sending");
            }
        });

        // When it runs on a thread of its own
        AtomicReference<Throwable> ended = new AtomicReference<>();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<Boolean> interruptedOnReturn = executor.submit(() -> {
                try {
                    loop.run();
                } catch (RuntimeException e) {
                    ended.set(e);
                }
                return Thread.interrupted();   // reads the flag, and clears it for the executor's thread
            });
            flagSetOnReturn.set(interruptedOnReturn.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        } finally {
            executor.shutdownNow();
        }

        // Then it stopped at v1 without a retry, committed v0, and left the thread's interrupt flag set
        assertInstanceOf(ProcessingStoppedException.class, ended.get());
        assertEquals(1, attempts.get("v1"), attempts.toString());
        assertEquals(1L, clients.committed(topic + "-group").get(partition));
        assertTrue(flagSetOnReturn.get(), "interrupt flag set when run() returned");
        assertNull(attempts.get("v2"));
    }

    /** Creates {@code topic} (one partition) and its dead-letter topic, and writes the values, keyed k0, k1... */
    private TopicPartition sendValues(String topic, String... values) {
        clients.createTopic(topic, 1);
        clients.createTopic(topic + ".DLT", 1);
        for (int i = 0; i < values.length; i++) {
            clients.send(topic, 0, "k" + i, values[i]);
        }
        return new TopicPartition(topic, 0);
    }

    /** A loop over {@code topic} that applies {@code step} to each value, on the given engine. */
    private CommitLoop<String, String> loop(EngineKind engine, String topic, RetryPolicy.Builder retry, Step step) {
        RetryPolicy quick = retry.initialDelay(Duration.ofMillis(10)).maxDelay(Duration.ofMillis(10)).build();
        ConsumerOptions.Builder options = TestOptions.quick(kafka.bootstrapServers(), topic + "-group", topic,
                GroupProtocol.CLASSIC).retry(quick);
        return switch (engine) {
            case SEQUENTIAL -> CommitLoop.create(options.build(), new StringDeserializer(), r -> step.apply(r.value()));
            case PARALLEL -> CommitLoop.create(options.ordering(Ordering.KEY).concurrency(4).build(),
                    new StringDeserializer(), r -> step.apply(r.value()));
            case BATCH -> CommitLoop.createBatching(options.build(), new StringDeserializer(), batch -> {
                for (int i = 0; i < batch.size(); i++) {
                    try {
                        step.apply(batch.get(i).value());
                    } catch (Exception e) {
                        throw new BatchFailedException(i, e);   // the records before i are done
                    }
                }
            });
        };
    }

    private void runUntilCommitted(CommitLoop<String, String> loop, String topic, TopicPartition partition,
                                   long offset) {
        try (LoopThread running = LoopThread.start(loop, "classifying-loop")) {
            running.awaitWhileRunning("committed offset " + offset, () -> clients.committed(topic + "-group")
                    .get(partition), committed -> committed != null && committed == offset);
        }
    }
}
