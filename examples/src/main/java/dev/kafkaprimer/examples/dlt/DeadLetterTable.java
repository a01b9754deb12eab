package dev.kafkaprimer.examples.dlt;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.kafkaprimer.core.consumer.DeadLetter;

/**
 * Prints dead letters as a table, one row each: where the dead letter is, where the record came from, how
 * often the handler tried it, how long ago it was given up, and why.
 */
final class DeadLetterTable {

    private static final String ROW = "   %-22s %-26s %8s %8s  %s%n";
    private static final int REASON_CHARS = 100;

    private DeadLetterTable() {
    }

    static void print(List<DeadLetter> letters, Instant now, PrintStream out) {
        out.printf(ROW, "dead letter", "original", "attempts", "age", "reason");
        for (DeadLetter letter : letters) {
            out.printf(ROW, letter.position(), letter.original(),
                    letter.attempts().isPresent() ? Integer.toString(letter.attempts().getAsInt()) : "?",
                    letter.lastFailure().map(at -> age(Duration.between(at, now))).orElse("?"),
                    oneLine(letter.reason()));
        }
    }

    /** The reason on one line, at most {@value #REASON_CHARS} characters: the table stays a table. */
    static String oneLine(String reason) {
        String line = reason.replaceAll("\\s+", " ");
        return line.length() <= REASON_CHARS ? line : line.substring(0, REASON_CHARS - 3) + "...";
    }

    /** A duration in its two largest units: {@code 12s}, {@code 4m 12s}, {@code 3h 5m}, {@code 2d 4h}. */
    static String age(Duration age) {
        long seconds = Math.max(0, age.toSeconds());
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m " + seconds % 60 + "s";
        }
        if (seconds < 86_400) {
            return seconds / 3600 + "h " + seconds % 3600 / 60 + "m";
        }
        return seconds / 86_400 + "d " + seconds % 86_400 / 3600 + "h";
    }
}
