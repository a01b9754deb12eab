package dev.kafkaprimer.core.consumer.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one {@link SeekRequest} on the loop thread, for both engines: move the partitions, let the engine
 * drop what it held of them, commit the new positions, then complete the request's future. A seek that fails
 * fails only its own future, and the loop goes on: if the move itself failed (the cluster did not answer in
 * time), the partitions are put back where they were; if only the commit of the new positions failed, the
 * partitions have moved and the future says that a restart may resume at the old offsets. Closing (a wake-up)
 * or an interrupt fails the future and goes on up, to stop the loop. Loop thread only.
 */
final class SeekSteps {

    private static final Logger LOG = LoggerFactory.getLogger(SeekSteps.class);

    private SeekSteps() {
    }

    /**
     * Applies {@code request} to {@code partitions}; the engine has already finished and committed what it
     * could of them.
     *
     * @param whenMoved run once the partitions have moved, before the commit: the engine drops what it fetched
     *                  from the old positions
     */
    static void apply(SeekRequest request, Consumer<byte[], byte[]> consumer, Set<TopicPartition> partitions,
                      OffsetTracker offsets, Runnable whenMoved) {
        Map<TopicPartition, Long> before = knownPositions(consumer, partitions);
        Map<TopicPartition, Long> after;
        try {
            after = request.applyTo(consumer, partitions);
        } catch (WakeupException | InterruptException stopping) {
            request.result().completeExceptionally(stopping);
            throw stopping;
        } catch (KafkaException e) {
            before.forEach(consumer::seek);
            fail(request, "the seek to " + request.target() + " failed; the loop goes on where it was", e);
            return;
        }
        whenMoved.run();
        try {
            offsets.commitPositions(after);
        } catch (WakeupException | InterruptException stopping) {
            request.result().completeExceptionally(stopping);
            throw stopping;
        } catch (KafkaException e) {
            fail(request, "moved to " + after + ", but the new positions could not be committed: a restart may "
                    + "resume at the offsets committed before", e);
            return;
        }
        request.result().complete(after);
    }

    /** The positions the consumer knows without asking the cluster; a partition not read yet has none. */
    private static Map<TopicPartition, Long> knownPositions(Consumer<byte[], byte[]> consumer,
                                                            Set<TopicPartition> partitions) {
        Map<TopicPartition, Long> positions = new HashMap<>();
        for (TopicPartition partition : partitions) {
            try {
                positions.put(partition, consumer.position(partition, Duration.ZERO));
            } catch (org.apache.kafka.common.errors.TimeoutException unknownYet) {
                // Not fetched yet: after a failed seek its next poll starts at the committed offset as before.
            }
        }
        return positions;
    }

    private static void fail(SeekRequest request, String what, KafkaException cause) {
        LOG.warn("{}: {}", what, cause.toString());
        request.result().completeExceptionally(new KafkaException(what, cause));
    }
}
