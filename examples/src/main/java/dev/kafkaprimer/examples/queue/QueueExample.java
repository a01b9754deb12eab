package dev.kafkaprimer.examples.queue;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ShareGroupDescription;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnsupportedVersionException;

import dev.kafkaprimer.core.admin.ShareGroupSettings;
import dev.kafkaprimer.core.admin.TopicAdmin;
import dev.kafkaprimer.core.consumer.CommitLoop;
import dev.kafkaprimer.core.consumer.ConsumerOptions;
import dev.kafkaprimer.core.consumer.DeadLetter;
import dev.kafkaprimer.core.consumer.DeadLetterReader;
import dev.kafkaprimer.core.consumer.OffsetReset;
import dev.kafkaprimer.core.consumer.ShareCounts;
import dev.kafkaprimer.core.consumer.ShareLoop;
import dev.kafkaprimer.core.consumer.ShareOptions;
import dev.kafkaprimer.core.producer.JsonProducer;
import dev.kafkaprimer.core.producer.ProducerOptions;
import dev.kafkaprimer.core.producer.SendResult;
import dev.kafkaprimer.examples.cli.Example;
import dev.kafkaprimer.examples.cli.ExampleFailedException;
import dev.kafkaprimer.examples.cli.ExampleOptions;
import dev.kafkaprimer.examples.cli.FreshTopic;
import dev.kafkaprimer.examples.cli.GroupWait;
import dev.kafkaprimer.examples.cli.KafkaConnection;
import dev.kafkaprimer.examples.cli.LoopThread;
import dev.kafkaprimer.examples.cli.ParsedOptions;
import dev.kafkaprimer.examples.cli.WaitFor;
import dev.kafkaprimer.examples.watch.Watch;

/**
 * Kafka's queues: a share group against a consumer group on the same two partitions, then a share member
 * killed while it holds records, and a poison record. In stages:
 * <ol>
 *   <li>prepare: a fresh topic with 2 partitions, its dead-letter topic, a share group told to start at the
 *       beginning with a short record lock;</li>
 *   <li>start 6 members of the share group and 6 of a consumer group, and show what each was assigned;</li>
 *   <li>produce jobs; both groups do all of them, each job taking a few milliseconds, a few failing once in the
 *       share group (released, redelivered); each member prints how many it did;</li>
 *   <li>a share member in a JVM of its own takes jobs and is killed with SIGKILL holding them: the others get
 *       them, with delivery count 2;</li>
 *   <li>a poison record: dead-lettered and rejected, never delivered again;</li>
 *   <li>the end check: every job accepted once, nothing left to deliver.</li>
 * </ol>
 */
public final class QueueExample implements Example {

    private static final Duration SETUP_DEADLINE = Duration.ofSeconds(60);
    private static final String DEAD_LETTER_SUFFIX = ".DLT";
    /** The share group's record lock: short, so that a dead member's records come back soon. */
    private static final Duration LOCK = Duration.ofSeconds(5);
    /** Each job's work. */
    private static final long WORK_MS = 5;
    /** One job in this many fails its first delivery in the share group: a flaky downstream service. */
    private static final int FLAKY_EVERY = 100;
    /** Records the killed member takes and holds. */
    private static final int HELD = 10;
    /** Jobs written for the crash stage. */
    private static final int CRASH_JOBS = 40;

    @Override
    public String name() {
        return "queue";
    }

    @Override
    public String summary() {
        return "share groups (Kafka's queues): 6 members busy on 2 partitions; a member SIGKILLed, its records redelivered";
    }

