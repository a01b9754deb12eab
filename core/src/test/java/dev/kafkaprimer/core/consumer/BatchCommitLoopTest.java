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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

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

import dev.kafkaprimer.testkit.TestTopics;

/** The commit loop with a {@link BatchHandler}: what a batch holds, what is committed, how each failure ends. */
@QuickGroupsCluster
class BatchCommitLoopTest extends BrokerClientsPerTest {

    /** A JSON value. */
    record Order(String id, int quantity) {
    }

    /** How a handler can fail a batch without saying which record failed. */
    enum WholeBatchFailure { PLAIN_EXCEPTION, INDEX_PAST_THE_END }

    @Test
    void shouldHandEachPartitionsRecordsOfOnePollOverTogetherInOffsetOrder(TestTopics topics) {
        // Given 20 records in each of 3 partitions
        String topic = topics.next();
        clients.createTopic(topic, 3);
        for (int partition = 0; partition < 3; partition++) {
            for (int i = 0; i < 20; i++) {
                clients.send(topic, partition, "k" + i, "v" + i);
            }
        }
        String group = topic + "-group";

        // When a batch loop reads them, at most 7 records per poll
        List<List<ConsumerRecord<String, String>>> batches = new CopyOnWriteArrayList<>();
        CommitLoop<String, String> loop = CommitLoop.createBatching(
                quickOptions(group, topic).maxPollRecords(7).build(), new StringDeserializer(), batches::add);
        try (LoopThread running = LoopThread.start(loop, "batch-loop")) {
            // Then every partition's committed offset reaches its end, 20
            running.awaitWhileRunning("committed offset 20 in all 3 partitions", () -> clients.committed(group),
                    committed -> committed.size() == 3 && committed.values().stream().allMatch(offset -> offset == 20L));
        }

        // And each batch held records of one partition only, at most 7, keys and values read
        Map<Integer, List<Long>> handedOver = new HashMap<>();
        for (List<ConsumerRecord<String, String>> batch : batches) {
            assertFalse(batch.isEmpty());
            assertTrue(batch.size() <= 7, "a batch of " + batch.size());
            int partition = batch.get(0).partition();
            for (ConsumerRecord<String, String> record : batch) {
                assertEquals(partition, record.partition(), "one partition per batch, not " + batch);
                assertEquals("v" + record.offset(), record.value());
                handedOver.computeIfAbsent(partition, p -> new ArrayList<>()).add(record.offset());
            }
        }
        // And every record was handed over once, each partition's in offset order
        List<Long> zeroToNineteen = LongStream.range(0, 20).boxed().toList();
        assertEquals(Map.of(0, zeroToNineteen, 1, zeroToNineteen, 2, zeroToNineteen), handedOver);
        // And a batch cannot be changed
        assertThrows(UnsupportedOperationException.class, () -> batches.get(0).remove(0));
    }

    @Test
    void shouldFinishTheRecordsBeforeTheFailedOneAndDeadLetterOnlyThatOne(TestTopics topics) {
        // Given orders 0..9 in one partition, and a warehouse that can never reserve order-4
        String topic = topics.next();
        String deadLetters = topic + ".DLT";
        TopicPartition partition = new TopicPartition(topic, 0);
        clients.createTopic(topic, 1);
        clients.createTopic(deadLetters, 1);
        List<RecordMetadata> sent = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            sent.add(clients.send(topic, 0, "order-" + i, "{\"id\":\"order-" + i + "\",\"quantity\":" + i + "}"));
        }
        List<String> reserved = new CopyOnWriteArrayList<>();
        Map<String, Integer> tries = new ConcurrentHashMap<>();
        ReadmeSnippet.Warehouse warehouse = order -> {
            tries.merge(order.id(), 1, Integer::sum);
            if (order.id().equals("order-4")) {
                throw new IOException("no stock for order-4");
            }
            reserved.add(order.id());
        };
        String group = topic + "-group";
        ConsumerOptions options = quickOptions(group, topic).retry(quickAttempts(2)).build();

        // When the README's batch loop reserves them, with two attempts per record
        try (LoopThread running = LoopThread.start(ReadmeSnippet.reservingLoop(options, warehouse), "reserving-loop")) {
            awaitCommitted(running, group, partition, 10);
        }

