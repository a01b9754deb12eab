package dev.kafkaprimer.examples.bench;

import java.util.Arrays;
import java.util.List;

/** Medians and percentiles. Nearest-rank percentiles: every value reported was measured. */
final class Stats {

    private Stats() {
    }

    /** The middle value; for an even count, the mean of the two middle values. */
    static double median(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values to take the median of");
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /** The value at {@code percent} (0..100) of {@code values} by nearest rank; {@code values} is sorted here. */
    static long percentile(long[] values, double percent) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values to take a percentile of");
        }
        Arrays.sort(values);
        int rank = (int) Math.ceil(percent / 100 * values.length);
        return values[Math.max(0, rank - 1)];
    }
}
