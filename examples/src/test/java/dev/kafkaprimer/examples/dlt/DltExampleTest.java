package dev.kafkaprimer.examples.dlt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kafkaprimer.core.admin.TopicAdmin;
import dev.kafkaprimer.core.consumer.DeadLetterHeaders;
import dev.kafkaprimer.examples.PrimerRun;
import dev.kafkaprimer.testkit.Await;
import dev.kafkaprimer.testkit.KafkaCluster;
import dev.kafkaprimer.testkit.TestTopics;
import dev.kafkaprimer.testkit.WithKafkaCluster;

@WithKafkaCluster
class DltExampleTest {

    @TempDir
    Path dir;

    @Test
    void shouldMakeListAndReplayTheDemosDeadLetters(KafkaCluster kafka, TestTopics topics) {
        PrimerRun run = PrimerRun.of(Map.of(), "dlt", "--bootstrap-server", kafka.bootstrapServers(),
                "--demo-topic", topics.next(), "--replay");

        assertEquals(0, run.exitCode(), run::toString);
        // One row per dead letter: the unreadable record (no attempt), bad data (one), a failure that may pass (three)
        assertRow(run, 1, 0, "SerializationException: cannot read JSON");
        assertRow(run, 2, 1, "IllegalArgumentException: total must not be negative, was -5");
        assertRow(run, 3, 3, "IllegalStateException: the payment provider is unavailable");
        assertTrue(run.out().contains("Sent 3; 0 left."), run::toString);
        assertTrue(run.out().contains("dlt: OK listed=3 replayed=3"), run::toString);
    }

    @Test
    void shouldListTheWalletsMalformedRecordsAndReplayEachOnceAcrossRunsThatStopHalfWay(
            KafkaCluster kafka, TestTopics topics) {
        // Given a wallet run that wrote two records that are not JSON
        String topic = topics.next();
        PrimerRun wallet = PrimerRun.of(Map.of(), "wallet", "--bootstrap-server", kafka.bootstrapServers(),
                "--topic", topic, "--db", dir.resolve("wallet.db").toString(), "--events", "200", "--users", "5",
                "--malformed", "2", "--timeout", "120");
        assertEquals(0, wallet.exitCode(), wallet::toString);
        long before = endOffsets(kafka, topic);

        // When dlt lists its dead-letter topic
        PrimerRun list = dlt(kafka, topic + ".DLT");

        // Then both are there, as records that could not be read: no attempt
        assertEquals(0, list.exitCode(), list::toString);
        assertTrue(list.out().contains("dlt: OK listed=2 replayed=0"), list::toString);
        Pattern row = Pattern.compile("(?m)^   " + Pattern.quote(topic) + "\\.DLT-\\d+@\\d+ +" + Pattern.quote(topic)
                + "-\\d+@\\d+ +0 +\\d+s  SerializationException");
        assertEquals(2, row.matcher(list.out()).results().count(), list::toString);

        // When a replay is stopped after one record, then run again, twice
        PrimerRun first = dlt(kafka, topic + ".DLT", "--replay", "--limit", "1", "--group", topic + "-replay");
        PrimerRun second = dlt(kafka, topic + ".DLT", "--replay", "--group", topic + "-replay");
        PrimerRun third = dlt(kafka, topic + ".DLT", "--replay", "--group", topic + "-replay");

        // Then the first sent one, the second the other, the third none: nothing was sent twice
        assertTrue(first.out().contains("Sent 1; 1 left."), first::toString);
        assertTrue(second.out().contains("Sent 1; 0 left."), second::toString);
        assertTrue(third.out().contains("Sent 0; 0 left (an earlier replay sent them all)."), third::toString);
        assertEquals(before + 2, endOffsets(kafka, topic));
        // And the two replayed records are in the wallet's topic, each naming its dead letter
        Set<String> replayedFrom = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> record : readAll(kafka, topic, before + 2)) {
            Header from = record.headers().lastHeader(DeadLetterHeaders.REPLAYED_FROM);
            if (from != null) {
                replayedFrom.add(new String(from.value(), StandardCharsets.UTF_8));
            }
        }
        assertEquals(2, replayedFrom.size(), replayedFrom.toString());
        replayedFrom.forEach(name -> assertTrue(name.startsWith(topic + ".DLT-"), name));
    }

    @Test
    void shouldSayInOneLineThatTheTopicDoesNotExist(KafkaCluster kafka, TestTopics topics) {
        String missing = topics.next() + ".DLT";
        PrimerRun run = dlt(kafka, missing);

        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.out().contains("dlt: FAILED: topic '" + missing + "' does not exist at "), run::toString);
        assertTrue(!run.out().contains("\tat ") && !run.err().contains("\tat "), "no stack trace: " + run);
    }

    private static PrimerRun dlt(KafkaCluster kafka, String topic, String... options) {
        List<String> args = new ArrayList<>(List.of("dlt", "--bootstrap-server", kafka.bootstrapServers(),
                "--topic", topic, "--timeout", "60"));
        args.addAll(List.of(options));
        return PrimerRun.of(Map.of(), args.toArray(String[]::new));
    }

    private static void assertRow(PrimerRun run, int originalOffset, int attempts, String reason) {
        Matcher row = Pattern.compile("(?m)^   \\S+\\.DLT-0@\\d+ +\\S+-0@" + originalOffset + " +" + attempts
                + " +\\d+s  " + Pattern.quote(reason)).matcher(run.out());
        assertTrue(row.find(), () -> "a row for offset " + originalOffset + " with " + attempts + " attempt(s), "
                + reason + ":\n" + run);
    }

    private static long endOffsets(KafkaCluster kafka, String topic) {
        try (TopicAdmin admin = TopicAdmin.connect(kafka.bootstrapServers())) {
            return admin.endOffsets(topic).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(KafkaCluster kafka, String topic, long count) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(kafka)) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Await.until(Duration.ofSeconds(30), count + " records of " + topic, () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= count;
            });
        }
        return records;
    }

    private static KafkaConsumer<byte[], byte[]> consumer(KafkaCluster kafka) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        return consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
    }
}
