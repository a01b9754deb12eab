package dev.kafkaprimer.examples.bench;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Producer throughput of one side: send every event of the workload to a fresh topic as fast as the producer
 * takes them, then flush. Timed from the first send until every record is acknowledged; creating the producer
 * and the topic is not timed.
 */
final class ProducerRace {

    private final BenchClients clients;
    private final ObjectMapper mapper;
    private final BenchTopics topics;
    private final Workload workload;

    ProducerRace(BenchClients clients, ObjectMapper mapper, BenchTopics topics, Workload workload) {
        this.clients = clients;
        this.mapper = mapper;
        this.topics = topics;
        this.workload = workload;
    }

    Throughput run(Side side, String run) throws Exception {
        String topic = topics.create("producer-" + run);
        try (Sender sender = Sender.of(side, clients, mapper)) {
            List<BenchEvent> events = workload.events();
            AckCounter acks = new AckCounter();
            long cpuStart = ProcessCpu.nanos();
            long start = System.nanoTime();
            for (BenchEvent event : events) {
                sender.send(topic, event, acks);
            }
            sender.flush();
            long nanos = System.nanoTime() - start;
            long cpuNanos = ProcessCpu.since(cpuStart);
            acks.requireAll(events.size());
            return new Throughput(events.size(), workload.valueBytes(), nanos, cpuNanos);
        } finally {
            topics.delete(topic);
        }
    }
}
