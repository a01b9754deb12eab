package dev.kafkaprimer.core.consumer.internal;

import java.util.ArrayDeque;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What a loop with worker threads holds of one partition: every record fetched and not yet committable, in
 * offset order, and the <em>safe offset</em>: the offset after the newest record below which every record is
 * finished. Records finish in any order; the safe offset moves only when the oldest held record finishes, and
 * then past every finished record behind it. Committing it can never skip an unfinished record. Loop thread
 * only, except {@link #isClosing()}, which workers read.
 *
 * <p>A new window is made whenever this member (again) starts reading the partition afresh: on assignment and
 * after a seek. Workers' results for records of an older window are ignored.
 */
final class PartitionWindow {

    private final TopicPartition partition;
    private final ArrayDeque<WorkItem<?, ?>> held = new ArrayDeque<>();
    private OffsetAndMetadata safeOffset;
    /** Set by the loop thread; read by workers too, which start nothing of a closing window. */
    private volatile boolean closing;
    private int handedOut;

    PartitionWindow(TopicPartition partition) {
        this.partition = partition;
    }

    TopicPartition partition() {
        return partition;
    }

    /** A record fetched after every record added before. */
    void add(WorkItem<?, ?> item) {
        held.add(item);
    }

    /** Records held: waiting, being handled, or finished behind an unfinished one. */
    int size() {
        return held.size();
    }

    /**
     * Lets go of the finished records at the front, after one of them finished.
     *
     * @return how many records were let go; when more than 0, {@link #safeOffset()} moved
     */
    int advance() {
        WorkItem<?, ?> last = null;
        int released = 0;
        while (!held.isEmpty() && held.peek().isFinished()) {
            last = held.poll();
            released++;
        }
        if (last != null) {
            // The offset of the NEXT record to read, as always: the finished record's offset plus one.
            safeOffset = new OffsetAndMetadata(last.record().offset() + 1, last.record().leaderEpoch(), "");
        }
        return released;
    }

    /** The offset below which every record of this window is finished, or null before the first finished. */
    OffsetAndMetadata safeOffset() {
        return safeOffset;
    }

    /** Records of this window handed to the workers whose outcome has not come back yet. */
    int handedOut() {
        return handedOut;
    }

    /** An attempt at one of its records was handed to the workers. */
    void handedOneOut() {
        handedOut++;
    }

    /** The outcome of an attempt at one of its records came back. */
    void oneCameBack() {
        handedOut--;
    }

    /** From now on no new attempt starts for this window's records: it is being given up or rewound. */
    void close() {
        closing = true;
    }

    boolean isClosing() {
        return closing;
    }
}
