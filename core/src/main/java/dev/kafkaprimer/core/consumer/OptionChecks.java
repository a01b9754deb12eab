package dev.kafkaprimer.core.consumer;

import java.time.Duration;
import java.util.Objects;

/**
 * The argument checks the option builders of this package share, each naming the option and the bad value in
 * its message. Stateless.
 */
final class OptionChecks {

    private OptionChecks() {
    }

    static String notBlank(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank, was '" + value + "'");
        }
        return value;
    }

    static Duration positive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
        return value;
    }

    /** Positive, and at most {@code Integer.MAX_VALUE} ms: what kafka-clients' int millisecond settings hold. */
    static Duration positiveIntMillis(Duration value, String name) {
        positive(value, name);
        if (value.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " must be at most " + Integer.MAX_VALUE + " ms, was " + value);
        }
        return value;
    }

    static int atLeastOne(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, was " + value);
        }
        return value;
    }
}
