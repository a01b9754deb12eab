package dev.kafkaprimer.examples.cli;

import java.time.Duration;

import dev.kafkaprimer.core.admin.TopicAdmin;
import org.apache.kafka.common.KafkaException;

/**
 * A fresh topic for each run, so that what an example counts is only what it wrote: delete what an earlier
 * run left, then create it anew.
 */
public final class FreshTopic {

    private static final long POLL_MS = 100;

    private FreshTopic() {
    }

    /**
     * Deletes {@code topic} if it exists, waits until the cluster no longer lists it (deletion is
     * asynchronous), and creates it with {@code partitions} partitions; all within {@code deadline}.
     *
     * @throws IllegalStateException if that does not happen within the deadline
     */
    public static void recreate(TopicAdmin admin, String topic, int partitions, Duration deadline)
            throws InterruptedException {
        long giveUpAt = System.nanoTime() + deadline.toNanos();
        KafkaException last = null;
        while (System.nanoTime() < giveUpAt) {
            try {
                admin.deleteTopic(topic);
                if (!admin.listTopics().contains(topic) && admin.createTopic(topic, partitions)) {
                    return;
                }
            } catch (KafkaException e) {
                last = e;  // e.g. "marked for deletion": the broker is still removing the old files
            }
            Thread.sleep(POLL_MS);
        }
        throw new IllegalStateException("topic " + topic + " could not be recreated within "
                + deadline.toSeconds() + " s", last);
    }
}
