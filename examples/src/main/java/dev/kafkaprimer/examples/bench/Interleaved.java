package dev.kafkaprimer.examples.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
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

    /**
     * Both sides of one round, measured together (such as {@link ProducerRace}'s slices taking turns); {@code
     * oursFirst} says which side should start, and alternates from round to round.
     */
    @FunctionalInterface
    interface Round<T> {
        Pair<T> run(String run, boolean oursFirst) throws Exception;
    }

    /** What one round measured on each side. */
    record Pair<T>(T ours, T raw) {
    }

    /** Runs {@code warmUps} pairs not counted, then {@code rounds} measured pairs, printing each pair on one line. */
    static <T> Interleaved<T> run(int warmUps, int rounds, Side<T> ours, Side<T> raw, PrintStream out)
            throws Exception {
        return rounds(warmUps, rounds, (run, oursFirst) -> {
            if (oursFirst) {
                T first = ours.run(run + "-ours");
                return new Pair<>(first, raw.run(run + "-raw"));
            }
            T first = raw.run(run + "-raw");
            return new Pair<>(ours.run(run + "-ours"), first);
        }, out);
    }

    /** Like {@link #run}, for sides measured together: {@code warmUps} rounds not counted, then {@code rounds}. */
    static <T> Interleaved<T> rounds(int warmUps, int rounds, Round<T> round, PrintStream out) throws Exception {
        Interleaved<T> result = new Interleaved<>();
        for (int warmUp = 1; warmUp <= warmUps; warmUp++) {
            Pair<T> warm = round.run("warmup" + warmUp, true);
            out.println("   warm-up " + warmUp + " (not counted): ours " + warm.ours() + " | raw " + warm.raw());
        }
        for (int number = 1; number <= rounds; number++) {
            boolean oursFirst = number % 2 == 1;
            Pair<T> measured = round.run("r" + number, oursFirst);
            result.ours.add(measured.ours());
            result.raw.add(measured.raw());
            out.println("   round " + number + (oursFirst ? "" : " (raw first)") + ": ours " + measured.ours()
                    + " | raw " + measured.raw());
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
     * The median of the rounds' own ratios, ours ÷ raw: the estimate for sides measured together in each round
     * ({@link #rounds}), where the two numbers of a round share the same moments of the machine and their ratio
     * cancels what the two medians of {@link #medianOurs} and {@link #medianRaw} would each carry alone.
     */
    double medianRoundRatio(ToDoubleFunction<T> measure) {
        return Stats.median(ratiosByRound(measure));
    }

    /**
     * The lowest and the highest ours ÷ raw of a single round, such as {@code 0.91-1.06}: how far one round
     * alone could mislead, which is why the bench takes medians of several.
     */
    String roundRatios(ToDoubleFunction<T> measure) {
        List<Double> ratios = ratiosByRound(measure);
        return String.format("%.2f-%.2f", Collections.min(ratios), Collections.max(ratios));
    }

    /** Ours ÷ raw of each measured round, in order. */
    private List<Double> ratiosByRound(ToDoubleFunction<T> measure) {
        List<Double> ratios = new ArrayList<>(ours.size());
        for (int round = 0; round < ours.size(); round++) {
            ratios.add(measure.applyAsDouble(ours.get(round)) / measure.applyAsDouble(raw.get(round)));
        }
        return ratios;
    }
}
