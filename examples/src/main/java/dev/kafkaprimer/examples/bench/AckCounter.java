package dev.kafkaprimer.examples.bench;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Counts the broker's acknowledgements on both sides: one {@link Callback}, shared by every send of a run, called
 * on the producer's network thread (or on the sending thread for a record that could not be sent at all).
 */
final class AckCounter implements Callback {

    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();

    @Override
    public void onCompletion(RecordMetadata metadata, Exception error) {
        count(error);
    }

    private void count(Throwable error) {
        if (error == null) {
            acknowledged.incrementAndGet();
        } else {
            firstFailure.compareAndSet(null, error);
        }
    }

    /**
     * Checks that all {@code sent} records were acknowledged; call after the producer's flush.
     *
     * @throws IllegalStateException naming the first failure, or the shortfall
     */
    void requireAll(long sent) {
        Throwable failure = firstFailure.get();
        if (failure != null) {
            throw new IllegalStateException("a send failed: " + failure, failure);
        }
        if (acknowledged.get() != sent) {
            throw new IllegalStateException(acknowledged.get() + " of " + sent + " sends were acknowledged");
        }
    }
}