    @Override
    public ExampleOptions options() {
        return Watch.withWeb(new ExampleOptions()
                .integer("--jobs", "N", "600", 10, 1_000_000, "jobs for the two groups to do")
                .integer("--members", "N", "6", 2, 50, "members of each group")
                .integer("--partitions", "N", "2", 1, 100, "partitions of the topic")
                .topic("--topic", "queue-jobs", "the topic (recreated for each run)", DEAD_LETTER_SUFFIX)
                .timeout("120", 1, 86_400, "give up if the groups have not done every job by then"));
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
        int jobs = args.integer("--jobs");
        int members = args.integer("--members");
        int partitions = args.integer("--partitions");
        long giveUpAt = System.nanoTime() + args.timeout().toNanos();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String shareGroup = "queue-share-" + run;
        String consumerGroup = "queue-group-" + run;
        try (TopicAdmin topics = TopicAdmin.connect(kafka.bootstrapServers(), kafka.security(), SETUP_DEADLINE);
             Admin admin = Admin.create(kafka.adminProperties(SETUP_DEADLINE))) {
            requireShareGroups(topics);
            FreshTopic.recreate(topics, topic, partitions, SETUP_DEADLINE);
            FreshTopic.recreate(topics, topic + DEAD_LETTER_SUFFIX, 1, SETUP_DEADLINE);
            // The view shows the share group: several members per partition, its start offset as "acknowledged".
            watch.web().watchShareGroup(kafka, topic, shareGroup);
            out.println("1. Prepared '" + topic + "' (" + partitions + " partitions) and its dead-letter topic '"
                    + topic + DEAD_LETTER_SUFFIX + "'. Share group '" + shareGroup + "': "
                    + configureShareGroup(topics, shareGroup) + ".");

            JobTally shareTally = new JobTally();
            JobTally groupTally = new JobTally();
            List<ShareLoop<String, Job>> shareLoops = new ArrayList<>();
            List<LoopThread> threads = new ArrayList<>();
            try {
                for (int i = 1; i <= members; i++) {
                    ShareLoop<String, Job> loop = shareMember(kafka, topic, shareGroup, "share-" + i, shareTally,
                            jobs);
                    shareLoops.add(loop);
                    threads.add(LoopThread.start("share-" + i, loop));
                    threads.add(LoopThread.start("group-" + i,
                            groupMember(kafka, topic, consumerGroup, "group-" + i, groupTally)));
                }
                out.println("2. Started " + members + " members of share group '" + shareGroup + "' and " + members
                        + " of consumer group '" + consumerGroup + "', on the same topic.");
                awaitMembers(admin, shareGroup, consumerGroup, members, giveUpAt, threads, out);

                Map<Integer, Integer> perPartition = produceJobs(kafka, topic, 0, jobs);
                out.println("3. Produced " + jobs + " jobs, key = job-N: " + ranges(perPartition) + ". Each takes "
                        + WORK_MS + " ms; in the share group one job in " + FLAKY_EVERY + " fails its first delivery "
                        + "(a flaky service).");
                long started = System.nanoTime();
                double shareSeconds = awaitSeconds(started, giveUpAt, threads, "the share group to accept " + jobs
                        + " jobs", () -> shareTally.distinctJobs() >= jobs);
                double groupSeconds = awaitSeconds(started, giveUpAt, threads, "the consumer group to commit "
                        + jobs + " jobs", () -> groupLagIsZero(topics, consumerGroup));
                int busyShare = printMembers(out, "share group", shareSeconds, members, "share-", shareTally, "");
                int busyGroup = printMembers(out, "consumer group", groupSeconds, members, "group-", groupTally,
                        " (no partition: one owner per partition)");
                ShareCounts firstCounts = sum(shareLoops);
                out.println("   " + firstCounts.released() + " jobs failed once in the share group: RELEASED, and "
                        + "each came back with delivery count 2 and was ACCEPTED.");
                stopAll(threads);
                threads.clear();

                crashStage(kafka, topic, shareGroup, jobs, members, shareTally, shareLoops, threads, giveUpAt, out);
                RecordMetadataText poison = poisonStage(kafka, topic, shareLoops, giveUpAt, threads, out);

                watch.hold(out);
                stopAll(threads);
                threads.clear();
                return endCheck(topics, kafka, topic, shareGroup, jobs + CRASH_JOBS, shareTally, sum(shareLoops),
                        busyShare, busyGroup, members, poison, out);
            } finally {
                threads.forEach(thread -> thread.stopQuietly(Duration.ofSeconds(10)));
            }
        }
    }

    private static void requireShareGroups(TopicAdmin topics) {
        try {
            topics.requireShareGroups();
        } catch (UnsupportedVersionException e) {
            throw new ExampleFailedException("queue needs share groups: " + e.getMessage());
        }
    }

