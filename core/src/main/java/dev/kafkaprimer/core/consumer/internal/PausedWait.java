package dev.kafkaprimer.core.consumer.internal;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

/**
 * A retry delay waited out on the loop thread without letting the group think this member died: the partitions
 * are paused and the loop keeps calling {@code poll()}, which fetches nothing but counts as progress for
 * {@code max.poll.interval.ms}, keeps heartbeats and rebalances going, and can be woken by close(). The
 * sequential and the transactional loop wait this way. Loop thread only.
 */
final class PausedWait {

    private PausedWait() {
    }

    /**
     * Waits {@code delay} for a retry of a record of {@code partition}.
     *
     * @param poll       the engine's poll, which notes when it polled
     * @param goOn       whether the engine still wants the retry (it is not closing, say); checked after each poll
     * @param afterPoll  run after each poll, such as a commit that fell due meanwhile
     * @return true to retry; false if {@code partition} was revoked meanwhile or {@code goOn} turned false: the
     *         record is then given up unfinished, and the partition's next reader does it again
     */
    static boolean await(Consumer<byte[], byte[]> consumer, PartitionOwnership ownership,
                         Function<Duration, ConsumerRecords<byte[], byte[]>> poll, TopicPartition partition,
                         Duration delay, BooleanSupplier goOn, Runnable afterPoll) {
        long deadline = System.nanoTime() + delay.toNanos();
        ownership.pauseAll();
        try {
            long left;
            while (goOn.getAsBoolean() && ownership.owns(partition) && (left = deadline - System.nanoTime()) > 0) {
                ConsumerRecords<byte[], byte[]> unexpected = poll.apply(Duration.ofNanos(left));
                // Paused partitions return nothing; should a record slip through, rewind so it is not skipped.
                for (TopicPartition other : unexpected.partitions()) {
                    consumer.seek(other, unexpected.records(other).get(0).offset());
                }
                afterPoll.run();
            }
            return goOn.getAsBoolean() && ownership.owns(partition);
        } finally {
            ownership.resumeAll();
        }
    }
}
