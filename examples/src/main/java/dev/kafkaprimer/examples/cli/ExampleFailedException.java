package dev.kafkaprimer.examples.cli;

/**
 * An example ran and could not finish, for a reason the user can act on: no broker answered, a database could
 * not be reached, a deadline passed. The message is the whole story in one sentence (what was done, what was
 * waited for, what to check); {@link Primer} prints it as {@code NAME: FAILED: message} and exits with 1, with
 * no stack trace.
 */
public final class ExampleFailedException extends RuntimeException {

    public ExampleFailedException(String message) {
        super(message);
    }

    public ExampleFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
