package dev.kafkaprimer.examples.offsets;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.kafkaprimer.core.admin.ConsumerGroupLag;
import dev.kafkaprimer.core.admin.PartitionLag;
import dev.kafkaprimer.core.admin.TopicAdmin;
import dev.kafkaprimer.core.consumer.ConsumerOptions;
import dev.kafkaprimer.core.producer.JsonProducer;
import dev.kafkaprimer.core.producer.ProducerOptions;
import dev.kafkaprimer.core.producer.SendResult;
import dev.kafkaprimer.examples.cli.Example;
import dev.kafkaprimer.examples.cli.ExampleOptions;
import dev.kafkaprimer.examples.cli.FreshTopic;
import dev.kafkaprimer.examples.cli.KafkaConnection;
import dev.kafkaprimer.examples.cli.ParsedOptions;
import dev.kafkaprimer.examples.cli.WaitFor;
import dev.kafkaprimer.examples.watch.Watch;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The offset is a consumer group's bookmark in a partition: the broker keeps it for the group, and it names
 * the next record to read. Decomposed into the following stages, on a topic with one partition.
 * <ol>
 *   <li>produce 10 records: offsets 0 to 9;</li>
 *   <li>a group member reads 5 of them and commits: the committed offset is 5, the next record to read;</li>
 *   <li>the member stops; the group's committed offset, log-end offset and lag, read with the Admin client;</li>
 *   <li>a new member of the same group resumes at offset 5: nothing read twice, nothing skipped;</li>
 *   <li>replay: {@code seekToBeginning()} moves it back to offset 0 and it reads everything again.</li>
 * </ol>
 */
public final class OffsetsExample implements Example {

    private static final int RECORDS = 10;
    private static final int READ_FIRST = 5;

    @Override
    public String name() {
        return "offsets";
    }

    @Override
    public String summary() {
        return "commit 5 of 10 records, stop, resume at offset 5, committed vs log-end (lag), replay from 0";
    }

    @Override
    public ExampleOptions options() {
        return Watch.withWeb(new ExampleOptions()
                .topic("--topic", "offsets-demo", "the topic (recreated for each run)")
                .timeout("30", 1, 3600, "deadline for each step, e.g. a record to arrive")
                .keepTopic("leave the topic and its records in place"));
    }

    @Override
    public void checkBeforeStart(ParsedOptions args) {
        Watch.checkOptions(args);
    }

    @Override
    public int run(ParsedOptions args, KafkaConnection kafka, PrintStream printed) throws Exception {
        try (Watch watch = Watch.start(name(), args, printed)) {
            return run(args, kafka, watch, watch.web().echo(printed));
        }
    }

