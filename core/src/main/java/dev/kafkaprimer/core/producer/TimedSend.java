package dev.kafkaprimer.core.producer;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One send's callback with its start time: tells the {@link SendListener}s the outcome and latency, then the
 * caller's own callback. Made only when listeners are registered. A listener that throws is logged, the first
 * time with its stack trace, and changes nothing. Thread-safe: runs on the producer's network thread.
 */
final class TimedSend implements Callback {

    private static final Logger LOG = LoggerFactory.getLogger(TimedSend.class);
    /** Whether a listener has thrown already: from then on logged at DEBUG. */
    private static volatile boolean warned;

    private final Callback callback;
    private final String topic;
    private final SendListener[] listeners;
    private final long startedNanos = System.nanoTime();

    TimedSend(Callback callback, String topic, SendListener[] listeners) {
        this.callback = callback;
        this.topic = topic;
        this.listeners = listeners;
    }

    @Override
    public void onCompletion(RecordMetadata metadata, Exception error) {
        tell(listeners, topic, metadata, error, System.nanoTime() - startedNanos);
        callback.onCompletion(metadata, error);
    }

    /** A record that could not even be made (its key or value could not be serialized). */
    static void failedAtOnce(String topic, Exception error, SendListener[] listeners) {
        tell(listeners, topic, null, error, 0);
    }

    private static void tell(SendListener[] listeners, String topic, RecordMetadata metadata, Exception error,
                             long nanos) {
        for (SendListener listener : listeners) {
            try {
                if (error == null) {
                    listener.sendAcknowledged(metadata, nanos);
                } else {
                    listener.sendFailed(topic, error, nanos);
                }
            } catch (RuntimeException e) {
                if (!warned) {
                    warned = true;
                    LOG.warn("Send listener {} threw; the send's outcome is unchanged, and further failures of "
                            + "send listeners are logged at DEBUG", listener, e);
                } else {
                    LOG.debug("Send listener {} threw again: {}", listener, e.toString());
                }
            }
        }
    }
}
