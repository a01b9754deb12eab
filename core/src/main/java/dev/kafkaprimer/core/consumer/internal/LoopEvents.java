package dev.kafkaprimer.core.consumer.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kafkaprimer.core.consumer.LoopClient;
import dev.kafkaprimer.core.consumer.LoopListener;
import dev.kafkaprimer.core.consumer.RebalanceEvent;
import dev.kafkaprimer.core.consumer.RebalanceListener;

/**
 * The loop's {@link LoopListener}s as one: each event goes to each listener in turn, and a listener that throws
 * is logged (with its stack trace the first time, then at DEBUG) and skipped, never the loop's problem.
 * {@link #active()} tells the engines whether to measure anything at all. Immutable; thread-safe (workers report
 * handled records from several threads).
 *
 * <p><b>Not API:</b> public only so that {@link dev.kafkaprimer.core.consumer.CommitLoop} can report the end.
 */
public final class LoopEvents {

    private static final Logger LOG = LoggerFactory.getLogger(LoopEvents.class);
    /** No listener: every event is dropped at once. */
    public static final LoopEvents NONE = new LoopEvents(List.of());

    private final LoopListener[] listeners;
    /** Listeners that have thrown once already: logged briefly from then on. */
    private final Set<LoopListener> threw = ConcurrentHashMap.newKeySet();

    private LoopEvents(List<LoopListener> listeners) {
        this.listeners = listeners.toArray(new LoopListener[0]);
    }

    /**
     * The listeners of one loop.
     *
     * @param listeners in the order they are told; may be empty
     * @return their events
     */
    public static LoopEvents of(List<LoopListener> listeners) {
        return listeners.isEmpty() ? NONE : new LoopEvents(listeners);
    }

    /**
     * Whether any listener is registered: without one, the loop skips the timing as well.
     *
     * @return whether events go anywhere
     */
    public boolean active() {
        return listeners.length > 0;
    }

    void started(LoopClient client) {
        if (active()) {
            tell("started", listener -> listener.started(client));
        }
    }

    void lagMeasured(Map<TopicPartition, Long> lag) {
        if (active()) {
            Map<TopicPartition, Long> copy = Map.copyOf(lag);
            tell("lagMeasured", listener -> listener.lagMeasured(copy));
        }
    }

    void recordHandled(ConsumerRecord<?, ?> record, long handlerNanos) {
        // Once per record: a plain loop, no lambda to allocate.
        for (LoopListener listener : listeners) {
            try {
                listener.recordHandled(record, handlerNanos);
            } catch (RuntimeException e) {
                threw(listener, "recordHandled", e);
            }
        }
    }

    void attemptFailed(ConsumerRecord<?, ?> record, int attempt, Throwable failure, boolean retrying) {
        if (active()) {
            tell("attemptFailed", listener -> listener.attemptFailed(record, attempt, failure, retrying));
        }
    }

    void deadLettered(ConsumerRecord<byte[], byte[]> record, String topic, Throwable failure) {
        if (active()) {
            tell("deadLettered", listener -> listener.deadLettered(record, topic, failure));
        }
    }

    void committed(Map<TopicPartition, OffsetAndMetadata> offsets, long commitNanos) {
        if (active()) {
            Map<TopicPartition, OffsetAndMetadata> copy = Map.copyOf(offsets);
            tell("committed", listener -> listener.committed(copy, commitNanos));
        }
    }

    void paused(Set<TopicPartition> partitions) {
        if (active() && !partitions.isEmpty()) {
            Set<TopicPartition> copy = Set.copyOf(partitions);
            tell("paused", listener -> listener.paused(copy));
        }
    }

    void resumed(Set<TopicPartition> partitions) {
        if (active() && !partitions.isEmpty()) {
            Set<TopicPartition> copy = Set.copyOf(partitions);
            tell("resumed", listener -> listener.resumed(copy));
        }
    }

    /**
     * Tells the listeners that the loop stopped.
     *
     * @param cause what {@code run()} throws, or null
     */
    public void stopped(Throwable cause) {
        if (active()) {
            tell("stopped", listener -> listener.stopped(cause));
        }
    }

    /** The user's rebalance listener, then these listeners: both told of every change, in that order. */
    RebalanceListener alongside(RebalanceListener rebalanceListener) {
        if (!active()) {
            return rebalanceListener;
        }
        return event -> {
            rebalanceListener.onRebalance(event);
            tell("rebalanced", listener -> listener.rebalanced(event));
        };
    }

    private void tell(String event, Consumer<LoopListener> call) {
        for (LoopListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                threw(listener, event, e);
            }
        }
    }

    private void threw(LoopListener listener, String event, RuntimeException e) {
        if (threw.add(listener)) {
            LOG.warn("Loop listener {} threw from {}; the loop goes on, and further failures of this listener are "
                    + "logged at DEBUG", listener, event, e);
        } else {
            LOG.debug("Loop listener {} threw from {} again: {}", listener, event, e.toString());
        }
    }
}
