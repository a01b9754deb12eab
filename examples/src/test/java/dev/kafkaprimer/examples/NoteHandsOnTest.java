package dev.kafkaprimer.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.tools.ConsoleProducer;
import org.apache.kafka.tools.TopicCommand;
import org.apache.kafka.tools.consumer.ConsoleConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kafkaprimer.testkit.KafkaCluster;
import dev.kafkaprimer.testkit.TestTopics;
import dev.kafkaprimer.testkit.WithKafkaCluster;

/**
 * The note's hands-on, its four CLI commands with the arguments the README shows, each run as Kafka's own tool
 * (the classes behind {@code kafka-topics.sh}, {@code kafka-console-producer.sh} and
 * {@code kafka-console-consumer.sh}) in a JVM of its own, against a real broker: create, produce "hello kafka",
 * consume it from the beginning (stopping after one record), delete.
 */
@WithKafkaCluster
class NoteHandsOnTest {

    @TempDir
    Path dir;

    @Test
    void shouldRunTheNotesFourCommandsAsTheReadmeShowsThem(KafkaCluster kafka, TestTopics topics) throws Exception {
        String servers = kafka.bootstrapServers();
        String topic = topics.next();

        String created = tool(TopicCommand.class, null, "--bootstrap-server", servers, "--create", "--topic", topic,
                "--partitions", "1", "--replication-factor", "1");
        assertTrue(created.contains("Created topic " + topic), created);

        tool(ConsoleProducer.class, "hello kafka\n", "--bootstrap-server", servers, "--topic", topic);

        String consumed = tool(ConsoleConsumer.class, null, "--bootstrap-server", servers, "--topic", topic,
                "--from-beginning", "--max-messages", "1");
        assertTrue(consumed.lines().anyMatch("hello kafka"::equals), consumed);
        assertTrue(consumed.contains("Processed a total of 1 messages"), consumed);

        tool(TopicCommand.class, null, "--bootstrap-server", servers, "--delete", "--topic", topic);
        String listed = tool(TopicCommand.class, null, "--bootstrap-server", servers, "--list");
        assertTrue(listed.lines().noneMatch(topic::equals), listed);
    }

    /** Runs the tool's main in a JVM of its own, with {@code input} on its standard input; its output. */
    private String tool(Class<?> main, String input, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        Path out = dir.resolve(main.getSimpleName() + ".out");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try (OutputStream stdin = process.getOutputStream()) {
            if (input != null) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            }
        }
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), main.getSimpleName() + " ended");
        String text = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), text);
        return text;
    }
}
