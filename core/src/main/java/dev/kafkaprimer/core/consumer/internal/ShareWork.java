package dev.kafkaprimer.core.consumer.internal;

import java.util.Queue;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kafkaprimer.core.consumer.RecordHandler;
import dev.kafkaprimer.core.consumer.RetryPolicy;

/**
 * What a worker does with one delivery of a share group: call the handler once and decide the
 * acknowledgement. Success is {@code ACCEPT}. A failure is {@code RELEASE} while the retry policy allows another
 * attempt, counted by the broker's delivery count (so deliveries to members that crashed count too); otherwise,
 * and at once for a failure that is not retryable or a record that cannot be read, the record is written to its
 * dead-letter topic and then {@code REJECT}ed. A failure that stops the loop (a stop request, a dead letter not
 * written, an {@code Error}) releases the record and is kept for the loop thread to throw. Thread-safe: every
 * worker calls it.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class ShareWork<K, V> {

    private static final Logger LOG = LoggerFactory.getLogger(ShareWork.class);

    private final HandlerCall.Body<ConsumerRecord<K, V>> call;
    private final RetryPolicy retry;
    private final DeadLetterPublisher deadLetters;
    private final Queue<ShareDelivery<K, V>> finished;
    private final AtomicReference<Throwable> stopCause;

    ShareWork(RecordHandler<K, V> handler, RetryPolicy retry, DeadLetterPublisher deadLetters,
              Queue<ShareDelivery<K, V>> finished, AtomicReference<Throwable> stopCause) {
        this.call = handler::handle;
        this.retry = retry;
        this.deadLetters = deadLetters;
        this.finished = finished;
        this.stopCause = stopCause;
    }

    /** Handles {@code delivery} and hands it back to the loop thread with its acknowledgement. Never throws. */
    void handle(ShareDelivery<K, V> delivery) {
        AcknowledgeType outcome = AcknowledgeType.RELEASE;
        try {
            outcome = stopCause.get() != null ? AcknowledgeType.RELEASE : decide(delivery);
        } catch (Throwable stop) {
            stopCause.compareAndSet(null, stop);
        } finally {
            delivery.finish(outcome);
            finished.add(delivery);
        }
    }

    private AcknowledgeType decide(ShareDelivery<K, V> delivery) {
        int deliveries = delivery.deliveryCount();
        if (delivery.unreadable() != null) {
            deadLetters.publish(delivery.raw(), delivery.unreadable(),
                    new DeadLetterPublisher.History(0, System.currentTimeMillis(), deliveries));
            return AcknowledgeType.REJECT;
        }
        Exception failure = HandlerCall.attempt(call, delivery.typed(), delivery.typed());
        if (failure == null) {
            return AcknowledgeType.ACCEPT;
        }
        if (retry.isRetryable(failure) && deliveries < retry.maxAttempts()) {
            LOG.warn("Delivery {} of {} failed ({}); released, so the group delivers it again (attempt {} of {})",
                    deliveries, delivery.id(), failure.toString(), deliveries + 1, retry.maxAttempts());
            return AcknowledgeType.RELEASE;
        }
        // The attempts are the deliveries: some may have run on other members, so "first failure" is this one.
        deadLetters.publish(delivery.raw(), failure,
                new DeadLetterPublisher.History(deliveries, System.currentTimeMillis(), deliveries));
        return AcknowledgeType.REJECT;
    }
}
