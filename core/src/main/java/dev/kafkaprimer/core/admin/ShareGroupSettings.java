package dev.kafkaprimer.core.admin;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import dev.kafkaprimer.core.consumer.OffsetReset;

/**
 * Configs of one share group, kept by the broker for the whole group (a member cannot set them): where a new
 * group starts, how many deliveries a record gets, how long a member holds a record it was given. Each one left
 * unset keeps the broker's value. Apply with {@link TopicAdmin#configureShareGroup}. Immutable.
 *
 * <pre>{@code
 * admin.configureShareGroup("emails", ShareGroupSettings.builder()
 *         .autoOffsetReset(OffsetReset.EARLIEST)   // the default, LATEST, skips what the topic already holds
 *         .recordLockDuration(Duration.ofSeconds(15))
 *         .build());
 * }</pre>
 */
public final class ShareGroupSettings {

    /** Group config: where a share group with no state yet starts on a partition ({@code latest} unless set). */
    public static final String AUTO_OFFSET_RESET = "share.auto.offset.reset";
    /** Group config: deliveries of one record before the broker gives up on it (5 unless set; 2 to 10). */
    public static final String DELIVERY_COUNT_LIMIT = "share.delivery.count.limit";
    /** Group config: how long a member holds a record it acquired (30 s unless set; 15 s to 60 s). */
    public static final String RECORD_LOCK_DURATION_MS = "share.record.lock.duration.ms";

    private final Map<String, String> configs;

    private ShareGroupSettings(Map<String, String> configs) {
        this.configs = Map.copyOf(configs);
    }

    /**
     * Starts settings that change nothing.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The group configs to set, by name.
     *
     * @return an immutable map, possibly empty
     */
    public Map<String, String> configs() {
        return configs;
    }

    @Override
    public String toString() {
        return "ShareGroupSettings" + configs;
    }

    /**
     * Choices for {@link ShareGroupSettings}. The broker checks each against its bounds when they are applied
     * ({@code group.share.min.*} and {@code group.share.max.*}), and refuses the change naming the config. Not
     * thread-safe.
     */
    public static final class Builder {
        private final Map<String, String> configs = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Where a new share group starts reading each partition.
         *
         * @param reset {@code EARLIEST} for the oldest record kept, {@code LATEST} for only new ones; not null
         * @return this builder
         */
        public Builder autoOffsetReset(OffsetReset reset) {
            configs.put(AUTO_OFFSET_RESET, Objects.requireNonNull(reset, "reset").configValue());
            return this;
        }

        /**
         * How many times a record is delivered before the broker gives up on it.
         *
         * @param limit at least 1 (the broker's bounds are 2 to 10 by default)
         * @return this builder
         * @throws IllegalArgumentException if {@code limit} is less than 1
         */
        public Builder deliveryCountLimit(int limit) {
            if (limit < 1) {
                throw new IllegalArgumentException("deliveryCountLimit must be at least 1, was " + limit);
            }
            configs.put(DELIVERY_COUNT_LIMIT, Integer.toString(limit));
            return this;
        }

        /**
         * How long a member holds a record it acquired before the broker gives it to another.
         *
         * @param lock positive, whole milliseconds (the broker's bounds are 15 s to 60 s by default); not null
         * @return this builder
         * @throws IllegalArgumentException if it is not positive
         */
        public Builder recordLockDuration(Duration lock) {
            Objects.requireNonNull(lock, "lock");
            if (lock.isZero() || lock.isNegative()) {
                throw new IllegalArgumentException("recordLockDuration must be positive, was " + lock);
            }
            configs.put(RECORD_LOCK_DURATION_MS, Long.toString(lock.toMillis()));
            return this;
        }

        /**
         * The settings.
         *
         * @return new immutable settings
         */
        public ShareGroupSettings build() {
            return new ShareGroupSettings(configs);
        }
    }
}
