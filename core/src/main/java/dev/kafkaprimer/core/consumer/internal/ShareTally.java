package dev.kafkaprimer.core.consumer.internal;

import java.util.concurrent.atomic.LongAdder;

import org.apache.kafka.clients.consumer.AcknowledgeType;

import dev.kafkaprimer.core.consumer.ShareCounts;

/**
 * The running counts behind {@link ShareCounts}: written by the loop thread, read from any thread.
 *
 * <p><b>Not API:</b> public only so that {@link dev.kafkaprimer.core.consumer.ShareLoop} can read it.
 */
public final class ShareTally {

    private final LongAdder accepted = new LongAdder();
    private final LongAdder released = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder renewed = new LongAdder();
    private final LongAdder redelivered = new LongAdder();
    private final LongAdder acknowledgementErrors = new LongAdder();

    /** Counts nothing yet. */
    public ShareTally() {
    }

    void acknowledged(AcknowledgeType type) {
        switch (type) {
            case ACCEPT -> accepted.increment();
            case RELEASE -> released.increment();
            case REJECT -> rejected.increment();
            case RENEW -> renewed.increment();
            default -> throw new IllegalArgumentException("unknown acknowledgement " + type);
        }
    }

    void redelivered() {
        redelivered.increment();
    }

    void acknowledgementsRefused(int records) {
        acknowledgementErrors.add(records);
    }

    /**
     * The counts now.
     *
     * @return a snapshot
     */
    public ShareCounts snapshot() {
        return new ShareCounts(accepted.sum(), released.sum(), rejected.sum(), renewed.sum(), redelivered.sum(),
                acknowledgementErrors.sum());
    }
}
