package dev.kafkaprimer.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.kafkaprimer.testkit.KafkaCluster;
import dev.kafkaprimer.testkit.TestTopics;
import dev.kafkaprimer.testkit.WithKafkaCluster;
import org.junit.jupiter.api.Test;

@WithKafkaCluster
class KeysExampleTest {

    private static final Pattern LINE = Pattern.compile("(?m)^(\\S+) predicted=(\\d+) actual=(\\d+)$");

    @Test
    void shouldPrintOneAgreeingLinePerKey(KafkaCluster kafka, TestTopics topics) {
        PrimerRun run = PrimerRun.of(Map.of(), "keys", "--bootstrap-server", kafka.bootstrapServers(),
                "--partitions", "6", "--keys", "alice,bob,carol", "--topic", topics.next());

        assertEquals(0, run.exitCode(), run::toString);
        List<String> keys = new ArrayList<>();
        Matcher line = LINE.matcher(run.out());
        while (line.find()) {
            keys.add(line.group(1));
            assertEquals(line.group(2), line.group(3), "prediction and broker agree: " + line.group());
        }
        assertEquals(List.of("alice", "bob", "carol"), keys, run::toString);
        assertTrue(run.out().contains("6 -> 7 partitions") && run.out().contains("6 -> 12 partitions"),
                run::toString);
    }

    @Test
    void shouldRefuseAnEmptyKeyListNamingIt(KafkaCluster kafka) {
        PrimerRun run = PrimerRun.of(Map.of(), "keys", "--bootstrap-server", kafka.bootstrapServers(),
                "--keys", ",");
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("--keys needs at least one key, was ','"), run::toString);
    }
}
