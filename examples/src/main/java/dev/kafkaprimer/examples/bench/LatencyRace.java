package dev.kafkaprimer.examples.bench;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * End-to-end latency of one side at a steady, moderate rate: the side's producer sends {@code count} events
 * at {@code perSecond}, each stamped when it is handed over, and the side's consumer notes when its handler
 * gets it. The consumer is reading before the timed events start (start-up events prove it), so the group
 * join is not in any latency.
 */
final class LatencyRace {

    private static final Duration START_UP_DEADLINE = Duration.ofSeconds(30);
    private static final Duration START_UP_PROBE = Duration.ofMillis(100);

    private final BenchClients clients;
    private final ObjectMapper mapper;
    private final BenchTopics topics;
    private final Workload workload;
    private final int count;
    private final int perSecond;
    private final Duration deadline;

    LatencyRace(BenchClients clients, ObjectMapper mapper, BenchTopics topics, Workload workload, int count,
                int perSecond, Duration deadline) {
        this.clients = clients;
        this.mapper = mapper;
        this.topics = topics;
        this.workload = workload;
        this.count = count;
        this.perSecond = perSecond;
        this.deadline = deadline;
    }

    Latencies run(Side side, String run) throws Exception {
        String topic = topics.create("latency-" + run);
        RecordSink sink = RecordSink.timing(count);
        Reader reader = Reader.start(side, clients, mapper, topics.prefix() + "group-" + run, topic, sink);
        try (Sender sender = Sender.of(side, clients, mapper)) {
            AckCounter acks = new AckCounter();
            int starters = awaitReading(sender, topic, sink, acks);
            long period = 1_000_000_000L / perSecond;
            long start = System.nanoTime();
            for (int seq = 0; seq < count; seq++) {
                long due = start + seq * period;
                for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
                sender.send(topic, workload.stamped(seq), acks);
            }
            sender.flush();
            sink.awaitAll(deadline);
            acks.requireAll(starters + count);
        } finally {
            reader.stop();
            topics.delete(topic);
        }
        return sink.latencies();
    }

    /** Sends a start-up event every 100 ms until the consumer has read one; returns how many were sent. */
    private int awaitReading(Sender sender, String topic, RecordSink sink, AckCounter acks) throws Exception {
        long giveUpAt = System.nanoTime() + START_UP_DEADLINE.toNanos();
        int sent = 0;
        while (System.nanoTime() < giveUpAt) {
            sender.send(topic, workload.starter(), acks);
            sender.flush();
            sent++;
            if (sink.awaitStarted(START_UP_PROBE)) {
                return sent;
            }
        }
        throw new IllegalStateException("the consumer read nothing from " + topic + " within "
                + START_UP_DEADLINE.toSeconds() + " s");
    }
}
