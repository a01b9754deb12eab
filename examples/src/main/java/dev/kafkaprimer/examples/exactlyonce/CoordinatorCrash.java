package dev.kafkaprimer.examples.exactlyonce;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionDescription;

import dev.kafkaprimer.examples.cli.ExampleFailedException;
import dev.kafkaprimer.examples.cli.KafkaConnection;
import dev.kafkaprimer.testkit.EmbeddedKafkaCluster;

/**
 * {@code --nodes 3}: stops, abruptly, the broker of the embedded cluster that coordinates the processor's
 * transactions (the leader of the partition of {@code __transaction_state} its {@code transactional.id} hashes
 * to). Another replica of that partition takes over as coordinator, the producer finds it and goes on. With
 * {@code --at-least-once} there is no transaction: the group coordinator's broker goes instead.
 */
final class CoordinatorCrash {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private final KafkaConnection kafka;
    private final EmbeddedKafkaCluster cluster;
    private final String instance;
    private final boolean transactional;

    private CoordinatorCrash(KafkaConnection kafka, EmbeddedKafkaCluster cluster, String instance,
                             boolean transactional) {
        this.kafka = kafka;
        this.cluster = cluster;
        this.instance = instance;
        this.transactional = transactional;
    }

    static CoordinatorCrash of(KafkaConnection kafka, String instance, boolean transactional) {
        EmbeddedKafkaCluster cluster = kafka.embedded().orElseThrow(() -> new ExampleFailedException(
                "--nodes needs the embedded cluster, which this run did not start"));
        return new CoordinatorCrash(kafka, cluster, instance, transactional);
    }

    /** Stops the coordinator's broker; returns the line that tells what happened. */
    String stopCoordinator() {
        try (Admin admin = Admin.create(kafka.adminProperties(DEADLINE))) {
            int broker;
            String what;
            if (transactional) {
                TransactionDescription description = admin.describeTransactions(List.of(instance))
                        .description(instance).get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
                broker = description.coordinatorId();
                what = "the transaction coordinator of '" + instance + "' (transaction state " + description.state()
                        + ")";
            } else {
                String group = instance.substring(0, instance.length() - "-processor".length());
                broker = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group)
                        .get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS).coordinator().id();
                what = "the group coordinator of '" + group + "'";
            }
            cluster.stopNode(broker);
            return "Stopped broker " + broker + ", " + what + ", abruptly: its partitions move to other replicas, "
                    + "the coordinator with them.";
        } catch (ExecutionException | TimeoutException e) {
            throw new ExampleFailedException("could not find the coordinator to stop: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExampleFailedException("interrupted while looking for the coordinator");
        }
    }
}
