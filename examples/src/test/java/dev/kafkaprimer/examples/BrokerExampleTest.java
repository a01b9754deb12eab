package dev.kafkaprimer.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

class BrokerExampleTest {

    @Test
    void shouldRunAThreeNodeClusterAndStopByItself() {
        PrimerRun run = PrimerRun.of(Map.of(), "broker", "--nodes", "3", "--port", "0", "--seconds", "1");

        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("bootstrap servers: 127.0.0.1:"), run::toString);
        assertTrue(run.out().contains("broker 3 data: "), run::toString);
        assertTrue(run.out().contains("controllers: [1001, 1002, 1003]"), run::toString);
        assertTrue(run.out().contains("Stopped; data deleted."), run::toString);
    }

    @Test
    void shouldRejectATenNodeClusterNamingTheValue() {
        PrimerRun run = PrimerRun.of(Map.of(), "broker", "--nodes", "10");
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("--nodes must be between 1 and 9, was 10"), run::toString);
    }
}
