package dev.kafkaprimer.examples.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.tools.consumer.group.ShareGroupCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kafkaprimer.examples.PrimerRun;
import dev.kafkaprimer.testkit.KafkaCluster;
import dev.kafkaprimer.testkit.TestTopics;
import dev.kafkaprimer.testkit.WithKafkaCluster;

/**
 * {@code ./primer queue} on a real broker: six share members on two partitions are all busy where six consumer
 * group members leave four idle; a member killed with SIGKILL holding records loses none of them; a poison record
 * is rejected once; and Kafka's own {@code kafka-share-groups} tool finds nothing left to deliver.
 */
@WithKafkaCluster
class QueueExampleTest {

    private static final Pattern END_LINE = Pattern.compile("queue: OK produced=240 accepted=240 released=(\\d+) "
            + "rejected=1 redelivered=(\\d+) busy-share-members=6/6 busy-group-members=2/6");

    @TempDir
    Path dir;

    @Test
    void shouldKeepEveryShareMemberBusyAndLoseNothingWhenAMemberIsKilled(KafkaCluster kafka, TestTopics topics)
            throws Exception {
        String topic = topics.next();
        PrimerRun run = PrimerRun.of(Map.of(), "queue", "--bootstrap-server", kafka.bootstrapServers(),
                "--topic", topic, "--jobs", "200", "--timeout", "120");

        assertEquals(0, run.exitCode(), run::toString);
        Matcher end = END_LINE.matcher(run.out());
        assertTrue(end.find(), run::toString);
        // Jobs 0 and 100 fail their first delivery: released, then accepted at delivery 2
        assertEquals(2, Integer.parseInt(end.group(1)), run::toString);
        // Those two, and the ten the killed member held, came back with delivery count 2
        assertEquals(12, Integer.parseInt(end.group(2)), run::toString);
        Matcher held = Pattern.compile("Delivered again: 10 jobs: (.*)\\.").matcher(run.out());
        assertTrue(held.find(), run::toString);
        assertEquals(10, Pattern.compile("\\(delivery 2, \\d+ ms after the kill\\)").matcher(held.group(1)).results()
                .count(), run::toString);
        assertTrue(run.out().contains("the poison one with delivery-count header 1"), run::toString);

        // Kafka's own tool describes the group: every partition with LAG 0
        String group = run.out().replaceAll("(?s).*Share group '(queue-share-[^']+)'.*", "$1");
        String described = kafkaShareGroups(kafka, "--describe", "--group", group);
        List<String> rows = described.lines().filter(line -> line.startsWith(group)).toList();
        assertEquals(2, rows.size(), described);
        for (String row : rows) {
            String[] columns = row.trim().split("\\s+");
            assertEquals("0", columns[columns.length - 1], "LAG of " + row + " in:\n" + described);
        }
    }

    /** Runs {@code kafka-share-groups.sh ARGS} (Kafka's ShareGroupCommand) in a JVM of its own; its output. */
    private String kafkaShareGroups(KafkaCluster kafka, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ShareGroupCommand.class.getName(),
                "--bootstrap-server", kafka.bootstrapServers()));
        command.addAll(List.of(args));
        Path out = dir.resolve("kafka-share-groups.out");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "kafka-share-groups " + String.join(" ", args) + " ended");
        String text = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), text);
        return text;
    }
}
