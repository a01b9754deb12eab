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

    /**
     * One run with the future-returning send on both sides: every future kept, read back after the flush, as code
     * that checks each send's outcome does.
     */
    Throughput runWithFutures(Side side, String run) throws Exception {
        String topic = topics.create("producer-futures-" + run);
        try (Sender sender = Sender.of(side, clients, mapper)) {
            List<BenchEvent> events = workload.events();
            List<java.util.concurrent.Future<?>> sent = new java.util.ArrayList<>(events.size());
            long cpuStart = ProcessCpu.nanos();
            long start = System.nanoTime();
            for (BenchEvent event : events) {
                sent.add(sender.sendWithFuture(topic, event));
            }
            sender.flush();
            for (java.util.concurrent.Future<?> outcome : sent) {
                outcome.get(); // done after the flush; throws if a send failed
            }
            long nanos = System.nanoTime() - start;
            return new Throughput(events.size(), workload.valueBytes(), nanos, ProcessCpu.since(cpuStart));
        } finally {
            topics.delete(topic);
        }
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