    /** Earliest, so the group sees the jobs already written, and a short lock if the cluster allows one. */
    private static String configureShareGroup(TopicAdmin topics, String group) {
        try {
            topics.configureShareGroup(group, ShareGroupSettings.builder().autoOffsetReset(OffsetReset.EARLIEST)
                    .recordLockDuration(LOCK).build());
            return "share.auto.offset.reset=earliest, record lock " + LOCK.toSeconds() + " s";
        } catch (KafkaException e) {
            // A cluster with production bounds refuses locks under 15 s (group.share.min.record.lock.duration.ms).
            topics.configureShareGroup(group, ShareGroupSettings.builder().autoOffsetReset(OffsetReset.EARLIEST)
                    .build());
            return "share.auto.offset.reset=earliest, the cluster's default record lock (it refused "
                    + LOCK.toSeconds() + " s: " + e.getMessage() + ")";
        }
    }

    /** A member of the share group; jobs numbered below {@code flakyBelow} may fail their first delivery. */
    private static ShareLoop<String, Job> shareMember(KafkaConnection kafka, String topic, String group,
                                                      String name, JobTally tally, int flakyBelow) {
        tally.join(name);
        ShareOptions options = ShareOptions.builder(kafka.bootstrapServers(), group, List.of(topic))
                .security(kafka.security())
                .maxPollRecords(5) // a few at a time: the jobs spread over every member
                .pollTimeout(Duration.ofMillis(200))
                .build();
        return ShareLoop.forJson(options, Job.class, record -> {
            int delivery = record.deliveryCount().map(Short::intValue).orElse(1);
            int id = record.value().id();
            if (id < flakyBelow && id % FLAKY_EVERY == 0 && delivery == 1) {
                throw new IllegalStateException("job " + id + ": the service timed out");
            }
            Thread.sleep(WORK_MS);
            tally.finished(name, record.value().id(), delivery);
        });
    }

    private static CommitLoop<String, Job> groupMember(KafkaConnection kafka, String topic, String group,
                                                       String name, JobTally tally) {
        tally.join(name);
        ConsumerOptions options = ConsumerOptions.builder(kafka.bootstrapServers(), group, List.of(topic))
                .security(kafka.security())
                .pollTimeout(Duration.ofMillis(200))
                .build();
        return CommitLoop.forJson(options, Job.class, record -> {
            Thread.sleep(WORK_MS);
            tally.finished(name, record.value().id(), 1);
        });
    }

    /** Stage 2, the assignments: every share member gets every partition, one consumer member each partition. */
    private static void awaitMembers(Admin admin, String shareGroup, String consumerGroup, int members,
                                     long giveUpAt, List<LoopThread> threads, PrintStream out) throws Exception {
        ShareGroupDescription share = GroupWait.shareGroup(admin, shareGroup, members, left(giveUpAt),
                        () -> failIfStopped(threads))
                .orElseThrow(() -> new ExampleFailedException("share group " + shareGroup + " did not get "
                        + members + " members with partitions in time"));
        ConsumerGroupDescription consumers = GroupWait.consumerGroup(admin, consumerGroup, members, left(giveUpAt),
                        () -> failIfStopped(threads))
                .orElseThrow(() -> new ExampleFailedException("consumer group " + consumerGroup + " did not get "
                        + members + " stable members in time"));
        Map<Integer, Integer> sharers = new TreeMap<>();
        share.members().forEach(m -> m.assignment().topicPartitions()
                .forEach(p -> sharers.merge(p.partition(), 1, Integer::sum)));
        out.println("   share group:    " + members + " members, every one with a partition: " + sharers.entrySet()
                .stream().map(e -> "partition " + e.getKey() + " shared by " + e.getValue() + " members")
                .collect(Collectors.joining(", ")) + "; the broker hands each of them records of it");
        long owners = consumers.members().stream().filter(m -> !m.assignment().topicPartitions().isEmpty()).count();
        out.println("   consumer group: " + members + " members, " + owners + " with a partition, "
                + (members - owners) + " with none: a partition has one owner at a time");
    }

    private static Map<Integer, Integer> produceJobs(KafkaConnection kafka, String topic, int first, int count) {
        ProducerOptions options = ProducerOptions.builder(kafka.bootstrapServers()).security(kafka.security())
                .maxBlock(SETUP_DEADLINE).build();
        Map<Integer, Integer> perPartition = new TreeMap<>();
        try (JsonProducer<String, Job> producer = JsonProducer.create(options)) {
            List<CompletableFuture<SendResult>> sends = new ArrayList<>(count);
            for (int id = first; id < first + count; id++) {
                sends.add(producer.send(topic, "job-" + id, new Job(id)));
            }
            sends.forEach(sent -> perPartition.merge(sent.join().partition(), 1, Integer::sum));
        }
        return perPartition;
    }

