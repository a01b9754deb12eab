package dev.kafkaprimer.examples.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.kafkaprimer.examples.cli.KafkaConnection;
import dev.kafkaprimer.core.consumer.CommitPolicy;
import dev.kafkaprimer.core.consumer.ConsumerOptions;
import dev.kafkaprimer.core.consumer.Ordering;
import dev.kafkaprimer.core.producer.Acks;
import dev.kafkaprimer.core.producer.ProducerOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The client settings of both sides, in one place, so a ratio compares code and never configuration: our
 * options and the raw clients' properties are built here from the same values.
 */
final class BenchClients {

    /** Kafka's 4.x default linger, and ours. */
    static final Duration LINGER = ProducerOptions.DEFAULT_LINGER;
    /** kafka-clients' default {@code batch.size}, written out so both sides surely use it. */
    static final int BATCH_SIZE = 16_384;
    /** How long one poll waits for records, on both sides. */
    static final Duration POLL_TIMEOUT = ConsumerOptions.DEFAULT_POLL_TIMEOUT;
    /** Records one poll hands over at most, on both sides. */
    static final int MAX_POLL_RECORDS = ConsumerOptions.DEFAULT_MAX_POLL_RECORDS;

    private final String bootstrapServers;
    private final KafkaConnection kafka;
    /** Registered on our side's producer and loops, or null for none. */
    private final MetricListeners listeners;

    /** Clients for the cluster of {@code kafka}, with its security settings on both sides alike. */
    BenchClients(KafkaConnection kafka) {
        this(kafka, null);
    }

    private BenchClients(KafkaConnection kafka, MetricListeners listeners) {
        this.bootstrapServers = kafka.bootstrapServers();
        this.kafka = kafka;
        this.listeners = listeners;
    }

    /**
     * The same clients, with our side's producer and loops told every event by {@code listeners}: what it costs
     * to watch them. The raw side is unchanged.
     */
    BenchClients listenedBy(MetricListeners listeners) {
        return new BenchClients(kafka, listeners);
    }

    /** One line for the report: what both sides run with. */
    static String describe() {
        return "acks=all, idempotence on, linger " + LINGER.toMillis() + " ms, batch.size " + BATCH_SIZE
                + ", no compression; consumers: classic group protocol, cooperative-sticky, max.poll.records "
                + MAX_POLL_RECORDS + ", a commitSync per poll";
    }

    ProducerOptions producerOptions() {
        ProducerOptions.Builder builder = ProducerOptions.builder(bootstrapServers)
                .security(kafka.security())
                .acks(Acks.ALL)
                .idempotence(true)
                .linger(LINGER)
                .property(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(BATCH_SIZE));
        if (listeners != null) {
            builder.listener(listeners);
        }
        return builder.build();
    }

    /** What a user writes by hand for the same producer. */
    Map<String, Object> rawProducer() {
        Map<String, Object> props = new HashMap<>(kafka.clientProperties());
        // Stored on every in-sync replica, and retries never store a record twice: JsonProducer's defaults.
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // Batching exactly as on our side.
        props.put(ProducerConfig.LINGER_MS_CONFIG, (int) LINGER.toMillis());
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, BATCH_SIZE);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        return props;
    }

    /** A commit loop's options: one synchronous commit after each poll's records (PER_BATCH). */
    ConsumerOptions consumerOptions(String groupId, String topic) {
        return consumerOptions(groupId, topic, Ordering.PARTITION, 1);
    }

    /**
     * The same commit loop with worker threads: the per-key engine, which hands each record to one of
     * {@code concurrency} workers while keeping {@code ordering}, and commits each partition's finished prefix.
     */
    ConsumerOptions consumerOptions(String groupId, String topic, Ordering ordering, int concurrency) {
        ConsumerOptions.Builder builder = ConsumerOptions.builder(bootstrapServers, groupId, List.of(topic))
                .security(kafka.security())
                .commitPolicy(CommitPolicy.PER_BATCH)
                .maxPollRecords(MAX_POLL_RECORDS)
                .pollTimeout(POLL_TIMEOUT)
                .ordering(ordering)
                .concurrency(concurrency);
        if (listeners != null) {
            builder.listener(listeners);
        }
        return builder.build();
    }

    /** What a user writes by hand for the same consumer; the poll loop calls {@code commitSync()} per batch. */
    Map<String, Object> rawConsumer(String groupId) {
        Map<String, Object> props = new HashMap<>(kafka.clientProperties());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        // The loop commits after processing, as the commit loop does.
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // A new group reads the topic from its first record.
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // The commit loop's group protocol and assignor, so joining the group costs the same.
        props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS);
        return props;
    }
}
