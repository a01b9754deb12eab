package dev.kafkaprimer.core.partitioning;

import java.util.List;

/**
 * Which keys change partition when a topic's partition count changes; made by
 * {@link KeyPartitioner#impactOfRepartition}.
 *
 * @param fromCount the partition count before
 * @param toCount   the partition count after
 * @param keyCount  how many distinct keys were checked
 * @param movedKeys the keys whose partition changes, in the order first given; unmodifiable
 * @param <K>       the key type
 */
public record RepartitionImpact<K>(int fromCount, int toCount, int keyCount, List<MovedKey<K>> movedKeys) {

    /**
     * Copies the moved keys.
     *
     * @param fromCount the partition count before
     * @param toCount   the partition count after
     * @param keyCount  how many distinct keys were checked
     * @param movedKeys the keys whose partition changes; not null, copied
     */
    public RepartitionImpact {
        movedKeys = List.copyOf(movedKeys);
    }

    /** {@return the share of checked keys that change partition, from 0.0 to 1.0 (0.0 when none were checked)} */
    public double movedFraction() {
        return keyCount == 0 ? 0.0 : (double) movedKeys.size() / keyCount;
    }

    /**
     * One key that changes partition.
     *
     * @param key           the key
     * @param fromPartition its partition with the old count
     * @param toPartition   its partition with the new count
     * @param <K>           the key type
     */
    public record MovedKey<K>(K key, int fromPartition, int toPartition) {
    }
}
