package dev.kafkaprimer.examples.failover;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import dev.kafkaprimer.examples.cli.Example;
import dev.kafkaprimer.examples.cli.ExampleOptions;
import dev.kafkaprimer.examples.cli.KafkaConnection;
import dev.kafkaprimer.examples.cli.ParsedOptions;
import dev.kafkaprimer.examples.watch.Watch;
import dev.kafkaprimer.testkit.BrokerStop;
import dev.kafkaprimer.testkit.EmbeddedKafkaCluster;
import org.apache.kafka.clients.admin.Admin;

/**
 * What the controller does when a broker fails, and what {@code acks=all} with {@code min.insync.replicas=2}
 * promises, decomposed into the following stages.
 * <ol>
 *   <li>create a topic with 3 partitions, replication factor 3 and {@code min.insync.replicas=2};</li>
 *   <li>start an idempotent {@code acks=all} producer sending numbered values on a background thread;</li>
 *   <li>stop the broker leading partition 0 abruptly (no controlled shutdown): the controller notices the missed
 *       heartbeats, fences it and elects a new leader; print how long that took while the producer keeps going;</li>
 *   <li>restart that broker and watch it rejoin the in-sync replicas;</li>
 *   <li>stop the producer;</li>
 *   <li>stop two brokers: with one in-sync replica left, {@code acks=all} writes are refused, not silently lost;</li>
 *   <li>bring them back: writes are accepted again;</li>
 *   <li>read every record back: {@code failover: acknowledged=N read=N lost=0 duplicates=0}.</li>
 * </ol>
 * It stops and restarts brokers, so it runs only on the embedded cluster it starts itself: with
 * {@code --bootstrap-server} (or {@code KAFKA_BOOTSTRAP_SERVERS}) it changes nothing and exits with code 2.
 * Exit code 1 if an acknowledged value was lost or a value was read twice.
 */
public final class FailoverExample implements Example {

    @Override
    public String name() {
        return "failover";
    }

    @Override
    public String summary() {
        return "a leader broker fails while producing: re-election, no acknowledged loss; writes refused below min ISR";
    }

    @Override
    public ExampleOptions options() {
        return Watch.withWeb(new ExampleOptions()
                .topic("--topic", "failover-demo", "the topic to create and use")
                .timeout("30", 5, 3600, "deadline for each wait, e.g. for a new leader"));
    }

    @Override
    public void checkBeforeStart(ParsedOptions args) {
        Watch.checkOptions(args);
    }

    @Override
    public int embeddedNodes() {
        return 3;
    }

    /** Brokers that stop without handing leadership over, as a crashed broker would. */
    @Override
    public Map<String, String> embeddedBrokerProperties() {
        return BrokerStop.ABRUPT.brokerProperties();
    }

    @Override
    public Optional<String> whyEmbeddedOnly() {
        return Optional.of("failover stops and restarts brokers, so it runs only on the embedded cluster it starts"
                + " itself");
    }

    @Override
    public int run(ParsedOptions args, KafkaConnection kafka, PrintStream out) throws Exception {
        // Primer refused a cluster given by address already (whyEmbeddedOnly), before connecting to it.
        EmbeddedKafkaCluster cluster = kafka.embedded().orElseThrow(() -> new IllegalStateException(
                whyEmbeddedOnly().orElseThrow()));
        Duration deadline = args.timeout();
        // Bound every Admin call; a stopped broker must not make a call hang.
        try (Watch watch = Watch.start(name(), args, out);
             Admin admin = Admin.create(kafka.adminProperties(deadline))) {
            // The view shows the brokers, the controller, and each partition's leader and in-sync replicas.
            watch.web().watch(kafka, args.string("--topic"), null);
            int exitCode = new FailoverRun(cluster, kafka.clientProperties(), admin, args.string("--topic"), deadline,
                    watch.web().echo(out)).run();
            watch.hold(out);
            return exitCode;
        }
    }
}