    private int run(ParsedOptions args, KafkaConnection kafka, Watch watch, PrintStream out) throws Exception {
        String topic = args.string("--topic");
        Duration timeout = args.timeout();
        String group = "offsets-" + UUID.randomUUID().toString().substring(0, 8);
        ConsumerOptions options = watch.web().listenTo(ConsumerOptions.builder(kafka.bootstrapServers(), group,
                        List.of(topic))
                .security(kafka.security())
                .pollTimeout(Duration.ofMillis(200)), "reader")
                .build();
        PartitionLag afterFirst;
        long resumedAt;
        long replayedFrom;
        PartitionLag afterReplay;
        try (TopicAdmin topics = TopicAdmin.connect(kafka.bootstrapServers(), kafka.security(), timeout);
             Admin admin = Admin.create(kafka.adminProperties(timeout))) {
            // stage 1: ten records in one partition
            FreshTopic.recreate(topics, topic, 1, timeout);
            watch.web().watch(kafka, topic, group);
            produce(kafka, topic, timeout, out);

            // stage 2: read five, commit
            out.println("2. A member of the new group '" + group + "' reads " + READ_FIRST + " records, commits, "
                    + "and stops:");
            try (Reader first = Reader.start(options, READ_FIRST - 1)) {
                printRecords(first, READ_FIRST, timeout, out);
                first.awaitStopped(timeout);
            }
            afterFirst = lagOnceCommitted(admin, group, READ_FIRST, timeout);
            out.println("   Committed offset of partition " + afterFirst.partition().partition() + ": "
                    + afterFirst.committedOffset().getAsLong() + ". That is the NEXT record to read, not the last "
                    + "one read (" + (READ_FIRST - 1) + ").");

            // stage 3: nobody reads; the broker still knows where the group is
            out.println("3. The group has no members now; the broker keeps its offset. Committed vs log-end, read "
                    + "with ConsumerGroupLag:");
            printLag(afterFirst, out);

            try (Reader second = Reader.start(options)) {
                // stage 4: resume
                out.println("4. A new member of the same group starts. It resumes at the committed offset:");
                resumedAt = printRecords(second, RECORDS - READ_FIRST, timeout, out).get(0).offset();
                out.println("   It started at offset " + resumedAt + (resumedAt == READ_FIRST
                        ? ": offsets 0 to " + (READ_FIRST - 1) + " were not read again, none was skipped."
                        : ", NOT at the committed offset " + READ_FIRST + "."));
                printLag(lagOnceCommitted(admin, group, RECORDS, timeout), out);

                // stage 5: replay
                Map<TopicPartition, Long> positions = second.seekToBeginning()
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                out.println("5. Replay: seekToBeginning() moved partition 0 to offset "
                        + positions.get(new TopicPartition(topic, 0)) + " (its oldest record). The member reads "
                        + "everything again:");
                replayedFrom = printRecords(second, RECORDS, timeout, out).get(0).offset();
                out.println("   The loop commits as it goes: after the replay the committed offset is at the end "
                        + "again.");
                afterReplay = lagOnceCommitted(admin, group, RECORDS, timeout);
                printLag(afterReplay, out);
                watch.hold(out);
            }
            if (args.keepTopic()) {
                out.println("   Keeping topic '" + topic + "' (--keep-topic).");
            } else {
                topics.deleteTopic(topic);
                out.println("   Deleted topic '" + topic + "'.");
            }
        }
        boolean ok = resumedAt == READ_FIRST && replayedFrom == 0 && afterReplay.lag().getAsLong() == 0;
        out.println("offsets: " + (ok ? "OK" : "FAILED") + " committed=" + afterFirst.committedOffset().getAsLong()
                + " lag-while-stopped=" + afterFirst.lag().getAsLong() + " resumed-at=" + resumedAt
                + " replayed-from=" + replayedFrom + " lag-at-end=" + afterReplay.lag().getAsLong());
        return ok ? 0 : 1;
    }

    private static void produce(KafkaConnection kafka, String topic, Duration timeout, PrintStream out) {
        ProducerOptions options = ProducerOptions.builder(kafka.bootstrapServers()).security(kafka.security())
                .maxBlock(timeout).build();
        SendResult first = null;
        SendResult last = null;
        try (JsonProducer<String, Entry> producer = JsonProducer.create(options)) {
            for (int i = 0; i < RECORDS; i++) {
                last = producer.sendAndWait(topic, null, new Entry(i), timeout);
                if (i == 0) {
                    first = last;
                }
            }
        }
        out.println("1. Topic '" + topic + "' created afresh with 1 partition. Produced " + RECORDS + " records to "
                + "partition " + last.partition() + ": offsets " + first.offset() + " to " + last.offset() + ".");
    }

    /** Takes {@code count} records from the reader, printing each. */
    private static List<ConsumerRecord<String, Entry>> printRecords(Reader reader, int count, Duration timeout,
                                                                    PrintStream out) throws InterruptedException {
        List<ConsumerRecord<String, Entry>> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ConsumerRecord<String, Entry> record = reader.next(timeout);
            out.println("   partition " + record.partition() + ", offset " + record.offset() + ": entry "
                    + record.value().number());
            records.add(record);
        }
        return records;
    }

    /**
     * The group's lag on its one partition, once its committed offset is {@code expected}: the loop commits
     * after each batch, a moment after it handed the records over.
     */
    private static PartitionLag lagOnceCommitted(Admin admin, String group, long expected, Duration timeout)
            throws Exception {
        Optional<PartitionLag> lag = WaitFor.until(timeout,
                () -> ConsumerGroupLag.read(admin, group, timeout).stream().findFirst().orElse(null),
                found -> found != null && found.committedOffset().orElse(-1) == expected);
        return lag.orElseThrow(() -> new IllegalStateException("the group did not commit offset " + expected
                + " within " + timeout.toSeconds() + " s"));
    }

    private static void printLag(PartitionLag lag, PrintStream out) {
        out.println("   partition " + lag.partition().partition() + ": committed " + lag.committedOffset().getAsLong()
                + ", log-end " + lag.logEndOffset() + ", lag " + lag.lag().getAsLong()
                + (lag.lag().getAsLong() == 0 ? " (caught up)" : " (written but not yet processed by the group)"));
    }
}
