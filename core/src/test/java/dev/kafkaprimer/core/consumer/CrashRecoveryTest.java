package dev.kafkaprimer.core.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.GroupProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.kafkaprimer.testkit.Await;
import dev.kafkaprimer.testkit.KafkaCluster;
import dev.kafkaprimer.testkit.TestTopics;

@QuickGroupsCluster
class CrashRecoveryTest {

    private static final int PARTITIONS = 3;
    private static final int PER_PARTITION = 200;

    @ParameterizedTest(name = "{0} concurrency {1}")
    @CsvSource({"PARTITION, 1", "KEY, 8"})
    void shouldProcessEveryRecordAtLeastOnceWithoutGapsAfterTheConsumerProcessIsKilled(
            Ordering ordering, int concurrency, KafkaCluster kafka, TestTopics topics, @TempDir Path directory)
            throws Exception {
        try (BrokerClients clients = new BrokerClients(kafka)) {
            // Given 600 records of 60 keys on three partitions
            String topic = topics.next();
            String group = topic + "-group";
            clients.createTopic(topic, PARTITIONS);
            for (int i = 0; i < PARTITIONS * PER_PARTITION; i++) {
                clients.send(topic, i % PARTITIONS, "k" + (i % 60), "v" + i);
            }

            // And a consumer in a JVM of its own that has finished some of them
            Path progress = directory.resolve("finished.txt");
            Path log = directory.resolve("child.log");
            Process child = new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"),
                    CrashTestConsumer.class.getName(), kafka.bootstrapServers(), group, topic, progress.toString(),
                    ordering.name(), Integer.toString(concurrency))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            try {
                Await.until(Duration.ofSeconds(60), "the child to finish 120 records (its log: " + log + ")",
                        () -> lines(progress).size() >= 120 || !child.isAlive());
                assertTrue(child.isAlive(), () -> "the child ended by itself:\n" + read(log));

                // When it is killed with SIGKILL: no close(), no final commit, no leaving the group
                child.destroyForcibly();
                assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child is gone");
            } finally {
                child.destroyForcibly();
            }
            List<String> beforeCrash = lines(progress);
            assertTrue(beforeCrash.size() < PARTITIONS * PER_PARTITION, "killed mid-stream: " + beforeCrash.size());
            Map<TopicPartition, Long> committedAtCrash = clients.committed(group);

            // And a new member of the same group starts, with the same ordering and concurrency
            Set<String> afterCrash = ConcurrentHashMap.newKeySet();
            Map<Integer, Long> firstOffsetAfterCrash = new ConcurrentHashMap<>();
            CommitLoop<String, String> loop = CommitLoop.create(
                    TestOptions.quick(kafka.bootstrapServers(), group, topic, GroupProtocol.CLASSIC)
                            .ordering(ordering).concurrency(concurrency).build(),
                    new StringDeserializer(), record -> {
                        firstOffsetAfterCrash.merge(record.partition(), record.offset(), Math::min);
                        afterCrash.add(record.partition() + ":" + record.offset());
                    });
            Set<String> everything = new HashSet<>();
            for (int p = 0; p < PARTITIONS; p++) {
                for (int offset = 0; offset < PER_PARTITION; offset++) {
                    everything.add(p + ":" + offset);
                }
            }
            try (LoopThread running = LoopThread.start(loop, "after-crash-loop")) {
                running.awaitWhileRunning("every record finished by one of the two consumers", () -> {
                    Set<String> union = new HashSet<>(beforeCrash);
                    union.addAll(afterCrash);
                    return union.containsAll(everything);
                });
            }

            // Then no record was skipped: every offset of every partition was finished by one or both
            Set<String> union = new HashSet<>(beforeCrash);
            union.addAll(afterCrash);
            assertEquals(everything, union);
            // And the new member resumed each partition exactly at the committed offset (its lowest offset handled
            // there), so the records the child finished after its last commit were processed again (at least
            // once, never lost)
            for (int p = 0; p < PARTITIONS; p++) {
                long committed = committedAtCrash.getOrDefault(new TopicPartition(topic, p), 0L);
                assertEquals(committed == PER_PARTITION ? null : committed, firstOffsetAfterCrash.get(p),
                        "partition " + p + ": committed at crash " + committedAtCrash);
            }
            Set<String> repeated = new HashSet<>(beforeCrash);
            repeated.retainAll(afterCrash);
            System.out.println("Finished before the crash: " + beforeCrash.size() + ", repeated after it: "
                    + repeated.size() + ", committed at the crash: " + committedAtCrash);
        }
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(could not read " + file + ": " + e + ")";
        }
    }
}
