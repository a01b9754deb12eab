package dev.kafkaprimer.examples.failover;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import dev.kafkaprimer.examples.cli.WaitFor;
import dev.kafkaprimer.testkit.BrokerStop;
import dev.kafkaprimer.testkit.EmbeddedKafkaCluster;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartitionInfo;

/** One run of {@link FailoverExample}: its stages, in order, on one embedded cluster. Not thread-safe. */
final class FailoverRun {

    private static final int PARTITIONS = 3;
    private static final int WATCHED = 0;
    /** How many more acknowledgements show that the producer is (still) getting through. */
    private static final int ACKS_TO_SEE = 100;

    private final EmbeddedKafkaCluster cluster;
    private final Map<String, Object> client;
    private final Admin admin;
    private final String topic;
    private final Duration deadline;
    private final PrintStream out;

    /** {@code client}: {@code bootstrap.servers} and security settings, for every client this run creates. */
    FailoverRun(EmbeddedKafkaCluster cluster, Map<String, Object> client, Admin admin, String topic,
                Duration deadline, PrintStream out) {
        this.cluster = cluster;
        this.client = client;
        this.admin = admin;
        this.topic = topic;
        this.deadline = deadline;
        this.out = out;
    }

    int run() throws Exception {
        // stage 1: a topic that survives one lost broker, and refuses writes with fewer than two in-sync copies
        createTopic();
        // stage 2: produce continuously in the background
        ContinuousProducer producer = new ContinuousProducer(client, topic,
                deadline.multipliedBy(4), deadline);
        Thread producing = new Thread(producer, "failover-producer");
        producing.start();
        try {
            awaitAcks(producer, ACKS_TO_SEE);
            out.println("2. Producing in the background: values 1, 2, 3, ... keyed user-1..user-"
                    + ContinuousProducer.USERS + ", idempotent, acks=all; " + producer.acknowledgedCount()
                    + " acknowledged so far.");
            // stage 3: the leader of partition 0 goes away
            int stopped = PartitionView.leader(partition(WATCHED));
            int elected = stopLeader(stopped, producer);
            // stage 4: it comes back and catches up
            restartAndRejoin(stopped, elected);
            awaitAcks(producer, producer.acknowledgedCount() + ACKS_TO_SEE);
        } finally {
            // stage 5: stop producing; closing the producer settles every send, acknowledged or failed
            producer.stop();
            producing.join(deadline.multipliedBy(2).toMillis());
        }
        if (producer.crash() != null) {
            throw producer.crash();
        }
        if (producing.isAlive()) {
            throw new IllegalStateException("the producer did not settle its sends within "
                    + deadline.multipliedBy(2).toSeconds() + " s of being stopped");
        }
        reportProducer(producer);
        // stage 6: two brokers down, one in-sync replica left
        List<Integer> stoppedTwo = stopAllButLeader();
        boolean refused = probeRefusals();
        // stage 7: all back
        bringBack(stoppedTwo);
        // stage 8: count what is in the topic against what was acknowledged
        ReadBack tally = ReadBack.of(client, topic, producer.acknowledged(), deadline);
        out.println("8. Read every partition from the beginning: " + tally.read() + " numbered values, plus "
                + tally.others() + " probe record(s) from stage 7.");
        out.println("failover: acknowledged=" + producer.acknowledgedCount() + " read=" + tally.read() + " lost="
                + tally.lost() + " duplicates=" + tally.duplicates());
        return tally.lost() > 0 || tally.duplicates() > 0 || !refused ? 1 : 0;
    }

