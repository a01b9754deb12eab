package dev.kafkaprimer.core.consumer;

import static dev.kafkaprimer.core.consumer.BrokerClients.bytes;
import static dev.kafkaprimer.core.consumer.BrokerClients.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.GroupProtocol;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import dev.kafkaprimer.testkit.TestTopics;

/** Dead letters read back as {@link DeadLetter}s, on a real broker, and turned into records to replay. */
@QuickGroupsCluster
class DeadLetterReaderTest extends BrokerClientsPerTest {

    @Test
    void shouldReadTheLoopsDeadLettersWithTheirOriginReasonAndAttemptsSkippingOtherRecords(TestTopics topics) {
        // Given a loop that gave two records up, and a record in the dead-letter topic that is not a dead letter
        String topic = topics.next();
        String group = topic + "-group";
        clients.createTopic(topic, 1);
        clients.createTopic(topic + ".DLT", 1);
        RecordHeaders own = new RecordHeaders(List.of(new RecordHeader("trace-id", bytes("t-1"))));
        clients.send(new ProducerRecord<>(topic, 0, bytes("k0"), bytes("v0"), own));
        clients.send(topic, 0, "k1", "v1");
        CommitLoop<String, String> loop = CommitLoop.create(
                TestOptions.quick(kafka.bootstrapServers(), group, topic, GroupProtocol.CLASSIC)
                        .retry(RetryPolicy.builder().maxAttempts(2).initialDelay(Duration.ZERO).build()).build(),
                new StringDeserializer(), record -> {
                    throw new IllegalStateException("cannot bill " + record.key(), new RuntimeException("root"));
                });
        try (LoopThread running = LoopThread.start(loop, "failing")) {
            running.awaitWhileRunning("committed offset 2", () -> clients.committed(group)
                    .get(new TopicPartition(topic, 0)), offset -> offset != null && offset == 2L);
        }
        clients.send(topic + ".DLT", 0, "stray", "not a dead letter");
        Instant readAt = Instant.now();

        // When the dead-letter topic is read
        List<DeadLetter> letters = DeadLetterReader.readAll(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), topic + ".DLT",
                Duration.ofSeconds(30));

        // Then both dead letters are there, in order, with where they came from and why; the stray record is not
        assertEquals(2, letters.size(), letters.toString());
        DeadLetter first = letters.get(0);
        assertEquals(new TopicPartition(topic, 0), first.originalPartition());
        assertEquals(0, first.originalOffset());
        assertEquals(topic + "-0@0", first.original());
        assertEquals(topic + ".DLT-0@0", first.position());
        assertEquals("IllegalStateException: cannot bill k0 (root cause: RuntimeException)", first.reason());
        assertEquals(OptionalInt.of(2), first.attempts());
        assertEquals(group, first.consumerGroup().orElseThrow());
        assertTrue(!first.lastFailure().orElseThrow().isAfter(readAt), first.lastFailure().toString());
        assertTrue(!first.firstFailure().orElseThrow().isAfter(first.lastFailure().orElseThrow()));
        assertEquals(1, letters.get(1).originalOffset());

        // And replaying the first gives the original record back, with its own header, aimed at its topic
        ProducerRecord<byte[], byte[]> replay = first.replay();
        assertEquals(topic, replay.topic());
        assertArrayEquals(bytes("k0"), replay.key());
        assertArrayEquals(bytes("v0"), replay.value());
        assertEquals(first.letter().timestamp(), replay.timestamp());
        assertEquals("t-1", text(replay.headers().lastHeader("trace-id").value()));
        assertEquals(topic + ".DLT-0@0", text(replay.headers().lastHeader(DeadLetterHeaders.REPLAYED_FROM).value()));
        assertEquals(2, replay.headers().toArray().length, "no kafka-primer.dlt.* header but replayed-from");
    }

    @Test
    void shouldSayThatATopicDoesNotExistWithoutCreatingIt(TestTopics topics) {
        String missing = topics.next() + ".DLT";
        Map<String, Object> client = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());

        UnknownTopicOrPartitionException error = assertThrows(UnknownTopicOrPartitionException.class,
                () -> DeadLetterReader.readAll(client, missing, Duration.ofSeconds(30)));

        assertTrue(error.getMessage().contains("'" + missing + "'"), error.getMessage());
        assertTrue(!clients.admin().listTopics().names().toCompletionStage().toCompletableFuture().join()
                .contains(missing), "not created by reading");
    }
}
