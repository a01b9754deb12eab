package dev.kafkaprimer.examples.groups;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ledger of the end check: every record the broker acknowledged, and how often the group handed each
 * one to a member. A record is named by partition and offset, which Kafka never gives twice in one topic.
 * Thread-safe: the producer's callbacks and every member's loop thread write to it.
 */
final class Deliveries {

    private final Set<String> produced = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> processed = new ConcurrentHashMap<>();

    void produced(int partition, long offset) {
        produced.add(id(partition, offset));
    }

    void processed(int partition, long offset) {
        processed.merge(id(partition, offset), 1, Integer::sum);
    }

    /** The end check's numbers; {@code skipped} are acknowledged records no member was handed. */
    Counts counts() {
        Set<String> missing = new HashSet<>(produced);
        missing.removeAll(processed.keySet());
        int handed = processed.values().stream().mapToInt(Integer::intValue).sum();
        return new Counts(produced.size(), processed.size(), handed - processed.size(), missing.size());
    }

    private static String id(int partition, long offset) {
        return partition + "@" + offset;
    }

    /**
     * The end check's numbers.
     *
     * @param produced   records the broker acknowledged
     * @param processed  distinct records handed to a member
     * @param duplicates hand-overs of a record that had been handed over before
     * @param skipped    acknowledged records never handed over
     */
    record Counts(int produced, int processed, int duplicates, int skipped) {
    }
}
