package dev.kafkaprimer.core.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.GroupProtocol;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.kafkaprimer.core.consumer.internal.FailureChain;
import dev.kafkaprimer.core.json.Json;
import dev.kafkaprimer.testkit.TestTopics;

/**
 * The transactional loop on a real broker: each input's outputs are visible to a {@code read_committed} reader
 * exactly once, with the input offsets committed in the same transaction, through an abort, a record that cannot
 * be written, a poison pill and a zombie member; and a producer fenced by its transactional id stops the loop.
 */
@QuickGroupsCluster
class TransactionalLoopTest extends BrokerClientsPerTest {

    /** An output: which input it was made from, and by which loop. */
    record Output(String input, String by) {
    }

    /** A value no retry makes writable: more than the producer's max.request.size (1 MiB). */
    private static final String TOO_LARGE = "x".repeat(1_200_000);

    private String input;
    private String output;

    @BeforeEach
    void topics(TestTopics topics) {
        input = topics.next();
        output = input + "-out";
    }

    @ParameterizedTest(name = "{0} group protocol")
    @EnumSource(GroupProtocol.class)
    void shouldCommitEachInputsOutputTogetherWithItsOffset(GroupProtocol protocol) {
        clients.createTopic(input, 2);
        clients.createTopic(output, 2);
        send(60, 2);
        CommitLoop<String, String> loop = CommitLoop.createTransactional(
                TestOptions.quick(kafka.bootstrapServers(), input + "-group", input, protocol).build(),
                TransactionOptions.builder("tx-a-" + protocol).commitInterval(fast()).build(),
                new StringDeserializer(), new StringDeserializer(),
                (record, outputs) -> outputs.send(output, record.key(), new Output(record.value(), "a")));

        try (LoopThread running = LoopThread.start(loop, "tx-loop")) {
            awaitCommitted(running, input + "-group", 30, 30);
        }

        List<Output> read = outputs(IsolationLevel.READ_COMMITTED);
        assertEquals(inputs(60), read.stream().map(Output::input).sorted().toList());
        // Each output partition holds transaction markers after the records: they were written in transactions.
        long stored = clients.endOffset(new TopicPartition(output, 0)) + clients.endOffset(new TopicPartition(output, 1));
        assertTrue(stored > 60, "records and markers in " + output + ": " + stored);
    }

    @Test
    void shouldInvoiceEachOrderOnceWithTheReadmesLoop() {
        // Given three orders, as JSON
        clients.createTopic(input, 1);
        clients.createTopic(output, 1);
        for (int i = 1; i <= 3; i++) {
            clients.send(input, 0, "order-" + i, "{\"id\":\"order-" + i + "\",\"total\":" + i + "0.50}");
        }

        // When the README's transactional loop runs on them
        CommitLoop<String, ReadmeSnippet.Order> loop = ReadmeSnippet.invoicingLoop(
                options(input + "-group").build(), "test-1", output);
        try (LoopThread running = LoopThread.start(loop, "invoicing-loop")) {
            awaitCommitted(running, input + "-group", 3);
        }

        // Then each order has one invoice, visible to read_committed readers
        List<String> invoices = TransactionReaders.readSettled(kafka.bootstrapServers(), output,
                IsolationLevel.READ_COMMITTED).stream().map(record -> BrokerClients.text(record.value())).toList();
        assertEquals(List.of("{\"orderId\":\"order-1\",\"amount\":10.50}", "{\"orderId\":\"order-2\",\"amount\":20.50}",
                "{\"orderId\":\"order-3\",\"amount\":30.50}"), invoices);
    }

    @Test
    void shouldAbortRewindAndRetryWithoutDuplicatesWhenAnOutputCannotBeSent() {
        clients.createTopic(input, 1);
        clients.createTopic(output, 1);
        send(20, 1);
        Map<String, Integer> calls = new ConcurrentHashMap<>();
        // The first attempt at v7 makes an output too large to send: its transaction, which holds v0 to v7
        // (one poll, one commit interval of 2 s), aborts, and the loop starts again from v0.
        CommitLoop<String, String> loop = transactional(input + "-group", "tx-b", Duration.ofSeconds(2),
                (record, outputs) -> {
                    int call = calls.merge(record.value(), 1, Integer::sum);
                    boolean tooLarge = record.value().equals("v7") && call == 1;
                    outputs.send(output, record.key(), new Output(tooLarge ? TOO_LARGE : record.value(), "b"));
                });

        try (LoopThread running = LoopThread.start(loop, "tx-loop")) {
            awaitCommitted(running, input + "-group", 20);
        }

        assertEquals(inputs(20), outputs(IsolationLevel.READ_COMMITTED).stream().map(Output::input).sorted().toList());
        assertEquals(2, calls.get("v0"), "v0 handled again after the abort");
        assertEquals(2, calls.get("v7"), "v7 retried once");
        assertEquals(1, calls.get("v8"), "v8 was not reached before the abort");
    }

