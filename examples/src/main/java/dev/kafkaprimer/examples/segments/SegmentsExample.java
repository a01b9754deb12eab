package dev.kafkaprimer.examples.segments;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.kafkaprimer.examples.cli.Example;
import dev.kafkaprimer.examples.cli.ExampleOptions;
import dev.kafkaprimer.examples.cli.KafkaConnection;
import dev.kafkaprimer.examples.cli.ParsedOptions;
import dev.kafkaprimer.examples.cli.UsageException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A partition on disk is a series of segment files; retention and compaction work on them. Decomposed into the
 * following stages.
 * <ol>
 *   <li>create a topic with 1 MiB segments ({@code segment.bytes}'s minimum since Kafka 4.0; the broker's
 *       {@code internal.segment.bytes} goes lower but is meant for Kafka's own tests);</li>
 *   <li>produce about 4 MB: the first records stamped 10 minutes ago, the rest now;</li>
 *   <li>list the segment files in the embedded broker's log directory: names are base offsets, with sizes;</li>
 *   <li>set {@code retention.ms} to 5 minutes, wait (bounded) for retention to delete the segments holding only
 *       old records, and show the log start offset move;</li>
 *   <li>a consumer asking for offset 0: an error with {@code auto.offset.reset=none}, the new start with
 *       {@code earliest};</li>
 *   <li>a compacted topic: several values per key, then (bounded) the log cleaner keeping only the latest;</li>
 *   <li>delete both topics.</li>
 * </ol>
 * The embedded broker checks retention every 500 ms and the cleaner every 200 ms (the defaults are 5 minutes and
 * 15 s). With {@code --bootstrap-server} the example cannot see the broker's disk and says so; it waits for
 * retention only if that broker checks within {@code --timeout}.
 */
public final class SegmentsExample implements Example {

    @Override
    public String name() {
        return "segments";
    }

    @Override
    public String summary() {
        return "segment files on disk; retention deletes whole old segments; compaction keeps the last value per key";
    }

    @Override
    public ExampleOptions options() {
        return new ExampleOptions()
                .topic("--topic", "segments-demo", "the topic to create (NAME-compacted for stage 6)", "-compacted")
                .keepTopic("leave both topics in place (skip the delete)")
                .timeout("30", 1, 3600, "deadline for each wait, e.g. for retention to act");
    }

    /** Retention and the cleaner at work within a second instead of minutes, and at once after start. */
    @Override
    public Map<String, String> embeddedBrokerProperties() {
        return Map.of(
                "log.retention.check.interval.ms", "500",
                "log.initial.task.delay.ms", "0",
                "log.cleaner.backoff.ms", "200");
    }

    @Override
    public int run(ParsedOptions args, KafkaConnection kafka, PrintStream out) throws Exception {
        String topic = args.string("--topic");
        String compacted = topic + "-compacted";
        Duration deadline = args.timeout();
        Map<String, Object> client = kafka.clientProperties();
        try (Admin admin = Admin.create(kafka.adminProperties(deadline))) {
            // stages 1 to 5: segments and retention
            PartitionLog retained = new PartitionLog(client, admin, new TopicPartition(topic, 0),
                    kafka.embedded(), deadline);
            boolean ok = new RetentionDemo(admin, retained, client, deadline, out).run();
            // stage 6: compaction
            PartitionLog compactedLog = new PartitionLog(client, admin,
                    new TopicPartition(compacted, 0), kafka.embedded(), deadline);
            ok = ok && new CompactionDemo(admin, compactedLog, client, deadline, out).run();
            // stage 7: clean up
            if (args.keepTopic()) {
                out.println("7. Keeping topics '" + topic + "' and '" + compacted + "' (--keep-topic).");
            } else {
                admin.deleteTopics(List.of(topic, compacted)).all().get(deadline.toSeconds(), TimeUnit.SECONDS);
                out.println("7. Deleted topics '" + topic + "' and '" + compacted + "'.");
            }
            if (!ok) {
                return 1;
            }
        }
        out.println("segments: OK");
        return 0;
    }

    /**
     * Creates {@code topic}; this example's story needs it new.
     *
     * @throws UsageException if it exists already, naming it
     */
    static void create(Admin admin, NewTopic topic, Duration deadline) throws Exception {
        try {
            admin.createTopics(List.of(topic)).all().get(deadline.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                throw new UsageException("topic '" + topic.name() + "' already exists; this example needs a new one."
                        + " Delete it, or choose another name with --topic.");
            }
            throw e;
        }
    }

    /** Sets one config of {@code topic}, as {@code kafka-configs.sh --alter --add-config name=value} does. */
    static void setTopicConfig(Admin admin, String topic, String name, String value, Duration deadline)
            throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        AlterConfigOp set = new AlterConfigOp(new ConfigEntry(name, value), AlterConfigOp.OpType.SET);
        admin.incrementalAlterConfigs(Map.of(resource, List.of(set))).all()
                .get(deadline.toSeconds(), TimeUnit.SECONDS);
    }
}
