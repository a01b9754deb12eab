package dev.kafkaprimer.examples.bench;

import java.time.Duration;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kafkaprimer.core.consumer.Ordering;

/**
 * Consumer throughput of one side: a fresh topic is filled with the workload (not timed), then a consumer in a
 * new group reads it all, deserializing each value and committing after each poll. Timed from the first record
 * handed to the handler to the last one handled, so joining the group (and a broker's initial rebalance delay,
 * 3 s on a default broker) does not count as consuming.
 */
final class ConsumerRace implements AutoCloseable {

    private final BenchClients clients;
    private final ObjectMapper mapper;
    private final BenchTopics topics;
    private final Workload workload;
    private final Duration deadline;
    private final Sender filler;
    private final String name;
    private final Ordering ordering;
    private final int concurrency;

    /** Our side is the sequential commit loop. */
    ConsumerRace(BenchClients clients, ObjectMapper mapper, BenchTopics topics, Workload workload,
                 Duration deadline) {
        this(clients, mapper, topics, workload, deadline, "consumer", Ordering.PARTITION, 1);
    }

    /**
     * Our side hands records to {@code concurrency} workers, keeping {@code ordering}; topics and groups are
     * named after {@code name}.
     */
    ConsumerRace(BenchClients clients, ObjectMapper mapper, BenchTopics topics, Workload workload,
                 Duration deadline, String name, Ordering ordering, int concurrency) {
        this.name = name;
        this.ordering = ordering;
        this.concurrency = concurrency;
        this.clients = clients;
        this.mapper = mapper;
        this.topics = topics;
        this.workload = workload;
        this.deadline = deadline;
        this.filler = Sender.of(Side.RAW, clients, mapper);
    }

    Throughput run(Side side, String run) throws Exception {
        String topic = topics.create(name + "-" + run);
        try {
            fill(topic);
            RecordSink sink = RecordSink.counting(workload.events().size());
            // CPU from the reader's start: joining the group is included, a few milliseconds on either side.
            long cpuStart = ProcessCpu.nanos();
            long cpuNanos;
            Reader reader = Reader.start(side, clients, ordering, concurrency, mapper,
                    topics.prefix() + name + "-group-" + run, topic, sink);
            try {
                sink.awaitAll(deadline);
                cpuNanos = ProcessCpu.since(cpuStart);
            } finally {
                reader.stop();
            }
            return new Throughput(workload.events().size(), workload.valueBytes(), sink.spanNanos(), cpuNanos);
        } finally {
            topics.delete(topic);
        }
    }

    private void fill(String topic) throws Exception {
        AckCounter acks = new AckCounter();
        for (BenchEvent event : workload.events()) {
            filler.send(topic, event, acks);
        }
        filler.flush();
        acks.requireAll(workload.events().size());
    }

    @Override
    public void close() {
        filler.close();
    }
}
