package dev.kafkaprimer.core.producer;

/**
 * How many copies of a record must exist before the broker says "stored" (the producer's {@code acks}).
 * Each choice trades latency for what a broker crash can lose.
 */
public enum Acks {

    /**
     * Every in-sync replica has the record ({@code acks=all}). A record reported as sent survives the loss
     * of any broker but the last in-sync one. Slowest of the three; the only choice that allows idempotence,
     * and the default.
     */
    ALL("all"),

    /**
     * The partition leader has written the record ({@code acks=1}). If the leader dies before a follower
     * copied it, a record reported as sent is lost.
     */
    LEADER("1"),

    /**
     * The producer does not wait for the broker at all ({@code acks=0}). Fastest; records are lost silently
     * when anything goes wrong, and a {@link SendResult} carries no offset ({@code -1}).
     */
    NONE("0");

    private final String configValue;

    Acks(String configValue) {
        this.configValue = configValue;
    }

    /** The value for {@code ProducerConfig.ACKS_CONFIG}. */
    String configValue() {
        return configValue;
    }
}
