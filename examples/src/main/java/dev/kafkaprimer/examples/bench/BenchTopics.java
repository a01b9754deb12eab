package dev.kafkaprimer.examples.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.kafkaprimer.examples.cli.KafkaConnection;
import dev.kafkaprimer.core.admin.TopicAdmin;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Fresh topics for the bench, named {@code bench-<run id>-<name>}, all with the same partition count. Each is
 * deleted when its run is done (a bench on a real cluster should not leave gigabytes behind), and whatever is
 * left when this closes.
 */
final class BenchTopics implements AutoCloseable {

    /** Partitions of every bench topic: several, so the producer fills several batches at once. */
    static final int PARTITIONS = 6;
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private final TopicAdmin topics;
    private final Admin admin;
    private final String prefix = "bench-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    private final List<String> live = new ArrayList<>();

    BenchTopics(KafkaConnection kafka) {
        this.topics = TopicAdmin.connect(kafka.bootstrapServers(), kafka.security(), DEADLINE);
        this.admin = Admin.create(kafka.adminProperties(DEADLINE));
    }

    /** The prefix of this run's topic and group names. */
    String prefix() {
        return prefix;
    }

    /**
     * Creates topic {@code prefix + name}; like every {@code TopicAdmin.createTopic}, it returns once each
     * partition's leader answers for it.
     */
    String create(String name) throws Exception {
        return create(name, PARTITIONS);
    }

    /** Like {@link #create(String)}, with {@code partitions} partitions. */
    String create(String name, int partitions) throws Exception {
        String topic = prefix + name;
        topics.createTopic(topic, partitions);
        live.add(topic);
        return topic;
    }

    /**
     * The offset group {@code groupId} has committed for partition 0 of {@code topic}, as the group coordinator
     * answers now; -1 if none is committed.
     */
    long committedOffset(String groupId, String topic) throws Exception {
        TopicPartition partition = new TopicPartition(topic, 0);
        OffsetAndMetadata committed = admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata()
                .get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS).get(partition);
        return committed == null ? -1 : committed.offset();
    }

    /** The offsets group {@code groupId} has committed for all partitions of {@code topic}, added up. */
    long committedTotal(String groupId, String topic) throws Exception {
        return admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata()
                .get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS).entrySet().stream()
                .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                .mapToLong(e -> e.getValue().offset()).sum();
    }

    /** Deletes {@code topic} (any topic, also one this class did not create); a missing topic is fine. */
    void delete(String topic) {
        topics.deleteTopic(topic);
        live.remove(topic);
    }

    @Override
    public void close() {
        try {
            for (String topic : List.copyOf(live)) {
                delete(topic);
            }
        } finally {
            topics.close();
            admin.close();
        }
    }
}
