package dev.kafkaprimer.examples.bench;

/**
 * One timed run that moved {@code records} records carrying {@code valueBytes} bytes of JSON values.
 *
 * @param records    records sent or processed
 * @param valueBytes their serialized values, summed
 * @param nanos      the timed span
 */
record Throughput(long records, long valueBytes, long nanos) {

    double recordsPerSecond() {
        return records * 1e9 / nanos;
    }

    /** Megabytes (10^6 bytes) of values per second. */
    double megabytesPerSecond() {
        return valueBytes * 1e3 / nanos;
    }

    @Override
    public String toString() {
        return String.format("%,.0f records/s (%.1f MB/s)", recordsPerSecond(), megabytesPerSecond());
    }
}
