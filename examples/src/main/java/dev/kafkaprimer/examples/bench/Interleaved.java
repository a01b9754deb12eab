package dev.kafkaprimer.examples.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Runs the two sides of a comparison in interleaved rounds after warm-up rounds that are not counted. On a
 * shared machine the load of other processes, garbage collection and the JIT change from second to second;
 * interleaving spreads those changes over both sides alike, and the median of each side ignores the odd
 * disturbed round. The side that goes first alternates (ours then raw, raw then ours, ...): with a fixed order,
 * a steady drift (the JIT still compiling, other processes starting or ending) would always favour the side
 * that runs second. With an even number of rounds each side goes first equally often, and such a drift
 * cancels out in the two medians.
 *
 * @param <T> what one run measures
 */
final class Interleaved<T> {

    /** One side of the comparison; {@code run} names the run, for its topic and group. */
    @FunctionalInterface
    interface Side<T> {
        T run(String run) throws Exception;
    }

    private final List<T> ours = new ArrayList<>();
    private final List<T> raw = new ArrayList<>();

    private Interleaved() {
    }

    /** Runs {@code warmUps} pairs not counted, then {@code rounds} measured pairs, printing each pair on one line. */
    static <T> Interleaved<T> run(int warmUps, int rounds, Side<T> ours, Side<T> raw, PrintStream out)
            throws Exception {
        Interleaved<T> result = new Interleaved<>();
        for (int warmUp = 1; warmUp <= warmUps; warmUp++) {
            T warmOurs = ours.run("warmup" + warmUp + "-ours");
            T warmRaw = raw.run("warmup" + warmUp + "-raw");
            out.println("   warm-up " + warmUp + " (not counted): ours " + warmOurs + " | raw " + warmRaw);
        }
        for (int round = 1; round <= rounds; round++) {
            T measuredOurs;
            T measuredRaw;
            if (round % 2 == 1) {
                measuredOurs = ours.run("r" + round + "-ours");
                measuredRaw = raw.run("r" + round + "-raw");
            } else {
                measuredRaw = raw.run("r" + round + "-raw");
                measuredOurs = ours.run("r" + round + "-ours");
            }
            result.ours.add(measuredOurs);
            result.raw.add(measuredRaw);
            out.println("   round " + round + (round % 2 == 0 ? " (raw first)" : "") + ": ours " + measuredOurs
                    + " | raw " + measuredRaw);
        }
        return result;
    }

    double medianOurs(ToDoubleFunction<T> measure) {
        return Stats.median(ours.stream().map(measure::applyAsDouble).toList());
    }

    double medianRaw(ToDoubleFunction<T> measure) {
        return Stats.median(raw.stream().map(measure::applyAsDouble).toList());
    }

    /**
     * The lowest and the highest ours ÷ raw of a single round, such as {@code 0.91-1.06}: how far one round
     * alone could mislead, which is why the bench takes medians of several.
     */
    String roundRatios(ToDoubleFunction<T> measure) {
        double low = Double.MAX_VALUE;
        double high = -Double.MAX_VALUE;
        for (int round = 0; round < ours.size(); round++) {
            double ratio = measure.applyAsDouble(ours.get(round)) / measure.applyAsDouble(raw.get(round));
            low = Math.min(low, ratio);
            high = Math.max(high, ratio);
        }
        return String.format("%.2f-%.2f", low, high);
    }
}
