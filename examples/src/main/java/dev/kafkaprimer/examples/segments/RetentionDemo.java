package dev.kafkaprimer.examples.segments;

import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.kafkaprimer.examples.cli.ExampleOptions;
import dev.kafkaprimer.examples.cli.WaitFor;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Stages 1 to 5 of {@link SegmentsExample}: a log cut into segments, and retention deleting the oldest whole
 * segments. Not thread-safe.
 */
final class RetentionDemo {

    /** The smallest segment.bytes Kafka 4 accepts: 1 MiB. */
    static final int SEGMENT_BYTES = 1024 * 1024;
    static final Duration RETENTION = Duration.ofMinutes(5);
    /** How old the first records claim to be: older than {@link #RETENTION}, so retention may delete them. */
    static final Duration OLD_AGE = Duration.ofMinutes(10);
    static final int OLD_RECORDS = 3000;
    static final int NEW_RECORDS = 1000;
    private static final int VALUE_BYTES = 1000;

    private final Admin admin;
    private final PartitionLog log;
    private final Map<String, Object> client;
    private final Duration deadline;
    private final PrintStream out;

    RetentionDemo(Admin admin, PartitionLog log, Map<String, Object> client, Duration deadline,
                  PrintStream out) {
        this.admin = admin;
        this.log = log;
        this.client = client;
        this.deadline = deadline;
        this.out = out;
    }

    /** Runs stages 1 to 5; false if retention did not act within the deadline on the embedded cluster. */
    boolean run() throws Exception {
        String topic = log.partition().topic();
        // stage 1: a topic with the smallest segments Kafka allows, and a short retention
        // Retention stays at its default (7 days) until stage 4, so nothing is deleted before stage 3 lists it.
        SegmentsExample.create(admin, new NewTopic(topic, 1, (short) 1).configs(Map.of(
                "segment.bytes", Integer.toString(SEGMENT_BYTES))), deadline);
        out.println("1. Created topic '" + topic + "': 1 partition, segment.bytes=" + SEGMENT_BYTES + " (1 MiB, the"
                + " smallest Kafka 4 allows; the default is 1 GiB).");
        // stage 2: old and new records
        produce(topic);
        out.println("2. Produced " + (OLD_RECORDS + NEW_RECORDS) + " records of about 1 KB: offsets 0.."
                + (OLD_RECORDS - 1) + " with timestamps " + OLD_AGE.toMinutes() + " minutes old, then "
                + OLD_RECORDS + ".." + (OLD_RECORDS + NEW_RECORDS - 1) + " stamped now. (A producer may set a"
                + " record's timestamp; retention goes by it.)");
        // stage 3: the segments
        Optional<List<SegmentFile>> before = log.segments();
        showSegments(before);
        // stage 4: retention deletes whole segments
        SegmentsExample.setTopicConfig(admin, topic, "retention.ms", Long.toString(RETENTION.toMillis()), deadline);
        out.println("4. Set retention.ms=" + RETENTION.toMillis() + " (5 minutes) on the topic, as kafka-configs.sh"
                + " --alter would.");
        if (before.isEmpty()) {
            long interval = retentionCheckIntervalMs();
            if (interval > deadline.toMillis()) {
                out.println("   This broker looks for expired segments every " + interval + " ms"
                        + " (log.retention.check.interval.ms), longer than this example waits ("
                        + deadline.toMillis() + " ms): not waiting. Stages 4 and 5 need the embedded broker.");
                return true;
            }
        }
        if (!awaitRetention(before)) {
            return false;
        }
        // stage 5: a consumer asking for a deleted offset
        readFromOffsetZero();
        return true;
    }

