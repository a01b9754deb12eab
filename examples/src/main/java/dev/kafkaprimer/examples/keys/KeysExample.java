package dev.kafkaprimer.examples.keys;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import dev.kafkaprimer.core.admin.TopicAdmin;
import dev.kafkaprimer.core.partitioning.KeyPartitioner;
import dev.kafkaprimer.core.partitioning.RepartitionImpact;
import dev.kafkaprimer.core.producer.JsonProducer;
import dev.kafkaprimer.core.producer.ProducerOptions;
import dev.kafkaprimer.core.producer.SendResult;
import dev.kafkaprimer.examples.cli.Example;
import dev.kafkaprimer.examples.cli.ExampleOptions;
import dev.kafkaprimer.examples.cli.KafkaConnection;
import dev.kafkaprimer.examples.cli.ParsedOptions;
import dev.kafkaprimer.examples.cli.UsageException;

/**
 * The key decides the partition: predicted before sending, confirmed by the broker after. Decomposed into
 * the following stages.
 * <ol>
 *   <li>create a topic with {@code --partitions} partitions;</li>
 *   <li>for each key: predict its partition with {@link KeyPartitioner} (murmur2 of the key's bytes, the
 *       default partitioner's rule), send one record with that key, and print
 *       {@code KEY predicted=P actual=P};</li>
 *   <li>show how many keys would move to another partition if the topic grew to N+1 or 2N partitions: the
 *       reason growing a topic breaks per-key order for records already in flight;</li>
 *   <li>delete the topic, unless {@code --keep-topic}.</li>
 * </ol>
 */
public final class KeysExample implements Example {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final List<String> SAMPLE_KEYS = sampleUserIds(1_000);

    @Override
    public String name() {
        return "keys";
    }

    @Override
    public String summary() {
        return "the key decides the partition: predicted vs actual, and what adding partitions moves";
    }

    @Override
    public ExampleOptions options() {
        return new ExampleOptions()
                .integer("--partitions", "N", "6", 1, 10_000, "partitions of the topic")
                .value("--keys", "A,B,C", "user-001,user-002,user-003,user-004,user-005,user-006",
                        "the keys to send, comma-separated", (option, value) -> {
                            if (keys(value).isEmpty()) {
                                throw new UsageException(option + " needs at least one key, was '" + value + "'");
                            }
                        })
                .topic("--topic", "keys-demo", "the topic to create and use")
                .keepTopic("leave the topic and its records in place");
    }

    private static List<String> keys(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(key -> !key.isEmpty()).toList();
    }

    /** What the example sends: the key and a note of where it was predicted to go. */
    record KeyedEvent(String key, int predictedPartition) {
    }

    @Override
    public int run(ParsedOptions args, KafkaConnection kafka, PrintStream out) {
        int partitions = args.integer("--partitions");
        String topic = args.string("--topic");
        List<String> keys = keys(args.string("--keys"));
        KeyPartitioner<String> partitioner = KeyPartitioner.forStringKeys();
        boolean allAgree = true;
        try (TopicAdmin admin = TopicAdmin.connect(kafka.bootstrapServers(), kafka.security(), DEADLINE)) {
            // stage 1: the topic
            boolean created = admin.createTopic(topic, partitions);
            out.println("1. Topic '" + topic + "' " + (created ? "created" : "already exists") + " with "
                    + partitions + " partitions.");
            // stage 2: predict, send, compare
            out.println("2. Each key's partition, predicted (murmur2 of the key bytes % " + partitions
                    + ") and as the broker stored it:");
            ProducerOptions options = ProducerOptions.builder(kafka.bootstrapServers()).security(kafka.security())
                    .maxBlock(DEADLINE).build();
            try (JsonProducer<String, KeyedEvent> producer = JsonProducer.create(options)) {
                for (String key : keys) {
                    int predicted = partitioner.partitionFor(key, partitions);
                    SendResult sent = producer.sendAndWait(topic, key, new KeyedEvent(key, predicted), DEADLINE);
                    out.println(key + " predicted=" + predicted + " actual=" + sent.partition());
                    allAgree &= predicted == sent.partition();
                }
            }
            out.println("   Same key, same partition, every time: that is what keeps one user's events in order.");
            // stage 3: what growing the topic would do
            printRepartitionTable(partitioner, keys, partitions, out);
            // stage 4: clean up
            if (args.keepTopic()) {
                out.println("4. Keeping topic '" + topic + "' (--keep-topic).");
            } else {
                admin.deleteTopic(topic);
                out.println("4. Deleted topic '" + topic + "'.");
            }
        }
        out.println(allAgree ? "keys: OK every prediction matched" : "keys: MISMATCH between prediction and broker");
        return allAgree ? 0 : 1;
    }

    private static void printRepartitionTable(KeyPartitioner<String> partitioner, List<String> keys, int partitions,
                                              PrintStream out) {
        out.println("3. If the topic grew, these keys would land in another partition (new records go there,");
        out.println("   older ones stay behind, so a consumer can see a key's newer events before its older ones):");
        out.println(String.format("   %-22s %-16s %s", "growth", "your keys moved", "of 1,000 user ids"));
        for (int to : List.of(partitions + 1, partitions * 2)) {
            RepartitionImpact<String> yours = partitioner.impactOfRepartition(keys, partitions, to);
            RepartitionImpact<String> sample = partitioner.impactOfRepartition(SAMPLE_KEYS, partitions, to);
            out.println(String.format("   %-22s %-16s %d (%.0f%%)", partitions + " -> " + to + " partitions",
                    yours.movedKeys().size() + " of " + keys.size(), sample.movedKeys().size(),
                    100 * sample.movedFraction()));
        }
    }

    private static List<String> sampleUserIds(int count) {
        return java.util.stream.IntStream.range(0, count).mapToObj(i -> String.format("user-%03d", i)).toList();
    }
}