    @Test
    void shouldDeadLetterInsideTheTransactionARecordWhoseOutputCanNeverBeSent() {
        clients.createTopic(input, 1);
        clients.createTopic(output, 1);
        clients.createTopic(input + ".DLT", 1);
        send(10, 1);
        CommitLoop<String, String> loop = transactional(input + "-group", "tx-c", fast(),
                (record, outputs) -> outputs.send(output, record.key(),
                        new Output(record.value().equals("v3") ? TOO_LARGE : record.value(), "c")));

        try (LoopThread running = LoopThread.start(loop, "tx-loop")) {
            awaitCommitted(running, input + "-group", 10);
        }

        List<String> written = outputs(IsolationLevel.READ_COMMITTED).stream().map(Output::input).sorted().toList();
        assertEquals(inputs(10).stream().filter(value -> !value.equals("v3")).toList(), written);
        List<ConsumerRecord<byte[], byte[]>> letters =
                TransactionReaders.readSettled(kafka.bootstrapServers(), input + ".DLT", IsolationLevel.READ_COMMITTED);
        assertEquals(1, letters.size());
        assertEquals("v3", BrokerClients.text(letters.get(0).value()));
        assertEquals("2", BrokerClients.deadLetterHeaders(letters.get(0)).get(DeadLetterHeaders.ATTEMPTS));
        // The dead letter and a commit marker: it was written inside the transaction.
        assertEquals(2, clients.endOffset(new TopicPartition(input + ".DLT", 0)));
    }

    @Test
    void shouldDeadLetterAPoisonPillInsideTheTransaction() {
        clients.createTopic(input, 1);
        clients.createTopic(output, 1);
        clients.createTopic(input + ".DLT", 1);
        clients.send(input, 0, "k", "{\"input\":\"v0\",\"by\":\"producer\"}");
        clients.send(input, 0, "k", "not json");
        clients.send(input, 0, "k", "{\"input\":\"v2\",\"by\":\"producer\"}");
        CommitLoop<String, Output> loop = CommitLoop.forJsonTransactional(options(input + "-group").build(),
                TransactionOptions.builder("tx-d").commitInterval(fast()).build(), Output.class,
                (record, outputs) -> outputs.send(output, record.key(), new Output(record.value().input(), "d")));

        try (LoopThread running = LoopThread.start(loop, "tx-loop")) {
            awaitCommitted(running, input + "-group", 3);
        }

        assertEquals(List.of("v0", "v2"), outputs(IsolationLevel.READ_COMMITTED).stream().map(Output::input).toList());
        List<ConsumerRecord<byte[], byte[]>> letters =
                TransactionReaders.readSettled(kafka.bootstrapServers(), input + ".DLT", IsolationLevel.READ_COMMITTED);
        assertEquals(List.of("not json"), letters.stream().map(letter -> BrokerClients.text(letter.value())).toList());
        assertEquals("0", BrokerClients.deadLetterHeaders(letters.get(0)).get(DeadLetterHeaders.ATTEMPTS));
        assertEquals(2, clients.endOffset(new TopicPartition(input + ".DLT", 0)), "the letter and a commit marker");
    }

    @Test
    void shouldRefuseTheLateCommitOfAZombieThatTheGroupHasRemoved() throws Exception {
        clients.createTopic(input, 1);
        clients.createTopic(output, 1);
        send(2, 1);  // v0 and v1, fetched together by the first member's first poll
        String group = input + "-group";
        CountDownLatch zombieInHandler = new CountDownLatch(1);
        CountDownLatch releaseZombie = new CountDownLatch(1);
        // Member "zombie" opens a transaction with v0, then stays in its handler for v1 past max.poll.interval.ms
        // (2 s): its client leaves the group, and member "b" takes the partition and commits v0 and v1.
        CommitLoop<String, String> zombie = CommitLoop.createTransactional(
                options(group).property(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 2_000).build(),
                TransactionOptions.builder("tx-zombie").build(), new StringDeserializer(), new StringDeserializer(),
                (record, outputs) -> {
                    if (record.value().equals("v1") && zombieInHandler.getCount() > 0) {
                        zombieInHandler.countDown();
                        assertTrue(releaseZombie.await(60, TimeUnit.SECONDS));
                    }
                    outputs.send(output, record.key(), new Output(record.value(), "zombie"));
                });
        CommitLoop<String, String> member = transactional(group, "tx-member", fast(),
                (record, outputs) -> outputs.send(output, record.key(), new Output(record.value(), "b")));

        try (LoopThread zombieThread = LoopThread.start(zombie, "zombie-loop")) {
            assertTrue(zombieInHandler.await(30, TimeUnit.SECONDS), "the zombie reached v1");
            try (LoopThread memberThread = LoopThread.start(member, "member-loop")) {
                memberThread.awaitWhileRunning("member b to commit v0 and v1",
                        () -> clients.committed(group).getOrDefault(new TopicPartition(input, 0), 0L) == 2);
                // When the zombie comes back, its transaction is over its commit interval: it sends its offsets
                // with its old group metadata, and the group coordinator refuses them: the transaction aborts.
                releaseZombie.countDown();
                List<Output> read = outputs(IsolationLevel.READ_COMMITTED);
                assertEquals(List.of(new Output("v0", "b"), new Output("v1", "b")), read);
                assertTrue(!zombieThread.hasEnded(), "an abortable failure does not stop the zombie's loop");
                assertEquals(2L, clients.committed(group).get(new TopicPartition(input, 0)));
            }
        }
    }

