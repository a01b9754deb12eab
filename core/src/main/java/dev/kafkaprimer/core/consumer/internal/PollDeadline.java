package dev.kafkaprimer.core.consumer.internal;

import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kafkaprimer.core.consumer.ConsumerOptions;

/**
 * The time a member has between two polls, {@code max.poll.interval.ms}: a member that takes longer is removed
 * from its group by its own client, and its partitions may have a new owner already. The loops that handle
 * records on the loop thread check it before each record, and hand nothing more out once it has passed. Loop
 * thread only.
 */
final class PollDeadline {

    private static final Logger LOG = LoggerFactory.getLogger(PollDeadline.class);

    private final long maxPollIntervalNanos;
    private long lastPollNanos = System.nanoTime();

    PollDeadline(ConsumerOptions options) {
        this.maxPollIntervalNanos = TimeUnit.MILLISECONDS.toNanos(ClientProperties.maxPollIntervalMs(options));
    }

    /** The loop is about to poll: the interval starts again. */
    void polled() {
        lastPollNanos = System.nanoTime();
    }

    /**
     * Whether {@code max.poll.interval.ms} has passed since the last poll, so the group has removed this member;
     * logs why the loop stops handing out records if so.
     */
    boolean missed() {
        if (System.nanoTime() - lastPollNanos <= maxPollIntervalNanos) {
            return false;
        }
        LOG.warn("No poll for more than max.poll.interval.ms ({} ms): the group has removed this member. Not "
                + "handling the rest of what it fetched; polling to rejoin (those records are read again "
                + "from the committed offset). Handle fewer records per poll (maxPollRecords) or raise "
                + "max.poll.interval.ms", maxPollIntervalNanos / 1_000_000);
        return true;
    }
}
