package dev.kafkaprimer.examples.groups;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import dev.kafkaprimer.core.config.ClientSecurity;
import dev.kafkaprimer.core.consumer.CommitLoop;
import dev.kafkaprimer.core.consumer.ConsumerOptions;
import dev.kafkaprimer.core.consumer.RebalanceEvent;
import dev.kafkaprimer.examples.cli.LoopThread;
import dev.kafkaprimer.examples.watch.LiveView;
import dev.kafkaprimer.examples.watch.MetricsEndpoint;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.GroupProtocol;
import org.apache.kafka.common.TopicPartition;

/**
 * One member of the example's consumer group: a {@link CommitLoop} on a thread of its own that notes each
 * record it is handed in the {@link Deliveries}, and prints each change of its partitions as the rebalance
 * listener reports it, on its loop thread, the moment it happens.
 */
final class GroupMember {

    /** What every member shares, the metrics endpoint and the live view included (each maybe switched off). */
    record Settings(String bootstrapServers, ClientSecurity security, String topic, String groupId,
                    GroupProtocol protocol, MetricsEndpoint metrics, LiveView web) {

        /** What the protocol calls its rebalance counter: a group generation, or (KIP-848) a member epoch. */
        String generationName() {
            return protocol == GroupProtocol.CLASSIC ? "generation" : "epoch";
        }
    }

    private final String name;
    private final CommitLoop<String, Numbered> loop;
    /** Set once, by start(), before anyone else sees this object. */
    private LoopThread running;
    private final AtomicLong processed = new AtomicLong();
    private volatile int generation = -1;

    private GroupMember(String name, Settings settings, Deliveries deliveries, PrintStream out) {
        this.name = name;
        ConsumerOptions.Builder options = ConsumerOptions.builder(settings.bootstrapServers(), settings.groupId(),
                        List.of(settings.topic()))
                .groupProtocol(settings.protocol())
                .security(settings.security())
                // Back in poll() sooner: that is where a member takes part in a rebalance and sees close().
                .pollTimeout(Duration.ofMillis(200))
                // The coordinator lists members by client id: the same names as printed here.
                .property(ConsumerConfig.CLIENT_ID_CONFIG, name)
                .rebalanceListener(event -> report(event, settings, out));
        if (settings.protocol() == GroupProtocol.CLASSIC) {
            // A classic member learns of a rebalance from a heartbeat's answer: ask every half second, not 3 s.
            // (With the CONSUMER protocol the broker sets the interval: group.consumer.heartbeat.interval.ms.)
            options.property(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500);
        }
        settings.metrics().measure(options, name);
        settings.web().listenTo(options, name);
        this.loop = CommitLoop.forJson(options.build(), Numbered.class, record -> {
            deliveries.processed(record.partition(), record.offset());
            processed.incrementAndGet();
        });
    }

    /** Creates the member and starts its loop: it joins the group on its first poll. */
    static GroupMember start(String name, Settings settings, Deliveries deliveries, PrintStream out) {
        GroupMember member = new GroupMember(name, settings, deliveries, out);
        member.running = LoopThread.start(name, member.loop);
        return member;
    }

    private void report(RebalanceEvent event, Settings settings, PrintStream out) {
        generation = event.generation();
        out.println(String.format("   %-8s %-8s %-18s -> owns %-18s (%s %d)", name,
                event.change().name().toLowerCase(Locale.ROOT), list(event.partitions()),
                list(event.owned()), settings.generationName(), event.generation()));
    }

    String name() {
        return name;
    }

    /** The partitions this member owns right now. */
    Set<TopicPartition> assignment() {
        return loop.assignment();
    }

    /** The generation (or epoch) of this member's latest change; -1 before its first. */
    int generation() {
        return generation;
    }

    long processed() {
        return processed.get();
    }

    /** Why the loop stopped on its own, if it did; null while it runs or after a clean close. */
    Throwable failure() {
        return running.failure();
    }

    /**
     * Leaves the group cleanly: the loop commits what it finished, gives up its partitions (the listener
     * prints that) and says goodbye to the coordinator, which rebalances at once instead of waiting for a
     * session to time out.
     *
     * @throws IllegalStateException if the loop did not finish within {@code timeout}, or ended with a failure
     */
    void leave(Duration timeout) throws InterruptedException {
        running.stop(timeout);
    }

    /** Partition numbers in order, as {@code [0, 1, 5]}. */
    static String list(Set<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::partition).sorted().map(String::valueOf)
                .collect(Collectors.joining(", ", "[", "]"));
    }
}
