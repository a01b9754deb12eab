package dev.kafkaprimer.examples.segments;

import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import dev.kafkaprimer.examples.cli.WaitFor;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Stage 6 of {@link SegmentsExample}: a compacted topic, where the log cleaner keeps only the latest record of
 * each key in the segments it may clean. Not thread-safe.
 */
final class CompactionDemo {

    static final List<String> USERS = List.of("user-1", "user-2", "user-3");
    static final int VALUES_PER_USER = 5;
    /** Roll a segment when a record comes this long after the segment's first: the newest is never cleaned. */
    static final Duration SEGMENT_MS = Duration.ofMillis(100);
    private static final Duration HOLD_OFF = Duration.ofHours(1);

    private final Admin admin;
    private final PartitionLog log;
    private final Map<String, Object> client;
    private final Duration deadline;
    private final PrintStream out;

    CompactionDemo(Admin admin, PartitionLog log, Map<String, Object> client, Duration deadline,
                   PrintStream out) {
        this.admin = admin;
        this.log = log;
        this.client = client;
        this.deadline = deadline;
        this.out = out;
    }

    /** Runs stage 6; false if the cleaner did not compact the log within the deadline. */
    boolean run() throws Exception {
        String topic = log.partition().topic();
        SegmentsExample.create(admin, new NewTopic(topic, 1, (short) 1).configs(Map.of(
                "cleanup.policy", "compact",
                "segment.ms", Long.toString(SEGMENT_MS.toMillis()),
                // Clean as soon as 1% of the log is superseded records (default 50%).
                "min.cleanable.dirty.ratio", "0.01",
                // Records younger than an hour are not compacted: holds the cleaner off until we have looked.
                "min.compaction.lag.ms", Long.toString(HOLD_OFF.toMillis()))), deadline);
        out.println("6. Created topic '" + topic + "': cleanup.policy=compact, segment.ms=" + SEGMENT_MS.toMillis()
                + ", min.cleanable.dirty.ratio=0.01, min.compaction.lag.ms=" + HOLD_OFF.toMillis() + " (for now).");
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(producerConfig(), new StringSerializer(), new StringSerializer())) {
            for (int round = 1; round <= VALUES_PER_USER; round++) {
                for (String user : USERS) {
                    producer.send(new ProducerRecord<>(topic, 0, user, "v" + round));
                }
            }
            producer.flush();
            // A segment rolls only when a record arrives after segment.ms; the cleaner never touches the segment
            // being written. So: let segment.ms pass, then write one more record, which starts a new segment.
            Thread.sleep(SEGMENT_MS.multipliedBy(3).toMillis());
            producer.send(new ProducerRecord<>(topic, 0, "user-4", "v1")).get();
        }
        List<ConsumerRecord<String, String>> before = log.readAll();
        out.println("   Produced " + VALUES_PER_USER + " values for each of " + USERS + " (v1..v" + VALUES_PER_USER
                + "), then user-4=v1 after segment.ms, which rolled a new segment. " + before.size()
                + " records before cleaning:");
        out.println("   " + describe(before));
        printSegments();
        SegmentsExample.setTopicConfig(admin, topic, "min.compaction.lag.ms", "0", deadline);
        out.println("   Set min.compaction.lag.ms=0. Waiting for the log cleaner (it looks for dirty logs every"
                + " log.cleaner.backoff.ms: 15 s by default, 200 ms in the embedded broker)...");
        long began = System.nanoTime();
        Optional<List<ConsumerRecord<String, String>>> after = WaitFor.until(deadline, log::readAll,
                this::onePerKey);
        if (after.isEmpty()) {
            out.println("segments: FAILED: the cleaner did not compact '" + topic + "' within " + deadline.toSeconds()
                    + " s.");
            return false;
        }
        out.println("   After " + (System.nanoTime() - began) / 1_000_000 + " ms, " + after.get().size()
                + " records are left, the latest per key, at their old offsets (offsets are never renumbered):");
        out.println("   " + describe(after.get()));
        printSegments();
        return true;
    }

    private boolean onePerKey(List<ConsumerRecord<String, String>> records) {
        Map<String, Long> perKey = records.stream()
                .collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
        return perKey.values().stream().allMatch(count -> count == 1);
    }

    private void printSegments() throws Exception {
        Optional<List<SegmentFile>> segments = log.segments();
        if (segments.isPresent()) {
            out.println("   on disk:");
            log.printSegments(segments.get(), false, out);
        }
    }

    private static String describe(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(r -> r.offset() + ":" + r.key() + "=" + r.value())
                .collect(Collectors.joining(" "));
    }

    private Map<String, Object> producerConfig() {
        // Where the cluster is, and how to log in and encrypt.
        Map<String, Object> config = new HashMap<>(client);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) deadline.toMillis());
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) deadline.toMillis() / 2);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) deadline.toMillis());
        return config;
    }
}
