package dev.kafkaprimer.examples.cli;

/** A command line that cannot be run as written: unknown example, unknown option, bad value. Exit code 2. */
public final class UsageException extends RuntimeException {

    public UsageException(String message) {
        super(message);
    }
}
