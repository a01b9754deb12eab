package dev.kafkaprimer.core.consumer.internal;

import java.time.Duration;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.errors.InterruptException;

/**
 * The last steps of a loop, all of them run even when some fail: a failed commit must not leave the consumer
 * open, and a consumer that fails to close must not leave the dead-letter producer open. The first failure
 * is the one {@link #rethrow()} throws; later ones are attached to it as suppressed.
 *
 * <p>An interrupted loop thread (an executor's {@code shutdownNow()}) still gets its last steps: the steps start
 * with the interrupt flag cleared, since with it set kafka-clients' {@code commitSync} and {@code close} throw at
 * once (finished work would be redone, and the member would not leave its group, so its partitions would wait
 * for the session timeout); {@link #rethrow()} sets the flag again for the caller of {@code run()}.
 *
 * <p>Used by both engines on their loop thread; not thread-safe.
 */
final class ShutdownSteps {

    /** How long closing the consumer and the dead-letter producer may take, each. */
    static final Duration CLIENT_CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private Throwable failure;
    /** Whether the loop thread was interrupted when the steps began; the flag is set again at the end. */
    private final boolean interrupted;

    /**
     * Starts from {@code failure}, what stopped the loop, if anything (may be null); clears the thread's interrupt
     * flag until {@link #rethrow()}.
     */
    ShutdownSteps(Throwable failure) {
        this.failure = failure;
        this.interrupted = Thread.interrupted() || failure instanceof InterruptException;
    }

    /** Runs {@code step}; if it throws, the failure is kept and the next step still runs. */
    void run(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            add(e);
        }
    }

    /** Keeps {@code next} (may be null): as the failure if there is none yet, else attached to it. */
    void add(Throwable next) {
        failure = attach(failure, next);
    }

    /**
     * Closes the loop's clients in order: the consumer (leaving its group), the dead-letter producer, then the
     * deserializers of keys and values.
     */
    void closeClients(Consumer<?, ?> consumer, DeadLetterPublisher deadLetters, RecordDeserializer<?, ?> reader) {
        run(() -> consumer.close(CloseOptions.timeout(CLIENT_CLOSE_TIMEOUT)));
        run(() -> deadLetters.close(CLIENT_CLOSE_TIMEOUT));
        run(reader::close);
    }

    /** Sets the interrupt flag again if the thread was interrupted, then throws the first failure, if any. */
    void rethrow() {
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
    }

    /** {@code first}, with {@code next} attached as suppressed; whichever is not null if the other is. */
    static Throwable attach(Throwable first, Throwable next) {
        if (first == null) {
            return next;
        }
        if (next != null && next != first) {
            first.addSuppressed(next);
        }
        return first;
    }
}
