package dev.kafkaprimer.examples.bench;

/** The two sides of every comparison. */
enum Side {
    /** Kafka Primer's library: {@code JsonProducer} and {@code CommitLoop}. */
    OURS,
    /** Kafka's own clients with the same {@code ObjectMapper}, written by hand as a user would. */
    RAW;

    String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
