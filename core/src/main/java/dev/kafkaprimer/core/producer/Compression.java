package dev.kafkaprimer.core.producer;

import java.util.Locale;

/**
 * How the producer compresses each batch of records ({@code compression.type}). The broker stores batches
 * as they come and consumers decompress them, so compression saves network and disk at the cost of CPU
 * on the clients. It pays off with larger batches (a longer linger) and repetitive data such as JSON.
 */
public enum Compression {

    /** No compression: the least CPU, the most bytes. Kafka's default and ours. */
    NONE,
    /** Gzip: small output, the most CPU; pure Java. */
    GZIP,
    /** Snappy: fast, moderate ratio; uses a native library bundled with kafka-clients' dependencies. */
    SNAPPY,
    /** LZ4: very fast, moderate ratio; a common choice for high throughput. */
    LZ4,
    /** Zstandard: gzip-like ratio at much lower CPU; uses a native library bundled with kafka-clients. */
    ZSTD;

    /** The value for {@code ProducerConfig.COMPRESSION_TYPE_CONFIG}. */
    String configValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