    /** Each member's count, one line; returns how many members did any job. */
    private static int printMembers(PrintStream out, String group, double seconds, int members, String prefix,
                                    JobTally tally, String idleNote) {
        List<String> counts = new ArrayList<>();
        int busy = 0;
        for (int i = 1; i <= members; i++) {
            int done = tally.jobsOf(prefix + i);
            busy += done > 0 ? 1 : 0;
            counts.add(prefix + i + " " + done);
        }
        out.printf("   %-15s done in %.1f s, busy members %d/%d: %s%s%n", group + ":", seconds, busy, members,
                String.join(", ", counts), busy < members ? idleNote : "");
        return busy;
    }

    /**
     * Stage 4: the share members stop; a member in a JVM of its own joins, takes {@link #HELD} of the new jobs
     * and holds them; SIGKILL; five new members get them back with delivery count 2.
     */
    private static void crashStage(KafkaConnection kafka, String topic, String group, int firstJob, int members,
                                   JobTally tally, List<ShareLoop<String, Job>> shareLoops, List<LoopThread> threads,
                                   long giveUpAt, PrintStream out) throws Exception {
        HoldingMemberProcess holder = HoldingMemberProcess.start(kafka.bootstrapServers(), kafka.security(), topic,
                group, HELD);
        try {
            produceJobs(kafka, topic, firstJob, CRASH_JOBS);
            List<String> held = holder.awaitHolding(HELD, left(giveUpAt));
            out.println("4. The share members stopped. A member in a JVM of its own (pid " + holder.pid() + ") "
                    + "joined, and its handlers took " + held.size() + " of " + CRASH_JOBS + " new jobs and hold "
                    + "them, unacknowledged:");
            out.println("   " + String.join("; ", held));
            holder.kill();
            tally.killedNow();
            out.println("   Killed it with SIGKILL: no close(), no acknowledgement. " + (members - 1) + " members start. "
                    + "The broker sees the dead member's connection close and releases what it held; a member that "
                    + "hangs with its connection open keeps them until their locks end.");
        } finally {
            if (holder.isAlive()) {
                holder.kill();
            }
        }
        for (int i = members + 1; i < 2 * members; i++) {
            ShareLoop<String, Job> loop = shareMember(kafka, topic, group, "share-" + i, tally, firstJob);
            shareLoops.add(loop);
            threads.add(LoopThread.start("share-" + i, loop));
        }
        int total = firstJob + CRASH_JOBS;
        awaitSeconds(System.nanoTime(), giveUpAt, threads, "the " + (members - 1) + " members to accept every job",
                () -> tally.distinctJobs() >= total);
        List<String> back = new ArrayList<>();
        for (int id = firstJob; id < total; id++) {
            JobTally.Redelivery again = tally.redeliveryOf(id);
            if (again != null) {
                back.add("job " + id + " -> " + again.member() + " (delivery " + again.deliveryCount() + ", "
                        + again.nanosAfterKill() / 1_000_000 + " ms after the kill)");
            }
        }
        out.println("   Delivered again: " + back.size() + " jobs: " + String.join("; ", back) + ".");
    }

    /** What the example prints of where a record was written. */
    record RecordMetadataText(int partition, long offset) {
    }