    private void produce(String topic) throws Exception {
        // Where the cluster is, and how to log in and encrypt.
        Map<String, Object> config = new HashMap<>(client);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        // Fuller batches: four megabytes go out in a second or two.
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) deadline.toMillis());
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) deadline.toMillis() / 2);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) deadline.toMillis());
        long now = System.currentTimeMillis();
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < OLD_RECORDS + NEW_RECORDS; i++) {
                long timestamp = i < OLD_RECORDS ? now - OLD_AGE.toMillis() : now;
                String value = String.format("%-" + VALUE_BYTES + "s", "record " + i);
                producer.send(new ProducerRecord<>(topic, 0, timestamp, null, value));
            }
            producer.flush();
        }
        if (log.endOffset() != OLD_RECORDS + NEW_RECORDS) {
            throw new IllegalStateException("expected " + (OLD_RECORDS + NEW_RECORDS) + " records in " + log.partition()
                    + ", found " + log.endOffset());
        }
    }

    private void showSegments(Optional<List<SegmentFile>> segments) throws Exception {
        if (segments.isPresent()) {
            out.println("3. On the broker's disk the partition is a folder, " + log.directory().orElseThrow() + ",");
            out.println("   holding one .log file per segment, named by its first offset (base offset):");
            log.printSegments(segments.get(), true, out);
            out.println("   Beside each .log: an .index (offset → position in the file) and a .timeindex"
                    + " (timestamp → offset).");
        } else {
            out.println("3. The segment files are on the broker's disk, which this example cannot see on a cluster"
                    + " given by address; run it without " + ExampleOptions.BOOTSTRAP_SERVER + " to list them.");
            out.println("   Admin.describeLogDirs tells their total: " + log.sizeByBroker().entrySet().stream()
                    .map(e -> String.format("%,d bytes on broker %d", e.getValue(), e.getKey()))
                    .collect(Collectors.joining(", ")) + ", for offsets " + log.startOffset() + ".."
                    + (log.endOffset() - 1) + ".");
        }
    }

    private boolean awaitRetention(Optional<List<SegmentFile>> before) throws Exception {
        out.println("   Waiting: the broker deletes segments whose newest record is older than retention.ms, looking"
                + " every log.retention.check.interval.ms (5 minutes by default, "
                + (before.isPresent() ? "500 ms in the embedded broker" : "as this broker is set") + ")...");
        long began = System.nanoTime();
        Optional<Long> start = WaitFor.until(deadline, log::startOffset, offset -> offset > 0);
        if (start.isEmpty()) {
            out.println("segments: FAILED: retention deleted nothing within " + deadline.toSeconds() + " s.");
            return false;
        }
        out.println("   After " + (System.nanoTime() - began) / 1_000_000 + " ms the log start offset moved from 0"
                + " to " + start.get() + " (Admin listOffsets, OffsetSpec.earliest()).");
        // The broker moves the log start first and renames the deleted segments' files just after: wait for
        // the files too, or a busy machine lists segments that are already gone.
        long logStart = start.get();
        Optional<List<SegmentFile>> after = before.isEmpty() ? Optional.empty() : WaitFor.until(deadline,
                () -> log.segments().orElseThrow(),
                files -> files.stream().noneMatch(file -> file.baseOffset() < logStart && !isLast(file, files)));
        if (before.isPresent() && after.isEmpty()) {
            after = log.segments();  // not gone within the deadline: show the files as they are
        }
        if (after.isPresent()) {
            List<Long> kept = after.get().stream().map(SegmentFile::baseOffset).toList();
            List<String> deleted = before.get().stream().filter(s -> !kept.contains(s.baseOffset()))
                    .map(SegmentFile::fileName).toList();
            out.println("   Deleted whole segments " + deleted + ": every record in them is older than retention.ms."
                    + " Left:");
            log.printSegments(after.get(), true, out);
            out.println("   The segment holding offset " + OLD_RECORDS + " stays, old records and all, because it"
                    + " also holds new ones: retention deletes whole segments only.");
        }
        return true;
    }

    /** The last segment may start below the log start and hold it: it is never deleted while it is active. */
    private static boolean isLast(SegmentFile file, List<SegmentFile> files) {
        return files.get(files.size() - 1).equals(file);
    }

    private void readFromOffsetZero() throws Exception {
        out.println("5. A consumer asks for offset 0, which is gone:");
        try (KafkaConsumer<String, String> strict = log.consumer("none")) {
            strict.assign(List.of(log.partition()));
            strict.seek(log.partition(), 0);
            Optional<ConsumerRecords<String, String>> polled = WaitFor.until(deadline,
                    () -> strict.poll(Duration.ofMillis(200)), records -> !records.isEmpty());
            throw new IllegalStateException(polled.isPresent()
                    ? "a consumer asking for offset 0 read offset " + polled.get().iterator().next().offset()
                            + " although auto.offset.reset=none"
                    : "poll() neither failed nor returned records within " + deadline.toSeconds() + " s");
        } catch (OffsetOutOfRangeException e) {
            out.println("   with auto.offset.reset=none, poll() throws " + e.getClass().getSimpleName() + " "
                    + e.offsetOutOfRangePartitions() + ": the application must decide where to go;");
        }
        try (KafkaConsumer<String, String> resetting = log.consumer("earliest")) {
            resetting.assign(List.of(log.partition()));
            resetting.seek(log.partition(), 0);
            ConsumerRecords<String, String> records = WaitFor.until(deadline,
                    () -> resetting.poll(Duration.ofMillis(200)), r -> !r.isEmpty())
                    .orElseThrow(() -> new IllegalStateException("no record read within " + deadline.toSeconds()
                            + " s"));
            out.println("   with auto.offset.reset=earliest, it is moved to the log start instead: the first record"
                    + " it reads is at offset " + records.iterator().next().offset() + ". (With latest it would skip"
                    + " to the end.)");
        }
    }

    private long retentionCheckIntervalMs() throws Exception {
        String broker = Integer.toString(admin.describeCluster().nodes().get(deadline.toSeconds(), TimeUnit.SECONDS)
                .iterator().next().id());
        ConfigResource resource = new ConfigResource(ConfigResource.Type.BROKER, broker);
        Config config = admin.describeConfigs(List.of(resource)).all().get(deadline.toSeconds(), TimeUnit.SECONDS)
                .get(resource);
        return Long.parseLong(config.get("log.retention.check.interval.ms").value());
    }
}
