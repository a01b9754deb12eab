package dev.kafkaprimer.examples.bench;

/**
 * End-to-end latencies of one run, from handing an event to the producer to the consumer's handler.
 *
 * @param p50Ms the median, in milliseconds
 * @param p99Ms the 99th percentile, in milliseconds
 */
record Latencies(double p50Ms, double p99Ms) {

    static Latencies of(long[] nanos) {
        return new Latencies(Stats.percentile(nanos, 50) / 1e6, Stats.percentile(nanos, 99) / 1e6);
    }

    @Override
    public String toString() {
        return String.format("p50 %.1f ms, p99 %.1f ms", p50Ms, p99Ms);
    }
}