    @Test
    void shouldStopALoopWhoseProducerAnotherStartWithTheSameTransactionalIdFenced() {
        clients.createTopic(input, 1);
        clients.createTopic(output, 1);
        CommitLoop<String, String> first = transactional(input + "-first", "tx-same", fast(),
                (record, outputs) -> outputs.send(output, record.key(), new Output(record.value(), "first")));
        CommitLoop<String, String> second = transactional(input + "-second", "tx-same", fast(),
                (record, outputs) -> outputs.send(output, record.key(), new Output(record.value(), "second")));

        try (LoopThread firstThread = LoopThread.start(first, "first-loop")) {
            first.awaitAssignment(BrokerClients.TIMEOUT);
            try (LoopThread secondThread = LoopThread.start(second, "second-loop")) {
                second.awaitAssignment(BrokerClients.TIMEOUT);
                send(1, 1);
                Throwable failure = firstThread.awaitEnd(BrokerClients.TIMEOUT);
                assertNotNull(FailureChain.find(failure, ProducerFencedException.class),
                        () -> "the first loop stopped with ProducerFencedException: " + failure);
                secondThread.awaitWhileRunning("the second loop to commit v0",
                        () -> clients.committed(input + "-second").getOrDefault(new TopicPartition(input, 0), 0L) == 1);
            }
        }
        assertEquals(List.of(new Output("v0", "second")), outputs(IsolationLevel.READ_COMMITTED));
    }

    private CommitLoop<String, String> transactional(String group, String transactionalId, Duration interval,
                                                     TransactionalHandler<String, String> handler) {
        return CommitLoop.createTransactional(options(group).build(),
                TransactionOptions.builder(transactionalId).commitInterval(interval).build(),
                new StringDeserializer(), new StringDeserializer(), handler);
    }

    private ConsumerOptions.Builder options(String group) {
        return TestOptions.quick(kafka.bootstrapServers(), group, input, GroupProtocol.CLASSIC)
                .retry(RetryPolicy.builder().maxAttempts(2).initialDelay(Duration.ofMillis(10)).build());
    }

    private static Duration fast() {
        return Duration.ofMillis(20);
    }

    /** Writes v0 .. v(count-1), keys k0 .. spread round robin over {@code partitions}. */
    private void send(int count, int partitions) {
        for (int i = 0; i < count; i++) {
            clients.send(input, i % partitions, "k" + i, "v" + i);
        }
    }

    private static List<String> inputs(int count) {
        return IntStream.range(0, count).mapToObj(i -> "v" + i).sorted().toList();
    }

    /** Waits until the group has committed {@code perPartition[p]} on each partition p of the input topic. */
    private void awaitCommitted(LoopThread running, String group, long... perPartition) {
        running.awaitWhileRunning("offsets " + java.util.Arrays.toString(perPartition) + " committed", () -> {
            Map<TopicPartition, Long> committed = clients.committed(group);
            for (int p = 0; p < perPartition.length; p++) {
                if (committed.getOrDefault(new TopicPartition(input, p), 0L) < perPartition[p]) {
                    return false;
                }
            }
            return true;
        });
    }

    private List<Output> outputs(IsolationLevel level) {
        return TransactionReaders.readSettled(kafka.bootstrapServers(), output, level).stream()
                .map(record -> read(record.value())).toList();
    }

    private static Output read(byte[] json) {
        try {
            return Json.defaultMapper().readValue(json, Output.class);
        } catch (java.io.IOException e) {
            throw new AssertionError("not an Output: " + BrokerClients.text(json), e);
        }
    }

    /**
     * The README's transactional example. The text between the markers is in README.md and README.ko.md as it
     * is (ReadmeProgramsTest checks), with {@code options}, {@code instance} and {@code invoices} introduced
     * there; change all three together.
     */
    static final class ReadmeSnippet {

        record Order(String id, java.math.BigDecimal total) {
        }

        record Invoice(String orderId, java.math.BigDecimal amount) {
        }

        private ReadmeSnippet() {
        }

        static CommitLoop<String, Order> invoicingLoop(ConsumerOptions options, String instance, String invoices) {
            // README:transactional-start
            CommitLoop<String, Order> loop = CommitLoop.forJsonTransactional(options,
                    TransactionOptions.builder("invoicing-" + instance).build(), Order.class,
                    (record, outputs) -> {
                        Order order = record.value();
                        // Sent when the handler returns, in the transaction that commits this order's offset.
                        outputs.send(invoices, order.id(), new Invoice(order.id(), order.total()));
                    });
            // README:transactional-end
            return loop;
        }
    }
}
