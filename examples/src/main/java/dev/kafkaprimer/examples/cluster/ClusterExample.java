package dev.kafkaprimer.examples.cluster;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import dev.kafkaprimer.examples.cli.ConnectionProblem;
import dev.kafkaprimer.examples.cli.Example;
import dev.kafkaprimer.examples.cli.ExampleFailedException;
import dev.kafkaprimer.examples.cli.ExampleOptions;
import dev.kafkaprimer.examples.cli.KafkaConnection;
import dev.kafkaprimer.examples.cli.ParsedOptions;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What "a cluster" is, seen from a client: the brokers, the controllers that keep the cluster's metadata, and
 * how a topic's partitions are spread over the brokers, decomposed into the following stages.
 * <ol>
 *   <li>list the brokers (id, host:port);</li>
 *   <li>show the KRaft controller quorum and which controller is active;</li>
 *   <li>create a topic with 6 partitions and replication factor 3 (fewer on a smaller cluster, said so), and
 *       print each partition's leader, replicas and in-sync replicas;</li>
 *   <li>produce keyed records, the note's "charge" and "deduct" per user, and print where each key went:
 *       partition, offset, and the broker leading that partition;</li>
 *   <li>delete the topic, unless {@code --keep-topic}.</li>
 * </ol>
 * Runs on an embedded cluster of 3 brokers and 3 controllers, or on any cluster given.
 */
public final class ClusterExample implements Example {

    static final int PARTITIONS = 6;
    static final int WANTED_REPLICATION = 3;
    private static final List<String> USERS = List.of("user-1", "user-2", "user-3", "user-4", "user-5", "user-6");

    @Override
    public String name() {
        return "cluster";
    }

    @Override
    public String summary() {
        return "brokers, the controller quorum, partition leaders and replicas; which broker stores each key";
    }

    @Override
    public ExampleOptions options() {
        return new ExampleOptions()
                .topic("--topic", "cluster-demo", "the topic to create and use")
                .keepTopic("leave the topic in place (skip the delete)")
                .timeout("15", 1, 3600, "deadline for each step, e.g. reaching the cluster");
    }

    @Override
    public int embeddedNodes() {
        return 3;
    }

    @Override
    public int run(ParsedOptions args, KafkaConnection kafka, PrintStream out) throws Exception {
        String topic = args.string("--topic");
        Duration deadline = args.timeout();
        try (Admin admin = Admin.create(kafka.adminProperties(deadline))) {
            // stage 1: the brokers
            Collection<Node> brokers = brokers(admin, kafka, deadline, out);
            // stage 2: the controllers
            showControllers(admin, deadline, out);
            // stage 3: a topic spread over the brokers
            int replication = Math.min(WANTED_REPLICATION, brokers.size());
            if (replication < WANTED_REPLICATION) {
                out.println("   Replication factor " + WANTED_REPLICATION + " is impossible with " + brokers.size()
                        + " broker(s): each replica of a partition must live on a different broker. Using "
                        + replication + " (min(" + WANTED_REPLICATION + ", brokers)).");
            }
            createTopic(admin, topic, replication, deadline, out);
            Map<Integer, TopicPartitionInfo> partitions = Partitions.awaitLeaders(admin, topic, deadline);
            Partitions.print(partitions.values(), out);
            // stage 4: keys → partitions → leader brokers
            produceKeyed(kafka.clientProperties(), topic, partitions, deadline, out);
            // stage 5: clean up
            if (args.keepTopic()) {
                out.println("5. Keeping topic '" + topic + "' (--keep-topic).");
            } else {
                admin.deleteTopics(List.of(topic)).all().get(deadline.toSeconds(), TimeUnit.SECONDS);
                out.println("5. Deleted topic '" + topic + "'.");
            }
        }
        out.println("cluster: OK");
        return 0;
    }

    private static Collection<Node> brokers(Admin admin, KafkaConnection kafka, Duration deadline, PrintStream out)
            throws InterruptedException {
        try {
            var cluster = admin.describeCluster();
            Collection<Node> nodes = cluster.nodes().get(deadline.toSeconds(), TimeUnit.SECONDS);
            String id = cluster.clusterId().get(deadline.toSeconds(), TimeUnit.SECONDS);
            out.println("1. Cluster " + id + " has " + nodes.size() + " broker(s), the servers that store partitions"
                    + " and serve clients:");
            nodes.stream().sorted((a, b) -> Integer.compare(a.id(), b.id()))
                    .forEach(n -> out.println("   broker " + n.id() + " at " + n.host() + ":" + n.port()));
            return nodes;
        } catch (TimeoutException | ExecutionException e) {
            throw new ExampleFailedException(ConnectionProblem.explain(e, kafka, deadline), e);
        }
    }

