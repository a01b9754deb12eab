package dev.kafkaprimer.core.consumer.internal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

import org.apache.kafka.common.TopicPartition;

import dev.kafkaprimer.core.consumer.Ordering;

/**
 * Decides which fetched record a worker may take next, so that the {@link Ordering} holds. Records that must
 * keep their order share a <em>lane</em>: a partition's records with {@link Ordering#PARTITION}, a key's records
 * within a partition with {@link Ordering#KEY}; any other record is a lane of its own. A lane hands out a
 * <em>run</em>: its oldest record, or its oldest few in offset order for one worker to handle one after the
 * other, and nothing more until every record of the run is finished or has come back unstarted (a worker stops a
 * run at its first record that does not finish), including the waits before a retry; lanes whose oldest record
 * may start wait in a queue, oldest first. Loop thread only.
 *
 * @param <K> the type of record keys
 * @param <V> the type of record values
 */
final class WorkLanes<K, V> {

    /** Records that keep their order: the lane's oldest one is taken, or waits for a retry, or is ready. */
    private static final class Lane<K, V> {
        final Object key;
        final TopicPartition partition;
        final ArrayDeque<WorkItem<K, V>> items = new ArrayDeque<>();
        /** How many of the oldest items are handed out (the oldest counts while it waits for a retry). */
        int out;

        Lane(Object key, TopicPartition partition) {
            this.key = key;
            this.partition = partition;
        }
    }

    /** A key's lane: the same key in two partitions is two lanes, since offsets order only one partition. */
    private record KeyInPartition(TopicPartition partition, ByteBuffer key) {
    }

    private final Ordering ordering;
    private final Map<Object, Lane<K, V>> lanes = new HashMap<>();
    private final Map<WorkItem<K, V>, Lane<K, V>> laneOfTaken = new HashMap<>();
    private final ArrayDeque<Lane<K, V>> ready = new ArrayDeque<>();
    /** Records still being handled when their partition was dropped, with their lane's key: busy until they end. */
    private final Map<WorkItem<K, V>, Object> abandoned = new HashMap<>();
    /** Lanes ready but held back, by key, because an abandoned record of the same key is still being handled. */
    private final Map<Object, Lane<K, V>> parked = new HashMap<>();
    private final PriorityQueue<WorkItem<K, V>> retries =
            new PriorityQueue<>(Comparator.comparingLong(WorkItem::retryAtNanos));

    WorkLanes(Ordering ordering) {
        this.ordering = ordering;
    }

    /** A record fetched after every record added before from its partition. */
    void add(WorkItem<K, V> item) {
        TopicPartition partition = item.window().partition();
        Object key = laneKey(item, partition);
        Lane<K, V> lane = key == null
                ? new Lane<>(null, partition)
                : lanes.computeIfAbsent(key, k -> new Lane<>(k, partition));
        lane.items.add(item);
        if (lane.items.size() == 1) {
            ready.add(lane);
        }
    }

    private Object laneKey(WorkItem<K, V> item, TopicPartition partition) {
        return switch (ordering) {
            case PARTITION -> partition;
            case KEY -> item.record().key() == null ? null
                    : new KeyInPartition(partition, ByteBuffer.wrap(item.record().key()));
            case UNORDERED -> null;
        };
    }

    /**
     * The next run a worker may take: up to {@code max} of the oldest records of the next ready lane, in offset
     * order, now counted as taken and chained by {@link WorkItem#nextInRun()}.
     *
     * @return the first record of the run; null if every lane is empty or taken
     */
    WorkItem<K, V> take(int max) {
        Lane<K, V> lane = ready.poll();
        // One key never runs twice at once in a member, not even after its partition was dropped and read again
        // while an abandoned handler of the key still runs.
        while (lane != null && !abandoned.isEmpty() && lane.key != null && abandoned.containsValue(lane.key)) {
            parked.put(lane.key, lane);
            lane = ready.poll();
        }
        if (lane == null) {
            return null;
        }
        WorkItem<K, V> first = null;
        WorkItem<K, V> previous = null;
        int count = 0;
        for (WorkItem<K, V> item : lane.items) {
            if (count == max) {
                break;
            }
            laneOfTaken.put(item, lane);
            item.nextInRun(null);
            if (previous == null) {
                first = item;
            } else {
                previous.nextInRun(item);
            }
            previous = item;
            count++;
        }
        lane.out = count;
        return first;
    }

    /** {@code item}, taken before, is finished: once its whole run is, the next records of its lane may be taken. */
    void finished(WorkItem<K, V> item) {
        Lane<K, V> lane = laneOfTaken.remove(item);
        lane.items.poll();   // a run finishes in offset order, so the finished record is the oldest
        lane.out--;
        runEnded(lane);
    }

    /**
     * {@code item}, taken before in a run, came back unstarted: an older record of its run did not finish. It
     * stays where it is, the next to take once the older one is finished.
     */
    void notStarted(WorkItem<K, V> item) {
        Lane<K, V> lane = laneOfTaken.remove(item);
        lane.out--;
        runEnded(lane);
    }

    private void runEnded(Lane<K, V> lane) {
        if (lane.out > 0) {
            return;
        }
        if (!lane.items.isEmpty()) {
            ready.add(lane);
        } else if (lane.key != null) {
            lanes.remove(lane.key);
        }
    }

    /** {@code item}, taken before, failed: it is taken again, first of all, once {@code atNanos} has come. */
    void retryAt(WorkItem<K, V> item, long atNanos) {
        item.retryAt(atNanos);
        retries.add(item);
    }

    /** Puts the records whose retry time has come first in the queue. */
    void releaseDueRetries(long nowNanos) {
        while (!retries.isEmpty() && retries.peek().retryAtNanos() - nowNanos <= 0) {
            ready.addFirst(laneOfTaken.get(retries.poll()));
        }
    }

    /** Nanoseconds until the next retry is due (0 if one is due now), or {@code Long.MAX_VALUE} if none waits. */
    long nanosUntilNextRetry(long nowNanos) {
        return retries.isEmpty() ? Long.MAX_VALUE : Math.max(0, retries.peek().retryAtNanos() - nowNanos);
    }

    /**
     * {@code item}, abandoned when its partition was dropped, has ended: its key may run again. Does nothing for
     * an item that was not abandoned.
     */
    void abandonedEnded(WorkItem<K, V> item) {
        if (abandoned.isEmpty()) {
            return;   // the usual case, checked for every finished record
        }
        Object key = abandoned.remove(item);
        if (key != null && !abandoned.containsValue(key)) {
            Lane<K, V> lane = parked.remove(key);
            if (lane != null) {
                ready.addFirst(lane);
            }
        }
    }

    /**
     * Drops every record of {@code partitions}: they were given up, lost, or are read again from elsewhere. A
     * record still being handled keeps its key busy until {@link #abandonedEnded} says it has ended.
     */
    void drop(Collection<TopicPartition> partitions) {
        laneOfTaken.forEach((item, lane) -> {
            if (lane.key != null && partitions.contains(lane.partition) && !retries.contains(item)) {
                abandoned.put(item, lane.key);
            }
        });
        parked.values().removeIf(lane -> partitions.contains(lane.partition));
        lanes.values().removeIf(lane -> partitions.contains(lane.partition));
        laneOfTaken.values().removeIf(lane -> partitions.contains(lane.partition));
        ready.removeIf(lane -> partitions.contains(lane.partition));
        retries.removeIf(item -> partitions.contains(item.window().partition()));
    }
}
