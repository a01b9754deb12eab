package dev.kafkaprimer.core.consumer;

import java.util.Locale;

/**
 * Where a consumer group starts reading a partition for which it has no committed offset yet (a new group,
 * or a committed offset that retention has already deleted): Kafka's {@code auto.offset.reset}.
 *
 * <p>Once the group has committed an offset for a partition, this setting no longer matters for it: the
 * group resumes at the committed offset.
 */
public enum OffsetReset {

    /** Start at the oldest record still stored: a new group reads the whole retained history. */
    EARLIEST,

    /** Start after the newest record: a new group sees only records written from now on. Kafka's default. */
    LATEST,

    /**
     * Do not choose: {@code poll()} fails with {@code NoOffsetForPartitionException}, and so does the loop.
     * For groups whose offsets must have been set deliberately (for instance with {@code kafka-consumer-groups}).
     */
    NONE;

    /**
     * The value of {@code auto.offset.reset} for this choice.
     *
     * @return the setting's value, such as {@code earliest}
     */
    public String configValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
