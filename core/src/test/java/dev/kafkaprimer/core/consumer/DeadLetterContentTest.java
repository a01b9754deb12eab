package dev.kafkaprimer.core.consumer;

import static dev.kafkaprimer.core.consumer.BrokerClients.bytes;
import static dev.kafkaprimer.core.consumer.BrokerClients.deadLetterHeaders;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.GroupProtocol;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.kafkaprimer.testkit.TestTopics;

/**
 * What a dead letter says about itself: the original record byte for byte (key, value, headers, timestamp) and
 * headers naming the failure, its root cause and stack trace, the group, the attempts and when they failed.
 */
@QuickGroupsCluster
class DeadLetterContentTest extends BrokerClientsPerTest {

    /** The ways the loop gives a record up: one by one, on a worker, the failed record of a batch, a batch. */
    enum Way { SEQUENTIAL, PARALLEL, BATCH_RECORD, WHOLE_BATCH }

    @ParameterizedTest
    @EnumSource(Way.class)
    void shouldKeepTheOriginalByteForByteAndExplainTheFailure(Way way, TestTopics topics) {
        // Given a record an hour old, with a header of the application's own, that fails on every attempt
        String topic = topics.next();
        String group = topic + "-group";
        TopicPartition partition = new TopicPartition(topic, 0);
        clients.createTopic(topic, 1);
        clients.createTopic(topic + ".DLT", 1);
        long written = System.currentTimeMillis() - Duration.ofHours(1).toMillis();
        RecordHeaders own = new RecordHeaders(List.of(new RecordHeader("trace-id", new byte[]{1, 2, (byte) 0xFF})));
        clients.send(new ProducerRecord<>(topic, 0, written, bytes("order-7"), bytes("{\"total\":5}"), own));
        long start = System.currentTimeMillis();

        // When a loop with three attempts gives up on it
        ConsumerOptions.Builder options = TestOptions.quick(kafka.bootstrapServers(), group, topic,
                GroupProtocol.CLASSIC).retry(RetryPolicy.builder().maxAttempts(3).initialDelay(Duration.ofMillis(20))
                .maxDelay(Duration.ofMillis(20)).build());
        Exception failure = new IllegalStateException("the ledger call failed", new IOException("disk full"));
        CommitLoop<String, String> loop = switch (way) {
            case SEQUENTIAL -> CommitLoop.create(options.build(), new StringDeserializer(), record -> {
                throw failure;
            });
            case PARALLEL -> CommitLoop.create(options.ordering(Ordering.KEY).concurrency(4).build(),
                    new StringDeserializer(), record -> {
                        throw failure;
                    });
            case BATCH_RECORD -> CommitLoop.createBatching(options.build(), new StringDeserializer(), batch -> {
                throw new BatchFailedException(0, failure);
            });
            case WHOLE_BATCH -> CommitLoop.createBatching(options.build(), new StringDeserializer(), batch -> {
                throw failure;
            });
        };
        try (LoopThread running = LoopThread.start(loop, "dead-lettering")) {
            running.awaitWhileRunning("committed offset 1", () -> clients.committed(group).get(partition),
                    offset -> offset != null && offset == 1L);
        }
        long end = System.currentTimeMillis();

        // Then the dead letter is the original record, byte for byte, its own header first
        ConsumerRecord<byte[], byte[]> letter = clients.read(topic + ".DLT", 1).get(0);
        assertArrayEquals(bytes("order-7"), letter.key());
        assertArrayEquals(bytes("{\"total\":5}"), letter.value());
        assertEquals(written, letter.timestamp());
        assertEquals("trace-id", letter.headers().toArray()[0].key());
        assertArrayEquals(new byte[]{1, 2, (byte) 0xFF}, letter.headers().lastHeader("trace-id").value());
        // And its headers say what failed, what was behind it, where, for which group, and how often and when
        Map<String, String> headers = deadLetterHeaders(letter);
        assertEquals(IllegalStateException.class.getName(), headers.get(DeadLetterHeaders.EXCEPTION_CLASS));
        assertEquals("the ledger call failed", headers.get(DeadLetterHeaders.EXCEPTION_MESSAGE));
        assertEquals(IOException.class.getName(), headers.get(DeadLetterHeaders.ROOT_CAUSE_CLASS));
        String trace = headers.get(DeadLetterHeaders.STACK_TRACE);
        assertTrue(trace.startsWith("java.lang.IllegalStateException: the ledger call failed"), trace);
        assertTrue(trace.contains("Caused by: java.io.IOException: disk full"), trace);
        assertEquals(group, headers.get(DeadLetterHeaders.CONSUMER_GROUP));
        assertEquals("3", headers.get(DeadLetterHeaders.ATTEMPTS));
        long first = Long.parseLong(headers.get(DeadLetterHeaders.FIRST_FAILURE));
        long last = Long.parseLong(headers.get(DeadLetterHeaders.LAST_FAILURE));
        assertTrue(start <= first && first + 40 <= last && last <= end,
                "first failure " + first + ", last " + last + " (two waits of 20 ms between), within " + start
                        + ".." + end);
        assertEquals("0", headers.get(DeadLetterHeaders.ORIGINAL_PARTITION));
        assertEquals(Long.toString(written), headers.get(DeadLetterHeaders.ORIGINAL_TIMESTAMP));
    }

    @Test
    void shouldCountNoAttemptForAnUnreadableRecordAndCutALongStackTrace(TestTopics topics) {
        // Given a record the value deserializer fails on, with a failure whose trace is long: 20 causes deep
        String topic = topics.next();
        String group = topic + "-group";
        TopicPartition partition = new TopicPartition(topic, 0);
        clients.createTopic(topic, 1);
        clients.createTopic(topic + ".DLT", 1);
        clients.send(topic, 0, "k", "unreadable");
        CommitLoop<String, String> loop = CommitLoop.create(
                TestOptions.quick(kafka.bootstrapServers(), group, topic, GroupProtocol.CLASSIC).build(),
                (t, data) -> {
                    throw longChain(20);
                }, record -> { });

        // When the loop dead-letters it
        try (LoopThread running = LoopThread.start(loop, "poison-pill")) {
            running.awaitWhileRunning("committed offset 1", () -> clients.committed(group).get(partition),
                    offset -> offset != null && offset == 1L);
        }

        // Then it counts no attempt (the handler never saw it), and its stack trace is cut to the bound
        Map<String, String> headers = deadLetterHeaders(clients.read(topic + ".DLT", 1).get(0));
        assertEquals("0", headers.get(DeadLetterHeaders.ATTEMPTS));
        assertEquals(headers.get(DeadLetterHeaders.FIRST_FAILURE).length(),
                headers.get(DeadLetterHeaders.LAST_FAILURE).length());
        String trace = headers.get(DeadLetterHeaders.STACK_TRACE);
        assertEquals(DeadLetterHeaders.MAX_STACK_TRACE_CHARS, trace.length());
        assertTrue(trace.endsWith("..."), trace.substring(trace.length() - 20));
    }

    private static RuntimeException longChain(int causes) {
        RuntimeException failure = new IllegalArgumentException("not an order: " + "x".repeat(300));
        for (int i = 0; i < causes; i++) {
            failure = new IllegalArgumentException("wrapped " + i + ": " + "y".repeat(300), failure);
        }
        return failure;
    }
}