    private void createTopic() throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 3)
                .configs(Map.of("min.insync.replicas", "2")))).all().get(deadline.toSeconds(), TimeUnit.SECONDS);
        List<TopicPartitionInfo> partitions = await("all replicas of '" + topic + "' in sync",
                () -> PartitionView.all(admin, topic, deadline), PartitionView::fullyInSync);
        out.println("1. Created topic '" + topic + "': " + PARTITIONS + " partitions, replication factor 3,"
                + " min.insync.replicas=2 (an acks=all write needs 2 in-sync copies).");
        partitions.forEach(p -> out.println("   " + PartitionView.describe(p)));
    }

    private int stopLeader(int leader, ContinuousProducer producer) throws Exception {
        boolean abrupt = cluster.brokerStop() == BrokerStop.ABRUPT;
        out.println("3. Stopping broker " + leader + ", leader of partition " + WATCHED + ", " + (abrupt
                ? "abruptly: no controlled shutdown, it hands no leadership over, as a crashed broker would."
                : "with a controlled shutdown: it hands its leaderships over first."));
        long began = System.nanoTime();
        cluster.stopNode(leader);
        long stoppedMs = millisSince(began);
        if (PartitionView.leader(partition(WATCHED)) == leader) {
            out.println("   Stopped in " + stoppedMs + " ms. The metadata still names broker " + leader
                    + " as leader of partition " + WATCHED + ": nobody has told the controller.");
        }
        TopicPartitionInfo after = await("a new leader for partition " + WATCHED, () -> partition(WATCHED),
                p -> PartitionView.leader(p) != -1 && PartitionView.leader(p) != leader);
        long electedMs = millisSince(began);
        out.println("   After " + electedMs + " ms the controller " + (abrupt
                ? "had missed broker " + leader + "'s heartbeats for broker.session.timeout.ms (3 s here, 9 s by"
                + " default), fenced it, and"
                : "") + " elected broker " + after.leader().id() + " from the in-sync replicas: "
                + PartitionView.describe(after));
        awaitAcks(producer, producer.acknowledgedCount() + ACKS_TO_SEE);
        out.println("   The producer kept going: " + producer.acknowledgedCount() + " acknowledged, "
                + producer.failed() + " failed; its sends to the vanished leader were retried to the new one.");
        return after.leader().id();
    }

    private void restartAndRejoin(int broker, int leader) throws Exception {
        long began = System.nanoTime();
        cluster.restartNode(broker);
        long upMs = millisSince(began);
        TopicPartitionInfo back = await("broker " + broker + " back in the in-sync replicas",
                () -> partition(WATCHED), p -> PartitionView.isr(p).contains(broker));
        out.println("4. Restarted broker " + broker + ": registered with the controller after " + upMs + " ms, back in"
                + " the in-sync replicas of partition " + WATCHED + " after " + millisSince(began) + " ms (it fetched"
                + " what it missed from broker " + leader + "): " + PartitionView.describe(back));
        if (PartitionView.leader(back) != broker) {
            out.println("   Broker " + PartitionView.leader(back) + " stays leader: leadership goes back to the first"
                    + " listed (preferred) replica only at the periodic preferred-leader election (every 300 s by"
                    + " default).");
        }
    }

    private void reportProducer(ContinuousProducer producer) {
        out.println("5. Stopped producing: " + producer.sent() + " values sent, " + producer.acknowledgedCount()
                + " acknowledged, " + producer.failed() + " failed" + (producer.firstFailure() == null ? ""
                : " (first: " + producer.firstFailure() + ")") + ".");
        out.println("   Longest wait between two acknowledgements, per partition: " + producer.longestAckGapMs()
                .entrySet().stream().map(e -> "partition " + e.getKey() + " " + e.getValue() + " ms")
                .collect(Collectors.joining(", ")) + ".");
        out.println("   Partitions whose leader stayed up waited too: the stopped broker was still one of their in-sync"
                + " replicas, and acks=all waits for every in-sync replica until the controller removes it.");
    }

    private List<Integer> stopAllButLeader() throws Exception {
        int leader = PartitionView.leader(partition(WATCHED));
        List<Integer> others = cluster.brokerIds().stream().filter(id -> id != leader).toList();
        long began = System.nanoTime();
        for (int broker : others) {
            cluster.stopNode(broker);
        }
        TopicPartitionInfo alone = await("partition " + WATCHED + " down to one in-sync replica",
                () -> partition(WATCHED), p -> p.isr().size() < 2);
        out.println("6. Stopped brokers " + others + ". After " + millisSince(began) + " ms the controller fenced"
                + " them: " + PartitionView.describe(alone) + ", fewer than min.insync.replicas=2.");
        return others;
    }

    private boolean probeRefusals() throws Exception {
        Probe once = Probe.send(client, topic, WATCHED, "probe-no-retries", Probe.Retries.NONE);
        out.println("   acks=all write, no retries: " + (once.refused()
                ? "refused after " + once.tookMs() + " ms with " + once.errorText()
                : "ACCEPTED at offset " + once.written().offset() + " (not expected!)"));
        Probe retried = Probe.send(client, topic, WATCHED, "probe-retries",
                Probe.Retries.UNTIL_DELIVERY_TIMEOUT);
        out.println("   acks=all write, idempotent with retries (as in production): retried until delivery.timeout.ms="
                + Probe.SHORT_DELIVERY_TIMEOUT.toMillis() + ", then " + (retried.refused()
                ? "failed after " + retried.tookMs() + " ms with " + retried.errorText()
                : "ACCEPTED at offset " + retried.written().offset() + " (not expected!)"));
        out.println("   Either way the application is told the write did not happen: Kafka refuses it rather than"
                + " keep it on one broker and risk losing it.");
        return once.refused() && retried.refused();
    }

    private void bringBack(List<Integer> brokers) throws Exception {
        long began = System.nanoTime();
        for (int broker : brokers) {
            cluster.restartNode(broker);
        }
        await("every replica of '" + topic + "' in sync", () -> PartitionView.all(admin, topic, deadline),
                PartitionView::fullyInSync);
        long inSyncMs = millisSince(began);
        Probe accepted = Probe.send(client, topic, WATCHED, "probe-after-recovery",
                Probe.Retries.UNTIL_DELIVERY_TIMEOUT);
        if (accepted.refused()) {
            throw new IllegalStateException("an acks=all write failed with every broker back: " + accepted.errorText(),
                    accepted.error());
        }
        out.println("7. Restarted brokers " + brokers + ": every replica in sync again after " + inSyncMs + " ms; an"
                + " acks=all write is accepted at partition " + WATCHED + ", offset " + accepted.written().offset()
                + ".");
    }

    private void awaitAcks(ContinuousProducer producer, int atLeast) throws Exception {
        await(atLeast + " acknowledged values", producer::acknowledgedCount, n -> n >= atLeast);
    }

    private TopicPartitionInfo partition(int partition) throws Exception {
        return PartitionView.partition(admin, topic, partition, deadline);
    }

    private <T> T await(String what, Callable<T> probe, Predicate<T> accept) throws Exception {
        return WaitFor.until(deadline, probe, accept).orElseThrow(() -> new IllegalStateException(
                "waited " + deadline.toSeconds() + " s for " + what + " in vain"));
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
