package dev.kafkaprimer.examples.exactlyonce;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;

import dev.kafkaprimer.core.config.ClientSecurity;
import dev.kafkaprimer.core.consumer.CommitLoop;
import dev.kafkaprimer.core.consumer.ConsumerOptions;
import dev.kafkaprimer.core.consumer.TransactionOptions;
import dev.kafkaprimer.core.producer.JsonProducer;
import dev.kafkaprimer.core.producer.ProducerOptions;
import dev.kafkaprimer.examples.wallet.WalletEvent;

/**
 * The processor of {@code ./primer exactly-once}, in a JVM of its own so that it can be killed with SIGKILL:
 * reads wallet events, applies each to the user's balance ({@link BalanceBook}) and writes one
 * {@link BalanceUpdate} per event. Two ways, the lesson of the example:
 * <ul>
 *   <li>{@code exactly-once}: a transactional {@link CommitLoop}: the outputs of the events and their offsets
 *   commit together every 100 ms, or not at all;</li>
 *   <li>{@code at-least-once}: a plain {@code CommitLoop} that writes each output with a {@link JsonProducer},
 *   waits for it, and commits the offsets after each poll: a kill between the two leaves outputs whose
 *   events are processed, and written, again.</li>
 * </ul>
 * The processor is one instance that is restarted: the same {@code transactional.id} and the same
 * {@code group.instance.id} (static membership) each time, so the new JVM aborts what the killed one left open
 * at once ({@code initTransactions}), and takes over its partitions without waiting for its session to time out.
 *
 * <p>Arguments: bootstrap servers, input topic, output topic, group id, instance id, mode; the security settings
 * come on standard input. Prints {@code assigned N} when it owns partitions and {@code handled N} every 25
 * events; a SIGTERM closes the loop cleanly (commits, then leaves).
 */
public final class BalanceProcessor {

    /** The work an event takes, so that the parent can kill the processor in the middle of a run. */
    static final Duration WORK = Duration.ofMillis(1);
    /** How long a transaction gathers events: Kafka Streams' exactly-once default. */
    static final Duration TRANSACTION_INTERVAL = Duration.ofMillis(100);

    private BalanceProcessor() {
    }

    public static void main(String[] args) throws Exception {
        Properties security = new Properties();
        security.load(System.in);
        String bootstrap = args[0];
        String input = args[1];
        String output = args[2];
        String group = args[3];
        String instance = args[4];
        boolean exactlyOnce = args[5].equals("exactly-once");
        ClientSecurity clientSecurity = ClientSecurity.fromProperties(security);
        Map<String, Object> client = new HashMap<>(clientSecurity.clientProperties());
        client.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        ConsumerOptions options = ConsumerOptions.builder(bootstrap, group, List.of(input))
                .security(clientSecurity)
                .maxPollRecords(100)
                // Static membership: the restarted JVM is the same member, and takes its partitions over at once.
                .property(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instance)
                .rebalanceListener(event -> report("assigned " + event.owned().size()))
                .build();
        AtomicLong handled = new AtomicLong();
        BalanceBook book = new BalanceBook();
        boolean[] restored = {false};
        IsolationLevel level = exactlyOnce ? IsolationLevel.READ_COMMITTED : IsolationLevel.READ_UNCOMMITTED;
        JsonProducer<String, BalanceUpdate> producer = exactlyOnce ? null : JsonProducer.create(
                ProducerOptions.builder(bootstrap).security(clientSecurity).build());
        CommitLoop<String, WalletEvent> loop;
        if (exactlyOnce) {
            loop = CommitLoop.forJsonTransactional(options, TransactionOptions.builder(instance)
                    .commitInterval(TRANSACTION_INTERVAL).transactionTimeout(Duration.ofSeconds(30)).build(),
                    WalletEvent.class, (record, outputs) -> {
                        BalanceUpdate update = handle(record, book, restored, client, output, level, handled);
                        outputs.send(output, update.userId(), update);
                    });
        } else {
            loop = CommitLoop.forJson(options, WalletEvent.class, record -> {
                BalanceUpdate update = handle(record, book, restored, client, output, level, handled);
                producer.send(output, update.userId(), update).join();
            });
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> loop.close(Duration.ofSeconds(20)), "processor-stop"));
        try {
            loop.run();
        } finally {
            if (producer != null) {
                producer.close();
            }
        }
    }

    /**
     * One event: on the first, the state is read back from the outputs written so far (by then the loop has
     * started, and for a transactional loop {@code initTransactions} has aborted what an earlier JVM of this
     * instance left open, so nothing is pending).
     */
    private static BalanceUpdate handle(ConsumerRecord<String, WalletEvent> record, BalanceBook book,
                                        boolean[] restored, Map<String, Object> client, String output,
                                        IsolationLevel level, AtomicLong handled) throws InterruptedException {
        if (!restored[0]) {
            book.restore(TopicReader.read(client, output, level, Duration.ofSeconds(60)));
            restored[0] = true;
            report("restored " + book.users());
        }
        Thread.sleep(WORK.toMillis());
        BalanceUpdate update = book.apply(record.value());
        if (handled.incrementAndGet() % 25 == 0) {
            report("handled " + handled.get());
        }
        return update;
    }

    private static void report(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
