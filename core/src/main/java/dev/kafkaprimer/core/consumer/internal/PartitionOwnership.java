package dev.kafkaprimer.core.consumer.internal;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kafkaprimer.core.consumer.CommitLoop;
import dev.kafkaprimer.core.consumer.RebalanceEvent;
import dev.kafkaprimer.core.consumer.RebalanceListener;

/**
 * The loop's rebalance listener: knows which partitions this member owns, commits finished work for
 * partitions it gives up cleanly, and none for partitions it lost, then tells the options'
 * {@link RebalanceListener}. Kafka calls it on the loop thread, from inside {@code poll()} (and {@code close()}).
 */
final class PartitionOwnership implements ConsumerRebalanceListener {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionOwnership.class);

    private final Consumer<byte[], byte[]> consumer;
    private final FinishedWork offsets;
    private final LoopControl control;
    private final RebalanceListener listener;
    private final Set<TopicPartition> owned = new HashSet<>();
    private boolean holding;

    PartitionOwnership(Consumer<byte[], byte[]> consumer, FinishedWork offsets, LoopControl control,
                       RebalanceListener listener) {
        this.consumer = consumer;
        this.offsets = offsets;
        this.control = control;
        // The application's rebalance listener, then the loop's listeners, told of the same change.
        this.listener = control.events().alongside(listener);
    }

    boolean owns(TopicPartition partition) {
        return owned.contains(partition);
    }

    /** Pauses every partition, also those assigned meanwhile, so that polls keep the member alive but fetch nothing. */
    void pauseAll() {
        holding = true;
        Set<TopicPartition> assigned = consumer.assignment();
        consumer.pause(assigned);
        control.events().paused(assigned);
    }

    void resumeAll() {
        holding = false;
        Set<TopicPartition> paused = consumer.paused();
        consumer.resume(paused);
        control.events().resumed(paused);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        owned.addAll(partitions);
        if (holding) {
            consumer.pause(partitions);
            control.events().paused(Set.copyOf(partitions));
        }
        publish();
        tell(RebalanceEvent.Change.ASSIGNED, partitions);
    }

    /**
     * Given up in a rebalance, cleanly: commit what was finished, so the next owner starts right after it. If
     * that commit fails, the loop stops with the failure and the listener is not told.
     */
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        try {
            commitRevoked(partitions);
        } finally {
            offsets.forget(partitions);
            owned.removeAll(partitions);
            publish();
        }
        tell(RebalanceEvent.Change.REVOKED, partitions);
    }

    /**
     * Commits before partitions go. Closing the consumer revokes its partitions too, and close() may have
     * woken the consumer just after the loop had stopped polling: that wake-up then surfaces here, once. It
     * only asked the loop to stop, which it is doing, so the commit is made again rather than lost.
     */
    private void commitRevoked(Collection<TopicPartition> partitions) {
        try {
            offsets.commitNow(partitions);
        } catch (WakeupException e) {
            if (!control.isClosing()) {
                throw e;
            }
            offsets.commitNow(partitions);
        }
    }

    /**
     * Lost, for example after missing heartbeats: another member may own them already, and a commit now could
     * overwrite its progress with older offsets. Commit nothing; the finished-but-uncommitted records are read
     * again by the new owner.
     */
    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        offsets.lost(partitions);
        owned.removeAll(partitions);
        publish();
        tell(RebalanceEvent.Change.LOST, partitions);
    }

    /** Shares the new assignment with other threads ({@link CommitLoop#assignment()}). */
    private void publish() {
        control.assignment(Set.copyOf(owned));
    }

    /** Logs and reports a change; Kafka also calls back with no partitions, which changes nothing. */
    private void tell(RebalanceEvent.Change change, Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        LOG.info("Partitions {}: {}; now owning {}", change, partitions, owned);
        // Read here, on the loop thread, where the consumer may be used: the generation this change belongs to.
        int generation = consumer.groupMetadata().generationId();
        listener.onRebalance(new RebalanceEvent(change, Set.copyOf(partitions), Set.copyOf(owned), generation));
    }
}
