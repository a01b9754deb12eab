package dev.kafkaprimer.examples.bench;

/**
 * One timed run that moved {@code records} records carrying {@code valueBytes} bytes of JSON values.
 *
 * @param records    records sent or processed
 * @param valueBytes their serialized values, summed
 * @param nanos      the timed span
 * @param cpuNanos   CPU time this JVM used meanwhile, all threads (see {@link ProcessCpu}); -1 if unknown
 */
record Throughput(long records, long valueBytes, long nanos, long cpuNanos) {

    double recordsPerSecond() {
        return records * 1e9 / nanos;
    }

    /** Megabytes (10^6 bytes) of values per second. */
    double megabytesPerSecond() {
        return valueBytes * 1e3 / nanos;
    }

    /** Microseconds of CPU per record, all threads of this JVM; NaN if unknown. */
    double cpuMicrosPerRecord() {
        return cpuNanos < 0 ? Double.NaN : cpuNanos / 1e3 / records;
    }

    @Override
    public String toString() {
        return String.format("%,.0f records/s (%.1f MB/s, %.2f µs CPU/record)", recordsPerSecond(),
                megabytesPerSecond(), cpuMicrosPerRecord());
    }
}
