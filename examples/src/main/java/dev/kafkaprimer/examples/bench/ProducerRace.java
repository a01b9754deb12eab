package dev.kafkaprimer.examples.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Producer throughput of both sides in one round: each side has its own producer and topic, and after a first
 * slice that is not timed they take turns sending the workload in {@value #CHUNKS} slices, in the order ours,
 * raw, raw, ours, ours, raw, ... (or its mirror). Each slice is timed from its first send until its {@code
 * flush()} returns, every record acknowledged; a side's throughput is its slices together.
 *
 * <p>Why slices: on a small machine the broker, the JIT and the garbage collector share the cores with the
 * producer, and a side's whole run of a second could land in a slow stretch the other side's run missed (whole
 * runs of the same code here differed by up to half). Slices of a tenth of a second, taking turns, put both
 * sides in the same stretches, and the mirrored order cancels a steady drift. What the slices add, a flush every
 * {@code records / CHUNKS} records, is the same on both sides.
 */
final class ProducerRace {

    /** Slices per side and round. */
    static final int CHUNKS = 10;

    /** How each record's outcome is heard. */
    enum Outcomes {
        /** One {@code Callback} shared by all sends, counting acknowledgements. */
        CALLBACK,
        /** The send that returns a future: every future kept and read back after the slice's flush. */
        FUTURES
    }

    private final BenchClients clients;
    private final ObjectMapper mapper;
    private final BenchTopics topics;
    private final Workload workload;
    private final Outcomes outcomes;
    /** What runs as "ours": {@link Side#OURS}, or {@link Side#RAW} to race the raw producer against itself. */
    private final Side oursSide;

    ProducerRace(BenchClients clients, ObjectMapper mapper, BenchTopics topics, Workload workload,
                 Outcomes outcomes) {
        this(clients, mapper, topics, workload, outcomes, Side.OURS);
    }

    private ProducerRace(BenchClients clients, ObjectMapper mapper, BenchTopics topics, Workload workload,
                         Outcomes outcomes, Side oursSide) {
        this.clients = clients;
        this.mapper = mapper;
        this.topics = topics;
        this.workload = workload;
        this.outcomes = outcomes;
        this.oursSide = oursSide;
    }

    /**
     * The raw producer on both sides, callbacks counted: the same code against itself, so any ratio but 1.0 is
     * the noise of this machine, the floor under every other ratio of the stage.
     */
    static ProducerRace rawAgainstItself(BenchClients clients, ObjectMapper mapper, BenchTopics topics,
                                         Workload workload) {
        return new ProducerRace(clients, mapper, topics, workload, Outcomes.CALLBACK, Side.RAW);
    }

    /** One round of both sides; {@code oursFirst} chooses which side sends the first slice. */
    Interleaved.Pair<Throughput> round(String run, boolean oursFirst) throws Exception {
        String oursTopic = topics.create("producer-" + run + "-ours");
        String rawTopic = topics.create("producer-" + run + "-raw");
        try (Sender ours = Sender.of(oursSide, clients, mapper);
             Sender raw = Sender.of(Side.RAW, clients, mapper)) {
            List<BenchEvent> events = workload.events();
            // Not timed: a first slice on each side. A new producer's first slice to a new topic took three times
            // as long as the next ones here (metadata, producer id, connections, the broker's first appends).
            List<BenchEvent> first = events.subList(0, events.size() / CHUNKS);
            send(ours, oursTopic, first);
            send(raw, rawTopic, first);
            Timed oursTime = Timed.NONE;
            Timed rawTime = Timed.NONE;
            for (int chunk = 0; chunk < CHUNKS; chunk++) {
                List<BenchEvent> slice = events.subList(chunk * events.size() / CHUNKS,
                        (chunk + 1) * events.size() / CHUNKS);
                // ABBA: ours, raw, raw, ours, ... so a drift within the round favours neither side.
                if ((chunk % 2 == 0) == oursFirst) {
                    oursTime = oursTime.plus(send(ours, oursTopic, slice));
                    rawTime = rawTime.plus(send(raw, rawTopic, slice));
                } else {
                    rawTime = rawTime.plus(send(raw, rawTopic, slice));
                    oursTime = oursTime.plus(send(ours, oursTopic, slice));
                }
            }
            return new Interleaved.Pair<>(oursTime.of(workload), rawTime.of(workload));
        } finally {
            topics.delete(oursTopic);
            topics.delete(rawTopic);
        }
    }

    /** Sends {@code slice}, flushes, and returns the time and CPU it took; throws if a record failed. */
    private Timed send(Sender sender, String topic, List<BenchEvent> slice) throws Exception {
        long cpuStart = ProcessCpu.nanos();
        long start = System.nanoTime();
        if (outcomes == Outcomes.CALLBACK) {
            AckCounter acks = new AckCounter();
            for (BenchEvent event : slice) {
                sender.send(topic, event, acks);
            }
            sender.flush();
            long nanos = System.nanoTime() - start;
            long cpuNanos = ProcessCpu.since(cpuStart);
            acks.requireAll(slice.size());
            return new Timed(nanos, cpuNanos);
        }
        List<Future<?>> sent = new ArrayList<>(slice.size());
        for (BenchEvent event : slice) {
            sent.add(sender.sendWithFuture(topic, event));
        }
        sender.flush();
        for (Future<?> outcome : sent) {
            outcome.get(); // done after the flush; throws if a send failed
        }
        return new Timed(System.nanoTime() - start, ProcessCpu.since(cpuStart));
    }

    /** Wall-clock and CPU time of one slice, or of a side's slices added up; CPU -1 if unknown. */
    private record Timed(long nanos, long cpuNanos) {
        static final Timed NONE = new Timed(0, 0);

        Timed plus(Timed slice) {
            return new Timed(nanos + slice.nanos,
                    cpuNanos < 0 || slice.cpuNanos < 0 ? -1 : cpuNanos + slice.cpuNanos);
        }

        /** A side's throughput: every event of {@code workload} sent in this time. */
        Throughput of(Workload workload) {
            return new Throughput(workload.events().size(), workload.valueBytes(), nanos, cpuNanos);
        }
    }
}
