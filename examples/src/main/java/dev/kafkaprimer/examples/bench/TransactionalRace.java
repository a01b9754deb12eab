package dev.kafkaprimer.examples.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kafkaprimer.core.consumer.CommitLoop;
import dev.kafkaprimer.core.consumer.ConsumerOptions;
import dev.kafkaprimer.core.consumer.KeyDeserializers;
import dev.kafkaprimer.core.consumer.TransactionOptions;
import dev.kafkaprimer.core.json.JsonDeserializer;
import dev.kafkaprimer.core.producer.JsonProducer;
import dev.kafkaprimer.core.producer.SendResult;
import dev.kafkaprimer.examples.cli.WaitFor;

/**
 * Read, process, write, both ways: every input event is written again to an output topic, by the transactional
 * loop ("ours": 100 ms transactions) or by the at-least-once loop that does the same correctly without them
 * ("raw" here: a batch handler that sends a poll's outputs with a {@code JsonProducer}, waits for every
 * acknowledgement, then lets the loop commit). Timed from the first handler call until the group has committed
 * every input offset, as the group coordinator answers (asked every 20 ms on both sides).
 */
final class TransactionalRace implements AutoCloseable {

    static final Duration TRANSACTION_INTERVAL = TransactionOptions.DEFAULT_COMMIT_INTERVAL;
    private static final Duration LOOK_AGAIN = Duration.ofMillis(20);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final BenchClients clients;
    private final ObjectMapper mapper;
    private final BenchTopics topics;
    private final List<BenchEvent> events;
    private final long valueBytes;
    private final Duration deadline;
    private final Sender filler;
    private final JsonProducer<String, BenchEvent> outputs;

    TransactionalRace(BenchClients clients, ObjectMapper mapper, BenchTopics topics, Workload workload, int records,
                      Duration deadline) {
        this.clients = clients;
        this.mapper = mapper;
        this.topics = topics;
        this.events = workload.events().subList(0, Math.min(records, workload.events().size()));
        this.valueBytes = workload.valueBytes() * events.size() / workload.events().size();
        this.deadline = deadline;
        this.filler = Sender.of(Side.RAW, clients, mapper);
        this.outputs = JsonProducer.create(clients.producerOptions());
    }

    int records() {
        return events.size();
    }

    Throughput run(Side side, String run) throws Exception {
        String input = topics.create("tx-in-" + run);
        String output = topics.create("tx-out-" + run);
        try {
            fill(input);
            String group = topics.prefix() + "tx-group-" + run;
            AtomicLong firstCall = new AtomicLong();
            CommitLoop<String, BenchEvent> loop = side == Side.OURS
                    ? transactional(clients.consumerOptions(group, input), topics.prefix() + "tx-" + run, output,
                    firstCall)
                    : atLeastOnce(clients.consumerOptions(group, input), output, firstCall);
            long cpuStart = ProcessCpu.nanos();
            Thread thread = new Thread(loop, "bench-" + side.name().toLowerCase(java.util.Locale.ROOT) + "-tx-loop");
            thread.start();
            try {
                boolean done = WaitFor.until(deadline, () -> topics.committedTotal(group, input),
                        committed -> committed >= events.size(), LOOK_AGAIN).isPresent();
                long end = System.nanoTime();
                if (!done) {
                    throw new IllegalStateException("the " + side + " read-process-write loop did not commit "
                            + events.size() + " records within " + deadline.toSeconds() + " s");
                }
                return new Throughput(events.size(), valueBytes, end - firstCall.get(), ProcessCpu.since(cpuStart));
            } finally {
                loop.close(CLOSE_TIMEOUT);
                thread.join(CLOSE_TIMEOUT.toMillis());
            }
        } finally {
            topics.delete(input);
            topics.delete(output);
        }
    }

    private CommitLoop<String, BenchEvent> transactional(ConsumerOptions options, String transactionalId,
                                                         String output, AtomicLong firstCall) {
        return CommitLoop.createTransactional(options,
                TransactionOptions.builder(transactionalId).commitInterval(TRANSACTION_INTERVAL).build(),
                KeyDeserializers.text(), new JsonDeserializer<>(mapper, BenchEvent.class), (record, out) -> {
                    firstCall.compareAndSet(0, System.nanoTime());
                    out.send(output, record.key(), record.value());
                });
    }

    private CommitLoop<String, BenchEvent> atLeastOnce(ConsumerOptions options, String output, AtomicLong firstCall) {
        return CommitLoop.createBatching(options, KeyDeserializers.text(),
                new JsonDeserializer<>(mapper, BenchEvent.class), batch -> {
                    firstCall.compareAndSet(0, System.nanoTime());
                    List<CompletableFuture<SendResult>> sent = new ArrayList<>(batch.size());
                    batch.forEach(record -> sent.add(outputs.send(output, record.key(), record.value())));
                    // Acknowledged before the loop commits the batch's offsets: at least once.
                    sent.forEach(CompletableFuture::join);
                });
    }

    private void fill(String topic) throws Exception {
        AckCounter acks = new AckCounter();
        for (BenchEvent event : events) {
            filler.send(topic, event, acks);
        }
        filler.flush();
        acks.requireAll(events.size());
    }

    @Override
    public void close() {
        filler.close();
        outputs.close();
    }
}
