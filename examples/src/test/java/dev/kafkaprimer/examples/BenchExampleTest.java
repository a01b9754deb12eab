package dev.kafkaprimer.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kafkaprimer.testkit.KafkaCluster;
import dev.kafkaprimer.testkit.WithKafkaCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Proves that the bench runs and reports; it never asserts how fast anything is. */
@WithKafkaCluster
class BenchExampleTest {

    private static final List<String> KEYS = List.of("producer_ratio", "producer_ratio_with_listener", "producer_future_ratio",
            "consumer_ratio", "consumer_ratio_with_listener", "latency_p99_ratio",
            "startup_ms_1", "startup_ms_3", "hello_ms", "wallet_events_per_s", "wallet_best_events_per_s",
            "notifier_calls_per_s", "key_parallel_speedup",
            "key_parallel_commit_lag_ms", "key_parallel_noop_ratio", "transactional_ratio", "share_ratio",
            "share_loop_ratio");

    @TempDir
    Path dir;

    @Test
    void shouldPrintATableAndEndWithOneJsonLineHoldingEveryKey(KafkaCluster kafka) throws Exception {
        // Given tiny sizes
        Path file = dir.resolve("bench.json");

        // When the quick bench runs every stage on them
        PrimerRun run = PrimerRun.of(Map.of(), "bench", "--quick", "--bootstrap-server", kafka.bootstrapServers(),
                "--records", "2000", "--wallet-events", "300", "--json", file.toString());

        // Then it succeeds, shows the table, and its last line is a JSON object with a number for each key
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("producer records/s") && run.out().contains("latency p99 ms")
                && run.out().contains("hello: new JVM to first record read")
                && run.out().contains("transactional records/s"), run::toString);
        String[] lines = run.out().strip().split("\\R");
        ObjectMapper mapper = new ObjectMapper();
        JsonNode json = mapper.readTree(lines[lines.length - 1]);
        List<String> keys = new ArrayList<>();
        json.fieldNames().forEachRemaining(keys::add);
        assertEquals(KEYS, keys, run::toString);
        for (String key : KEYS) {
            assertTrue(json.get(key).isNumber() && json.get(key).asDouble() > 0, key + " in " + json);
        }
        // And --json wrote the same object to the file
        assertEquals(json, mapper.readTree(Files.readString(file)));
    }

    @Test
    void shouldRunOnlyTheStageChosenLeavingTheOtherKeysNull(KafkaCluster kafka) throws Exception {
        // When only stage 8 (the engine's cost with a handler that does nothing) runs
        PrimerRun run = PrimerRun.of(Map.of(), "bench", "--quick", "--bootstrap-server", kafka.bootstrapServers(),
                "--records", "2000", "--stage", "8", "--metrics-port", "0");

        // Then it compares the three orderings with the raw loop, and the JSON line has every key, only
        // key_parallel_noop_ratio with a number
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("KEY no-op records/s") && run.out().contains("PARTITION no-op records/s")
                && run.out().contains("UNORDERED no-op records/s") && run.out().contains("2. Skipped (--stage 8)."),
                run::toString);
        assertTrue(run.out().contains("Metrics: http://127.0.0.1:"), run::toString);
        String[] lines = run.out().strip().split("\\R");
        JsonNode json = new ObjectMapper().readTree(lines[lines.length - 1]);
        List<String> keys = new ArrayList<>();
        json.fieldNames().forEachRemaining(keys::add);
        assertEquals(KEYS, keys, run::toString);
        for (String key : KEYS) {
            boolean measured = key.equals("key_parallel_noop_ratio");
            assertEquals(measured, json.get(key).isNumber(), key + " in " + json);
        }
    }

    @Test
    void shouldRefuseFewerThanThreeRoundsNamingTheOption(KafkaCluster kafka) {
        PrimerRun run = PrimerRun.of(Map.of(), "bench", "--bootstrap-server", kafka.bootstrapServers(),
                "--rounds", "2");

        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("--rounds must be between 3 and 100, was 2"), run::toString);
    }
}