        // Then every other order was reserved once, in order, and order-4 was tried twice
        assertEquals(List.of("order-0", "order-1", "order-2", "order-3", "order-5", "order-6", "order-7", "order-8",
                "order-9"), reserved);
        assertEquals(2, tries.get("order-4"));
        // And the dead-letter topic holds order-4 alone, with where it came from and the failure's cause
        assertEquals(1, clients.endOffset(new TopicPartition(deadLetters, 0)));
        ConsumerRecord<byte[], byte[]> letter = clients.read(deadLetters, 1).get(0);
        assertEquals("order-4", text(letter.key()));
        assertEquals(Map.of(
                DeadLetterHeaders.ORIGINAL_TOPIC, topic,
                DeadLetterHeaders.ORIGINAL_PARTITION, "0",
                DeadLetterHeaders.ORIGINAL_OFFSET, "4",
                DeadLetterHeaders.ORIGINAL_TIMESTAMP, Long.toString(sent.get(4).timestamp()),
                DeadLetterHeaders.EXCEPTION_CLASS, IOException.class.getName(),
                DeadLetterHeaders.EXCEPTION_MESSAGE, "no stock for order-4",
                DeadLetterHeaders.ROOT_CAUSE_CLASS, IOException.class.getName(),
                DeadLetterHeaders.CONSUMER_GROUP, group,
                DeadLetterHeaders.ATTEMPTS, "2"), BrokerClients.stableDeadLetterHeaders(letter));
    }

    @Test
    void shouldCountAttemptsAgainForALaterRecordWhenARetryGetsFurther(TestTopics topics) {
        // Given records 0..9 where record 4 fails once and record 7 always, with three attempts per record
        String topic = topics.next();
        TopicPartition partition = sendRecords(topic, 10);
        String group = topic + "-group";
        Map<Long, Integer> tries = new ConcurrentHashMap<>();
        List<Long> done = new CopyOnWriteArrayList<>();
        CommitLoop<String, String> loop = CommitLoop.createBatching(quickOptions(group, topic).retry(quickAttempts(3)).build(),
                new StringDeserializer(), batch -> {
                    for (int i = 0; i < batch.size(); i++) {
                        long offset = batch.get(i).offset();
                        int attempt = tries.merge(offset, 1, Integer::sum);
                        if ((offset == 4 && attempt == 1) || offset == 7) {
                            throw new BatchFailedException(i, new IllegalStateException("record " + offset + " failed"));
                        }
                        done.add(offset);
                    }
                });

        // When the loop processes them
        try (LoopThread running = LoopThread.start(loop, "recounting-loop")) {
            awaitCommitted(running, group, partition, 10);
        }

        // Then the retry that got past record 4 and failed at 7 was 7's first attempt, not 4's second: record 7
        // had all three attempts before it was given up on
        assertEquals(3, tries.get(7L));
        assertEquals(2, tries.get(4L));
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 8L, 9L), done);
        // And only record 7 is in the dead-letter topic
        assertEquals(1, clients.endOffset(new TopicPartition(topic + ".DLT", 0)));
        ConsumerRecord<byte[], byte[]> letter = clients.read(topic + ".DLT", 1).get(0);
        assertEquals("7", deadLetterHeaders(letter).get(DeadLetterHeaders.ORIGINAL_OFFSET));
    }

    @ParameterizedTest
    @EnumSource(WholeBatchFailure.class)
    void shouldRetryThenDeadLetterTheWholeBatchWhenTheHandlerDoesNotSayWhichRecordFailed(WholeBatchFailure how,
                                                                                        TestTopics topics) {
        // Given records 0..9, and a handler that fails every batch holding record 4, with three attempts
        String topic = topics.next();
        TopicPartition partition = sendRecords(topic, 10);
        String group = topic + "-group";
        List<List<Long>> calls = new CopyOnWriteArrayList<>();
        CommitLoop<String, String> loop = CommitLoop.createBatching(quickOptions(group, topic).retry(quickAttempts(3)).build(),
                new StringDeserializer(), batch -> {
                    List<Long> offsets = offsets(batch);
                    calls.add(offsets);
                    if (offsets.contains(4L)) {
                        IllegalStateException failure = new IllegalStateException("the bulk insert failed");
                        // An index the batch does not have tells the loop nothing: it counts as the whole batch
                        throw how == WholeBatchFailure.PLAIN_EXCEPTION
                                ? failure : new BatchFailedException(batch.size(), failure);
                    }
                });

        // When the loop processes them
        try (LoopThread running = LoopThread.start(loop, "whole-batch-loop")) {
            awaitCommitted(running, group, partition, 10);
        }

        // Then the batch holding record 4 was handed over three times, the same records each time
        List<List<Long>> failing = calls.stream().filter(offsets -> offsets.contains(4L)).toList();
        List<Long> batch = failing.get(0);
        assertEquals(List.of(batch, batch, batch), failing);
        // And every record of it is in the dead-letter topic, in order, with the failure
        assertEquals(batch.size(), clients.endOffset(new TopicPartition(topic + ".DLT", 0)));
        List<ConsumerRecord<byte[], byte[]>> letters = clients.read(topic + ".DLT", batch.size());
        assertEquals(batch, letters.stream()
                .map(letter -> Long.parseLong(deadLetterHeaders(letter).get(DeadLetterHeaders.ORIGINAL_OFFSET)))
                .toList());
        for (ConsumerRecord<byte[], byte[]> letter : letters) {
            Map<String, String> headers = deadLetterHeaders(letter);
            assertEquals(IllegalStateException.class.getName(), headers.get(DeadLetterHeaders.EXCEPTION_CLASS));
            assertEquals("the bulk insert failed", headers.get(DeadLetterHeaders.EXCEPTION_MESSAGE));
        }
        // And every other record was handed over once, in order
        List<Long> others = LongStream.range(0, 10).boxed().filter(offset -> !batch.contains(offset)).toList();
        assertEquals(others, calls.stream().filter(offsets -> !offsets.contains(4L)).flatMap(List::stream).toList());
    }

    @Test
    void shouldHandTheRecordsBeforeAPoisonPillOverFirstThenDeadLetterItUntouched(TestTopics topics) {
        // Given orders 0..2, a value that is not JSON (nor even UTF-8), and orders 4..6
        String topic = topics.next();
        TopicPartition partition = new TopicPartition(topic, 0);
        TopicPartition deadLetters = new TopicPartition(topic + ".DLT", 0);
        clients.createTopic(topic, 1);
        clients.createTopic(deadLetters.topic(), 1);
        byte[] poison = {'{', '"', 'i', 'd', '"', ':', (byte) 0xC3, (byte) 0x28, 0, (byte) 0xFF};
        for (int i = 0; i < 7; i++) {
            byte[] value = i == 3 ? poison : bytes("{\"id\":\"order-" + i + "\",\"quantity\":" + i + "}");
            clients.send(new ProducerRecord<>(topic, 0, bytes("order-" + i), value));
        }
        String group = topic + "-group";

        // When a JSON batch loop reads them, noting at each hand-over how many dead letters there are
        List<List<ConsumerRecord<String, Order>>> batches = new CopyOnWriteArrayList<>();
        List<Long> deadLettersAtHandOver = new CopyOnWriteArrayList<>();
        CommitLoop<String, Order> loop = CommitLoop.forJsonBatches(quickOptions(group, topic).build(), Order.class, batch -> {
            batches.add(batch);
            deadLettersAtHandOver.add(clients.endOffset(deadLetters));
        });
        try (LoopThread running = LoopThread.start(loop, "poisoned-batch-loop")) {
            awaitCommitted(running, group, partition, 7);
        }

        // Then the handler got the six orders, in order, and never a batch reaching across the poison pill
        List<Order> orders = batches.stream().flatMap(List::stream).map(ConsumerRecord::value).toList();
        assertEquals(List.of(new Order("order-0", 0), new Order("order-1", 1), new Order("order-2", 2),
                new Order("order-4", 4), new Order("order-5", 5), new Order("order-6", 6)), orders);
        for (int i = 0; i < batches.size(); i++) {
            List<Long> offsets = offsets(batches.get(i));
            assertEquals(offsets.size() - 1, offsets.get(offsets.size() - 1) - offsets.get(0), "gapless: " + offsets);
            // And the pill was dead-lettered after the records before it were handled, before those after it
            assertEquals(offsets.get(0) < 3 ? 0L : 1L, deadLettersAtHandOver.get(i), "dead letters at " + offsets);
        }
        // And the pill is in the dead-letter topic, alone and untouched, with the deserializer's error
        assertEquals(1, clients.endOffset(deadLetters));
        ConsumerRecord<byte[], byte[]> letter = clients.read(deadLetters.topic(), 1).get(0);
        assertArrayEquals(poison, letter.value());
        assertEquals("order-3", text(letter.key()));
        Map<String, String> headers = deadLetterHeaders(letter);
        assertEquals("3", headers.get(DeadLetterHeaders.ORIGINAL_OFFSET));
        assertEquals(SerializationException.class.getName(), headers.get(DeadLetterHeaders.EXCEPTION_CLASS));
    }

    @Test
    void shouldStopAtTheFirstRecordOfABatchWhoseHandlerAskedToStopAndCommitNothingOfIt(TestTopics topics) {
        // Given records 0..9, at most three per poll, and a handler that cannot get past a batch holding record 5
        String topic = topics.next();
        TopicPartition partition = sendRecords(topic, 10);
        String group = topic + "-group";
        List<List<Long>> batches = new CopyOnWriteArrayList<>();
        CommitLoop<String, String> loop = CommitLoop.createBatching(quickOptions(group, topic).maxPollRecords(3).build(),
                new StringDeserializer(), batch -> {
                    batches.add(offsets(batch));
                    if (offsets(batch).contains(5L)) {
                        throw new StopProcessingException("ledger out of balance");
                    }
                });

        // When the loop runs
        Throwable failure;
        try (LoopThread running = LoopThread.start(loop, "stopping-batch-loop")) {
            failure = running.awaitEnd(TIMEOUT);
        }

        // Then it stopped at the first record of that batch, the last one handed over
        ProcessingStoppedException stopped = assertInstanceOf(ProcessingStoppedException.class, failure);
        assertInstanceOf(StopProcessingException.class, stopped.getCause());
        List<Long> stopping = batches.get(batches.size() - 1);
        assertTrue(stopping.contains(5L), "the last batch was " + stopping);
        assertEquals(partition, stopped.partition());
        assertEquals(stopping.get(0), stopped.offset());
        // And the batches before it (records 0..2 at least, as a poll brings three at most) were committed, and
        // nothing of it
        assertTrue(stopped.offset() >= 3, "stopped at " + stopped.offset());
        List<Long> before = LongStream.range(0, stopped.offset()).boxed().toList();
        assertEquals(before, batches.subList(0, batches.size() - 1).stream().flatMap(List::stream).toList());
        assertEquals(stopped.offset(), clients.committed(group).get(partition));
    }

    @Test
    void shouldStopAtTheFailedRecordWithThoseBeforeItCommittedWhenTheFailureIsAStop(TestTopics topics) {
        // Given records 0..9 and a handler that cannot get past record 6, and says so with its index
        String topic = topics.next();
        TopicPartition partition = sendRecords(topic, 10);
        String group = topic + "-group";
        List<Long> done = new CopyOnWriteArrayList<>();
        CommitLoop<String, String> loop = CommitLoop.createBatching(quickOptions(group, topic).build(),
                new StringDeserializer(), batch -> {
                    for (int i = 0; i < batch.size(); i++) {
                        if (batch.get(i).offset() == 6) {
                            throw new BatchFailedException(i, new StopProcessingException("ledger out of balance"));
                        }
                        done.add(batch.get(i).offset());
                    }
                });

        // When the loop runs
        Throwable failure;
        try (LoopThread running = LoopThread.start(loop, "stopping-at-record-loop")) {
            failure = running.awaitEnd(TIMEOUT);
        }

        // Then it stopped at record 6 itself, with 0..5 done and committed
        ProcessingStoppedException stopped = assertInstanceOf(ProcessingStoppedException.class, failure);
        assertInstanceOf(StopProcessingException.class, stopped.getCause());
        assertEquals(6, stopped.offset());
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), done);
        assertEquals(6L, clients.committed(group).get(partition));
    }

    @Test
    void shouldFinishTheBatchBeingHandledWhenClosedAndLeaveTheRest(TestTopics topics) throws InterruptedException {
        // Given records 0..9, at most four per poll, and a handler busy with its first batch
        String topic = topics.next();
        TopicPartition partition = sendRecords(topic, 10);
        String group = topic + "-group";
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<List<Long>> batches = new CopyOnWriteArrayList<>();
        CommitLoop<String, String> loop = CommitLoop.createBatching(quickOptions(group, topic).maxPollRecords(4).build(),
                new StringDeserializer(), batch -> {
                    busy.countDown();
                    assertTrue(release.await(30, TimeUnit.SECONDS));
                    batches.add(offsets(batch));
                });
        try (LoopThread running = LoopThread.start(loop, "closing-batch-loop")) {
            assertTrue(busy.await(30, TimeUnit.SECONDS), "the first batch reached the handler");

            // When close() is called while the first batch is being handled
            loop.close(Duration.ZERO);
            release.countDown();

            // Then the loop finishes that batch, commits it, and stops without handing over another
            assertTrue(loop.close(TIMEOUT), "the loop finished");
            assertNull(running.awaitEnd(TIMEOUT), "run() returned normally");
        }
        assertEquals(1, batches.size(), "batches handed over: " + batches);
        List<Long> first = batches.get(0);
        assertEquals(LongStream.range(0, first.size()).boxed().toList(), first);
        assertEquals((long) first.size(), clients.committed(group).get(partition));
    }

    private ConsumerOptions.Builder quickOptions(String group, String topic) {
        return TestOptions.quick(kafka.bootstrapServers(), group, topic, GroupProtocol.CLASSIC);
    }

    /** Creates {@code topic} with one partition and its dead-letter topic, and writes records 0..count-1. */
    private TopicPartition sendRecords(String topic, int count) {
        clients.createTopic(topic, 1);
        clients.createTopic(topic + ".DLT", 1);
        for (int i = 0; i < count; i++) {
            clients.send(topic, 0, "k" + i, "v" + i);
        }
        return new TopicPartition(topic, 0);
    }

    private void awaitCommitted(LoopThread running, String group, TopicPartition partition, long offset) {
        running.awaitWhileRunning("committed offset " + offset, () -> clients.committed(group).get(partition),
                committed -> committed != null && committed == offset);
    }

    /** Waits of 10 ms between attempts, so that retries cost the test little time. */
    private static RetryPolicy quickAttempts(int attempts) {
        return RetryPolicy.builder().maxAttempts(attempts).initialDelay(Duration.ofMillis(10))
                .maxDelay(Duration.ofMillis(10)).build();
    }

    private static List<Long> offsets(List<? extends ConsumerRecord<?, ?>> batch) {
        return batch.stream().map(ConsumerRecord::offset).toList();
    }

    /**
     * The README's batch example. The text between the markers is in README.md and README.ko.md as it is
     * (ReadmeProgramsTest checks), with {@code options} and {@code warehouse} introduced there; change all three
     * together.
     */
    static final class ReadmeSnippet {

        /** Reserves stock for an order: the application's own step, which the README leaves to the reader. */
        @FunctionalInterface
        interface Warehouse {
            void reserve(Order order) throws IOException;
        }

        private ReadmeSnippet() {
        }

        static CommitLoop<String, Order> reservingLoop(ConsumerOptions options, Warehouse warehouse) {
            // README:batch-start
            CommitLoop<String, Order> loop = CommitLoop.forJsonBatches(options, Order.class, batch -> {
                for (int i = 0; i < batch.size(); i++) {
                    try {
                        warehouse.reserve(batch.get(i).value());
                    } catch (IOException e) {
                        // Orders before i are done; the loop retries from order i on, and after the
                        // last attempt sends order i alone to the dead-letter topic.
                        throw new BatchFailedException(i, e);
                    }
                }
            });
            // README:batch-end
            return loop;
        }
    }
}
