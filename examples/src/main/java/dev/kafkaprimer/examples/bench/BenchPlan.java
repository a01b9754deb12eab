package dev.kafkaprimer.examples.bench;

import java.time.Duration;

import dev.kafkaprimer.examples.cli.ParsedOptions;

/**
 * The sizes of one bench, from the command line: a full run by default (a few minutes), or {@code --quick}
 * (under a minute, for a first look; its numbers are noisier).
 *
 * @param quick          whether {@code --quick} was given
 * @param records        records per producer and consumer run
 * @param valueBytes     the JSON size of each value, about
 * @param warmUps        warm-up rounds per comparison, not counted
 * @param rounds         measured rounds per comparison, after the warm-up rounds
 * @param latencyRecords records per latency run
 * @param latencyRate    records per second in latency runs
 * @param startupRepeats cluster starts and hello runs per measurement
 * @param skipStartup    whether to skip the start-up measurements
 * @param walletEvents   events of the wallet run; 0 skips it
 * @param onlyStage      the one stage to run ({@code --stage}), or 0 for all
 */
record BenchPlan(boolean quick, int records, int valueBytes, int warmUps, int rounds, int latencyRecords,
                 int latencyRate,
                 int startupRepeats, boolean skipStartup, int walletEvents, int onlyStage) {

    static final int LATENCY_RATE = 1_000;

    static BenchPlan from(ParsedOptions args) {
        boolean quick = args.flag("--quick");
        int records = orDefault(args, "--records", quick ? 50_000 : 500_000);
        return new BenchPlan(quick,
                records,
                args.integer("--value-bytes"),
                // Throughput here still climbs over the first few million records (the JIT, in the clients and in
                // the embedded broker alike): a full run warms up for three rounds, a quick one for one.
                quick ? 1 : 3,
                orDefault(args, "--rounds", quick ? 3 : 6),
                Math.min(records, quick ? 1_000 : 5_000),
                LATENCY_RATE,
                quick ? 1 : 3,
                args.flag("--skip-startup"),
                orDefault(args, "--wallet-events", quick ? 5_000 : 100_000),
                orDefault(args, "--stage", 0));
    }

    /** Whether stage {@code number} runs: every stage does, unless {@code --stage} chose one. */
    boolean runs(int number) {
        return onlyStage == 0 || onlyStage == number;
    }

    /** How long one run may take before the bench gives up: generous, only a hang should reach it. */
    Duration runDeadline() {
        return Duration.ofSeconds(60 + records / 2_000);
    }

    private static int orDefault(ParsedOptions args, String name, int otherwise) {
        return args.value(name).isPresent() ? args.integer(name) : otherwise;
    }
}