    /** Stage 5: a record that is not a job; the member that gets it dead-letters it and rejects it. */
    private static RecordMetadataText poisonStage(KafkaConnection kafka, String topic,
                                                  List<ShareLoop<String, Job>> shareLoops, long giveUpAt,
                                                  List<LoopThread> threads, PrintStream out) throws Exception {
        Map<String, Object> producer = new java.util.HashMap<>(kafka.clientProperties());
        producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                org.apache.kafka.common.serialization.StringSerializer.class.getName());
        producer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                org.apache.kafka.common.serialization.StringSerializer.class.getName());
        org.apache.kafka.clients.producer.RecordMetadata written;
        try (org.apache.kafka.clients.producer.KafkaProducer<String, String> raw =
                     new org.apache.kafka.clients.producer.KafkaProducer<>(producer)) {
            written = raw.send(new ProducerRecord<>(topic, "poison", "this is not a job {")).get();
        }
        awaitSeconds(System.nanoTime(), giveUpAt, threads, "the poison record to be rejected",
                () -> sum(shareLoops).rejected() >= 1);
        out.println("5. Wrote a poison record (not JSON) to partition " + written.partition() + " offset "
                + written.offset() + ": the member that got it could not read it, wrote it to the dead-letter "
                + "topic and REJECTED it: the broker never delivers it again.");
        return new RecordMetadataText(written.partition(), written.offset());
    }

    /** Stage 6 and the end line. */
    private static int endCheck(TopicAdmin topics, KafkaConnection kafka, String topic, String group, int produced,
                                JobTally tally, ShareCounts counts, int busyShare, int busyGroup, int members,
                                RecordMetadataText poison, PrintStream out) throws Exception {
        Map<TopicPartition, Long> lag = WaitFor.until(SETUP_DEADLINE, () -> topics.shareGroupLag(group),
                found -> !found.isEmpty() && found.values().stream().allMatch(left -> left == 0))
                .orElse(topics.shareGroupLag(group));
        List<DeadLetter> letters = DeadLetterReader.readAll(kafka.clientProperties(), topic + DEAD_LETTER_SUFFIX,
                SETUP_DEADLINE);
        String letterDeliveries = letters.isEmpty() || letters.get(0).deliveryCount().isEmpty() ? "none"
                : Integer.toString(letters.get(0).deliveryCount().getAsInt());
        out.println("6. Share group '" + group + "' has left to deliver: " + lag.entrySet().stream()
                .map(e -> "partition " + e.getKey().partition() + " " + e.getValue()).collect(Collectors.joining(", "))
                + " (what kafka-share-groups.sh --describe shows as LAG). Dead-letter topic: " + letters.size()
                + " record(s), the poison one with delivery-count header " + letterDeliveries + ".");
        boolean ok = tally.distinctJobs() == produced && tally.finishedTwice() == 0 && counts.accepted() == produced
                && counts.rejected() == 1 && letters.size() == 1 && busyShare == members && busyGroup < members
                && lag.values().stream().allMatch(left -> left == 0);
        out.println("queue: " + (ok ? "OK" : "FAILED") + " produced=" + produced + " accepted=" + counts.accepted()
                + " released=" + counts.released() + " rejected=" + counts.rejected() + " redelivered="
                + counts.redelivered() + " busy-share-members=" + busyShare + "/" + members + " busy-group-members="
                + busyGroup + "/" + members + (ok ? "" : " distinct-jobs=" + tally.distinctJobs() + " twice="
                + tally.finishedTwice() + " dead-letters=" + letters.size() + " lag=" + lag));
        return ok ? 0 : 1;
    }

    private static double awaitSeconds(long started, long giveUpAt, List<LoopThread> threads, String what,
                                        java.util.function.BooleanSupplier done) throws Exception {
        WaitFor.until(left(giveUpAt), () -> {
            failIfStopped(threads);
            return done.getAsBoolean();
        }, Boolean.TRUE::equals, Duration.ofMillis(10))
                .orElseThrow(() -> new ExampleFailedException("timed out waiting for " + what));
        return (System.nanoTime() - started) / 1e9;
    }

    private static boolean groupLagIsZero(TopicAdmin topics, String group) {
        var lag = topics.groupLag(group);
        return !lag.isEmpty() && lag.stream().allMatch(p -> p.lag().orElse(1) == 0);
    }

    private static void failIfStopped(List<LoopThread> threads) {
        for (LoopThread thread : threads) {
            if (thread.failure() != null) {
                throw new ExampleFailedException(thread.name() + " stopped: " + thread.failure());
            }
        }
    }

    private static void stopAll(List<LoopThread> threads) throws InterruptedException {
        for (LoopThread thread : threads) {
            thread.stop(Duration.ofSeconds(30));
        }
    }

    private static ShareCounts sum(List<ShareLoop<String, Job>> loops) {
        return loops.stream().map(ShareLoop::counts).reduce(ShareCounts.NONE, ShareCounts::plus);
    }

    private static String ranges(Map<Integer, Integer> perPartition) {
        return perPartition.entrySet().stream()
                .map(e -> "partition " + e.getKey() + " offsets 0.." + (e.getValue() - 1))
                .collect(Collectors.joining(", "));
    }

    private static Duration left(long giveUpAt) {
        return Duration.ofNanos(Math.max(0, giveUpAt - System.nanoTime()));
    }
}
