package dev.kafkaprimer.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import dev.kafkaprimer.testkit.KafkaCluster;
import dev.kafkaprimer.testkit.TestTopics;
import dev.kafkaprimer.testkit.WithKafkaCluster;
import org.junit.jupiter.api.Test;

@WithKafkaCluster
class OffsetsExampleTest {

    @Test
    void shouldCommitFiveResumeAtFiveShowTheLagAndReplayFromZero(KafkaCluster kafka, TestTopics topics) {
        // When the example runs against a cluster given by address
        PrimerRun run = PrimerRun.of(Map.of(), "offsets", "--bootstrap-server", kafka.bootstrapServers(),
                "--topic", topics.next());

        assertEquals(0, run.exitCode(), run::toString);
        String out = run.out();
        // Then ten records land at offsets 0 to 9, and after reading 0..4 the committed offset is the next one
        assertTrue(out.contains("Produced 10 records to partition 0: offsets 0 to 9."), run::toString);
        assertTrue(out.contains("   partition 0, offset 4: entry 4\n   Committed offset of partition 0: 5. That is "
                + "the NEXT record to read"), run::toString);
        // And the stopped group lags by five
        assertTrue(out.contains("   partition 0: committed 5, log-end 10, lag 5"), run::toString);
        // And a new member resumes at offset 5, then catches up
        assertTrue(out.contains("resumes at the committed offset:\n   partition 0, offset 5: entry 5\n"), run::toString);
        assertTrue(out.contains("   partition 0: committed 10, log-end 10, lag 0"), run::toString);
        // And the replay starts again at offset 0
        assertTrue(out.contains("moved partition 0 to offset 0"), run::toString);
        assertTrue(out.contains("everything again:\n   partition 0, offset 0: entry 0\n"), run::toString);
        assertTrue(out.contains("offsets: OK committed=5 lag-while-stopped=5 resumed-at=5 replayed-from=0 "
                + "lag-at-end=0"), run::toString);
    }
}
