package dev.kafkaprimer.core.partitioning;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Says which partition the Kafka producer's default partitioner picks for a key: the murmur2 hash of the
 * serialized key bytes, made non-negative, modulo the topic's partition count. That is what kafka-clients
 * does for every record with a key (and no explicit partition, no custom {@code partitioner.class}, and
 * {@code partitioner.ignore.keys=false}, the defaults); this class reproduces it, it does not invent a scheme.
 * Clients in other languages agree only when set to the same hash (librdkafka, for one, defaults to CRC32
 * and needs {@code partitioner=murmur2_random}).
 *
 * <p><b>Why it matters.</b> Kafka keeps order only within a partition. All records of one key land in one
 * partition, so they are read in the order they were written. Which partition depends on the partition
 * count: see {@link #impactOfRepartition} for what adding partitions does to that guarantee.
 *
 * <p><b>Null keys</b> have no predictable partition. The producer sends them with the sticky partitioner
 * (KIP-480): it fills a batch for one partition, then switches to another, so consecutive records go together
 * and load evens out over time. Asking for a null key's partition throws {@code IllegalArgumentException}.
 *
 * <p>Immutable and thread-safe if the key serializer is (kafka-clients' serializers are).
 *
 * <pre>{@code
 * KeyPartitioner<String> partitioner = KeyPartitioner.forStringKeys();
 * int partition = partitioner.partitionFor("customer-42", 6);     // the same on every producer
 * RepartitionImpact<String> impact = partitioner.impactOfRepartition(customerIds, 6, 12);
 * System.out.println(impact.movedKeys().size() + " of " + impact.keyCount() + " keys change partition");
 * }</pre>
 *
 * @param <K> the key type
 */
public final class KeyPartitioner<K> {

    private final Serializer<K> keySerializer;

    private KeyPartitioner(Serializer<K> keySerializer) {
        this.keySerializer = keySerializer;
    }

    /**
     * A partitioner for string keys, serialized as UTF-8 like kafka-clients' {@code StringSerializer} and
     * {@code JsonProducer}'s default.
     *
     * @return the partitioner
     */
    public static KeyPartitioner<String> forStringKeys() {
        return new KeyPartitioner<>(new StringSerializer());
    }

    /**
     * A partitioner for keys that the producer serializes with {@code keySerializer}: the partition depends
     * on the bytes, so it must be the serializer the producer uses. The serializer is called with a null
     * topic; for one whose bytes depend on the topic, serialize yourself and use
     * {@link #partitionForSerializedKey(byte[], int)}.
     *
     * @param keySerializer the producer's key serializer; not closed by this class
     * @param <K>           the key type
     * @return the partitioner
     * @throws NullPointerException if {@code keySerializer} is null
     */
    public static <K> KeyPartitioner<K> forKeys(Serializer<K> keySerializer) {
        return new KeyPartitioner<>(Objects.requireNonNull(keySerializer, "keySerializer"));
    }

    /**
     * The partition the default producer partitioner picks for {@code key} on a topic of
     * {@code partitionCount} partitions.
     *
     * @param key            the key; not null
     * @param partitionCount the topic's partition count, 1 or more
     * @return a partition number from 0 to {@code partitionCount - 1}
     * @throws IllegalArgumentException if {@code key} is null or serializes to null (sticky partitioning
     *                                  applies, there is nothing to predict), or {@code partitionCount} is under 1
     */
    public int partitionFor(K key, int partitionCount) {
        checkCount("partitionCount", partitionCount);
        return partitionForSerializedKey(serialize(key), partitionCount);
    }

    /**
     * What changes when a topic goes from {@code fromCount} to {@code toCount} partitions: which of
     * {@code keys} then map to another partition.
     *
     * <p><b>Why this breaks per-key order.</b> Records already written stay in the old partition. After the
     * change, new records of a moved key go to its new partition. A consumer group reads partitions
     * independently, so the new partition's consumer may process a key's newest records while older ones
     * still wait in the old partition behind a backlog: the key's events are handled out of order, and two
     * consumers may work on one key at once. Records a producer had already batched with the old count are
     * sent to the old partition, so even a short overlap interleaves. Kafka grows topics but never shrinks
     * them; if per-key order matters, size topics for the future, or create a new topic and migrate.
     *
     * @param keys      the keys to check (duplicates count once); not null, no null elements
     * @param fromCount the partition count now, 1 or more
     * @param toCount   the partition count after the change, 1 or more
     * @return the keys that change partition, in the order first given
     * @throws IllegalArgumentException if a key is null or serializes to null, or a count is under 1
     */
    public RepartitionImpact<K> impactOfRepartition(Collection<K> keys, int fromCount, int toCount) {
        checkCount("fromCount", fromCount);
        checkCount("toCount", toCount);
        Set<K> distinct = new LinkedHashSet<>(Objects.requireNonNull(keys, "keys"));
        List<RepartitionImpact.MovedKey<K>> moved = new ArrayList<>();
        for (K key : distinct) {
            byte[] bytes = serialize(key);
            int before = partitionForSerializedKey(bytes, fromCount);
            int after = partitionForSerializedKey(bytes, toCount);
            if (before != after) {
                moved.add(new RepartitionImpact.MovedKey<>(key, before, after));
            }
        }
        return new RepartitionImpact<>(fromCount, toCount, distinct.size(), moved);
    }

    /**
     * The partition for already serialized key bytes: the one place that calls kafka-clients' hash.
     * {@code org.apache.kafka.common.utils.Utils} is not public API, so the call is kept here, in the same
     * expression as {@code BuiltInPartitioner.partitionForKey}; {@code KeyPartitionerTest} checks it against
     * a real broker on every build.
     *
     * @param serializedKey  the key bytes, exactly as the producer sends them; not null
     * @param partitionCount the topic's partition count, 1 or more
     * @return a partition number from 0 to {@code partitionCount - 1}
     * @throws IllegalArgumentException if {@code serializedKey} is null or {@code partitionCount} is under 1
     */
    public static int partitionForSerializedKey(byte[] serializedKey, int partitionCount) {
        checkCount("partitionCount", partitionCount);
        if (serializedKey == null) {
            throw nullKey();
        }
        return Utils.toPositive(Utils.murmur2(serializedKey)) % partitionCount;
    }

    private byte[] serialize(K key) {
        if (key == null) {
            throw nullKey();
        }
        byte[] bytes = keySerializer.serialize(null, key);
        if (bytes == null) {
            throw nullKey();
        }
        return bytes;
    }

    private static IllegalArgumentException nullKey() {
        return new IllegalArgumentException("a null key has no fixed partition: the producer sends it with the"
                + " sticky partitioner (KIP-480), which fills a batch for one partition, then moves on");
    }

    private static void checkCount(String name, int count) {
        if (count < 1) {
            throw new IllegalArgumentException(name + " must be 1 or more, was " + count);
        }
    }
}