    private static void showControllers(Admin admin, Duration deadline, PrintStream out) throws Exception {
        QuorumInfo quorum = admin.describeMetadataQuorum().quorumInfo().get(deadline.toSeconds(), TimeUnit.SECONDS);
        String voters = quorum.voters().stream().map(v -> v.replicaId() + " (at offset " + v.logEndOffset() + ")")
                .collect(Collectors.joining(", "));
        out.println("2. The controller quorum (KRaft) keeps the cluster's metadata in a replicated log: topics,"
                + " partitions, leaders, broker registrations.");
        out.println("   voters: " + voters + "; the active controller is " + quorum.leaderId() + " (leader epoch "
                + quorum.leaderEpoch() + ", metadata committed up to offset " + quorum.highWatermark() + ").");
        String observers = quorum.observers().stream().map(o -> Integer.toString(o.replicaId())).sorted()
                .collect(Collectors.joining(", "));
        out.println("   " + (observers.isEmpty()
                ? "The broker is itself a voter: broker and controller in one process, like the note's compose file."
                : "Brokers " + observers + " follow that log as observers: they learn leaders from it, they do"
                        + " not vote."));
        Node named = admin.describeCluster().controller().get(deadline.toSeconds(), TimeUnit.SECONDS);
        if (named != null && named.id() != quorum.leaderId()) {
            out.println("   (describeCluster().controller() answered broker " + named.id() + ": in KRaft clients cannot"
                    + " reach the controllers, so brokers name a random broker there. describeMetadataQuorum() is the"
                    + " one to ask.)");
        }
    }

    private static void createTopic(Admin admin, String topic, int replication, Duration deadline, PrintStream out)
            throws Exception {
        try {
            admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) replication)))
                    .all().get(deadline.toSeconds(), TimeUnit.SECONDS);
            out.println("3. Created topic '" + topic + "' with " + PARTITIONS + " partitions, replication factor "
                    + replication + ". The controller placed them:");
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
            out.println("3. Topic '" + topic + "' already exists; using it as it is:");
        }
    }

    private static void produceKeyed(Map<String, Object> client, String topic,
                                     Map<Integer, TopicPartitionInfo> partitions, Duration deadline, PrintStream out)
            throws Exception {
        out.println("4. Producing two events per user, \"charge\" then \"deduct\", with the user id as the key:");
        Map<String, List<RecordMetadata>> byKey = new TreeMap<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(client, deadline),
                new StringSerializer(), new StringSerializer())) {
            Map<String, List<Future<RecordMetadata>>> pending = new TreeMap<>();
            for (String event : List.of("charge", "deduct")) {
                for (String user : USERS) {
                    pending.computeIfAbsent(user, u -> new ArrayList<>())
                            .add(producer.send(new ProducerRecord<>(topic, user, event)));
                }
            }
            for (var entry : pending.entrySet()) {
                List<RecordMetadata> written = new ArrayList<>();
                for (Future<RecordMetadata> send : entry.getValue()) {
                    written.add(send.get(deadline.toSeconds(), TimeUnit.SECONDS));
                }
                byKey.put(entry.getKey(), written);
            }
        }
        byKey.forEach((user, written) -> {
            RecordMetadata charge = written.get(0);
            RecordMetadata deduct = written.get(1);
            TopicPartitionInfo partition = partitions.get(charge.partition());
            out.println("   " + user + ": charge → partition " + charge.partition() + " offset " + charge.offset()
                    + ", deduct → partition " + deduct.partition() + " offset " + deduct.offset()
                    + "; stored by leader broker " + Partitions.leaderId(partition)
                    + " and copied to " + Partitions.followers(partition));
        });
        long used = byKey.values().stream().map(w -> w.get(0).partition()).distinct().count();
        out.println("   The key picks the partition (a hash of the key, modulo " + partitions.size() + "): both events"
                + " of a user share one, so their order is kept. " + USERS.size() + " keys used " + used + " of "
                + partitions.size() + " partitions; the partition's leader is the broker that takes the write.");
    }

    private static Map<String, Object> producerConfig(Map<String, Object> client, Duration deadline) {
        // Where the cluster is, and how to log in and encrypt (from --command-config, if given).
        Map<String, Object> config = new HashMap<>(client);
        // Acknowledged only once every in-sync replica has the record.
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        // send() may block fetching metadata, and a delivery may wait for a leader: bound both.
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) deadline.toMillis());
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) deadline.toMillis());
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) deadline.toMillis() / 2);
        // Send each record at once rather than waiting to fill a batch: twelve records, no need to wait.
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return config;
    }
}
