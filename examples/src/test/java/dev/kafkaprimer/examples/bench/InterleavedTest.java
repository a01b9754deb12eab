package dev.kafkaprimer.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The bookkeeping of interleaved rounds; no Kafka involved, the sides here are plain numbers. */
class InterleavedTest {

    @Test
    void shouldAlternateWhoGoesFirstAndTakeTheMedianOfTheRoundsOwnRatios() throws Exception {
        // Given rounds whose two sides are measured together: ours/raw is 0.5, 1.0, 2.0, 0.9 by round
        double[][] measured = {{1, 2}, {5, 5}, {8, 4}, {9, 10}};
        List<String> calls = new ArrayList<>();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        // When they run after one warm-up round
        Interleaved<Double> runs = Interleaved.rounds(1, 4, (run, oursFirst) -> {
            calls.add(run + (oursFirst ? " ours first" : " raw first"));
            double[] round = run.startsWith("warmup") ? new double[] {100, 1} : measured[calls.size() - 2];
            return new Interleaved.Pair<>(round[0], round[1]);
        }, new PrintStream(printed, true, StandardCharsets.UTF_8));

        // Then the warm-up is not counted, odd rounds start with ours and even ones with raw
        assertEquals(List.of("warmup1 ours first", "r1 ours first", "r2 raw first", "r3 ours first",
                "r4 raw first"), calls);
        // And the ratio is the median of the rounds' ratios (0.95), not the ratio of the medians (6.5 / 4.5)
        assertEquals(0.95, runs.medianRoundRatio(Double::doubleValue), 1e-9);
        assertEquals(6.5 / 4.5, runs.medianOurs(Double::doubleValue) / runs.medianRaw(Double::doubleValue), 1e-9);
        assertEquals("0.50-2.00", runs.roundRatios(Double::doubleValue));
        assertEquals(5, printed.toString(StandardCharsets.UTF_8).lines().count());
    }
}
