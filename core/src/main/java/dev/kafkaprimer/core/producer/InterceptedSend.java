package dev.kafkaprimer.core.producer;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link SendInterceptor}s on a record before it goes to kafka-clients, and tells the completions they
 * returned how it ended, before the caller's own callback. Used only when interceptors are registered. An
 * interceptor or completion that throws is logged, the first time with its stack trace, and changes nothing.
 */
final class InterceptedSend implements Callback {

    private static final Logger LOG = LoggerFactory.getLogger(InterceptedSend.class);
    /** Whether an interceptor has thrown already: from then on logged at DEBUG. */
    private static volatile boolean warned;

    private final List<SendInterceptor.Completion> completions;
    private final Callback callback;

    private InterceptedSend(List<SendInterceptor.Completion> completions, Callback callback) {
        this.completions = completions;
        this.callback = callback;
    }

    /**
     * Shows {@code record} to every interceptor, which may add headers to it.
     *
     * @return the callback to hand kafka-clients: {@code callback} itself when no interceptor asked to be told
     */
    static Callback before(ProducerRecord<byte[], byte[]> record, Callback callback, SendInterceptor[] interceptors) {
        List<SendInterceptor.Completion> completions = null;
        for (SendInterceptor interceptor : interceptors) {
            try {
                SendInterceptor.Completion completion = interceptor.beforeSend(record.topic(), record.headers());
                if (completion != null) {
                    if (completions == null) {
                        completions = new ArrayList<>(interceptors.length);
                    }
                    completions.add(completion);
                }
            } catch (RuntimeException e) {
                logFailure(interceptor, e);
            }
        }
        return completions == null ? callback : new InterceptedSend(completions, callback);
    }

    @Override
    public void onCompletion(RecordMetadata metadata, Exception error) {
        // Last started, first told: a span opened inside another ends first.
        for (int i = completions.size() - 1; i >= 0; i--) {
            try {
                completions.get(i).completed(metadata, error);
            } catch (RuntimeException e) {
                logFailure(completions.get(i), e);
            }
        }
        callback.onCompletion(metadata, error);
    }

    private static void logFailure(Object interceptor, RuntimeException e) {
        if (!warned) {
            warned = true;
            LOG.warn("Send interceptor {} threw; the record is sent all the same, and further failures of send "
                    + "interceptors are logged at DEBUG", interceptor, e);
        } else {
            LOG.debug("Send interceptor {} threw again: {}", interceptor, e.toString());
        }
    }
}
