package dev.kafkaprimer.core.consumer.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.GroupProtocol;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import dev.kafkaprimer.core.consumer.CommitLoop;
import dev.kafkaprimer.core.consumer.ConsumerOptions;
import dev.kafkaprimer.core.consumer.ShareOptions;
import dev.kafkaprimer.core.consumer.TransactionOptions;

/** The client settings a {@link CommitLoop} builds its consumer and its dead-letter producer with. */
final class ClientProperties {

    /** Kafka's default {@code max.poll.interval.ms}. */
    private static final long DEFAULT_MAX_POLL_INTERVAL_MS = 300_000;

    /** Passed-through settings that must not reach the producer although it knows their names. */
    private static final Set<String> CONSUMER_ONLY = Set.of(
            ConsumerConfig.CLIENT_ID_CONFIG, ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG);

    /** How long outputs of the transactional loop may wait to fill a batch: kafka-clients' 4.x default. */
    private static final int OUTPUT_LINGER_MS = 5;

    private ClientProperties() {
    }

    static Map<String, Object> consumer(ConsumerOptions options) {
        // Passed-through settings first; the options refused every name that is set below.
        Map<String, Object> props = new HashMap<>(options.properties());
        // How the consumer proves who it is and encrypts; the options made sure no property says otherwise.
        options.security().ifPresent(security -> props.putAll(security.clientProperties()));
        // Where to find the cluster; the client learns every other broker from these.
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
        // Members of one group share the partitions, and share the committed offsets.
        props.put(ConsumerConfig.GROUP_ID_CONFIG, options.groupId());
        // Auto-commit would commit on a timer, also records the handler has not finished: the loop commits itself.
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Where the group starts on a partition it has never committed for.
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, options.offsetReset().configValue());
        // CLASSIC: members agree on the assignment themselves; CONSUMER (KIP-848): the broker assigns.
        props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, options.groupProtocol().name().toLowerCase(Locale.ROOT));
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, options.isolationLevel().name().toLowerCase(Locale.ROOT));
        if (options.groupProtocol() == GroupProtocol.CLASSIC) {
            // A rebalance moves only the partitions that change owner; the others keep being consumed.
            props.putIfAbsent(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                    CooperativeStickyAssignor.class.getName());
        }
        // The largest batch one poll hands over: what PER_BATCH may repeat after a crash.
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, options.maxPollRecords());
        return props;
    }

    /**
     * The share loop's consumer: the member acknowledges each record itself ({@code explicit}), and a poll
     * acquires at most {@code maxPollRecords} ({@code record_limit}: the default mode may hand over a whole
     * fetched batch, more than that).
     */
    static Map<String, Object> shareConsumer(ShareOptions options) {
        Map<String, Object> props = new HashMap<>(options.properties());
        options.security().ifPresent(security -> props.putAll(security.clientProperties()));
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, options.groupId());
        props.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit");
        props.put(ConsumerConfig.SHARE_ACQUIRE_MODE_CONFIG, "record_limit");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, options.maxPollRecords());
        return props;
    }

    static Map<String, Object> deadLetterProducer(ConsumerOptions options) {
        return deadLetterProducer(DeadLetterRoute.of(options));
    }

    static Map<String, Object> deadLetterProducer(DeadLetterRoute route) {
        Map<String, Object> props = new HashMap<>();
        // Security and network settings apply to both clients: pass on those the producer knows.
        route.properties().forEach((name, value) -> {
            if (ProducerConfig.configNames().contains(name) && !CONSUMER_ONLY.contains(name)) {
                props.put(name, value);
            }
        });
        // The same login and encryption as the consumer: every security setting is one the producer knows.
        route.security().ifPresent(security -> props.putAll(security.clientProperties()));
        int timeoutMs = (int) route.timeout().toMillis();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, route.bootstrapServers());
        // Acknowledged only once every in-sync replica has it: only then may the record's offset be committed.
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        // The producer's own retries never write one dead letter twice.
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // The loop waits for each dead letter: waiting to fill a batch would only add delay.
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        // send() waits for topic metadata at most this long ...
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs);
        // ... and the producer gives up delivering (retries included) once the loop stops waiting.
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        return props;
    }

    /**
     * Opens the loop's consumer, bytes in and bytes out (keys and values are read per record in the loop, so
     * that one unreadable record becomes a dead letter instead of an exception from {@code poll()} that would
     * block its partition). Made after the dead-letter producer, so a bad setting of either fails the loop at
     * its start; if the consumer cannot be made, the producer already made is closed, not leaked.
     */
    static KafkaConsumer<byte[], byte[]> openConsumer(ConsumerOptions options, DeadLetterPublisher deadLetters) {
        return openConsumer(consumer(options), () -> deadLetters.close(Duration.ZERO));
    }

    /** Opens a consumer with {@code props}, bytes in and out; if it cannot be made, runs {@code closeOthers}. */
    static KafkaConsumer<byte[], byte[]> openConsumer(Map<String, Object> props, Runnable closeOthers) {
        try {
            return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        } catch (RuntimeException e) {
            closeOthers.run();
            throw e;
        }
    }

    /**
     * The transactional loop's consumer: as any loop's, but reading only committed transactions. A loop that
     * turns inputs into outputs inside transactions must not take inputs from transactions that may still
     * abort: its committed outputs would then stand on records that never happened.
     */
    static Map<String, Object> transactionalConsumer(ConsumerOptions options) {
        Map<String, Object> props = consumer(options);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return props;
    }

    /**
     * The transactional loop's producer, which writes outputs, dead letters and the input offsets in one
     * transaction: the dead-letter producer's settings (the same login, {@code acks=all}, idempotence), plus the
     * transactional id and timeout. Outputs are only awaited at the commit, so unlike a dead letter they may
     * wait a few milliseconds to fill a batch.
     */
    static Map<String, Object> transactionalProducer(ConsumerOptions options, TransactionOptions transactions) {
        Map<String, Object> props = deadLetterProducer(options);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactions.transactionalId());
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) transactions.transactionTimeout().toMillis());
        props.put(ProducerConfig.LINGER_MS_CONFIG, OUTPUT_LINGER_MS);
        // The producer requires delivery.timeout.ms >= linger.ms + request.timeout.ms.
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                (int) options.deadLetterTimeout().toMillis() + OUTPUT_LINGER_MS);
        return props;
    }

    /** The loop consumer's {@code max.poll.interval.ms}: as set in the options, else Kafka's default (5 min). */
    static long maxPollIntervalMs(ConsumerOptions options) {
        Object value = consumer(options).get(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG);
        return value == null ? DEFAULT_MAX_POLL_INTERVAL_MS : Long.parseLong(value.toString().trim());
    }
}
