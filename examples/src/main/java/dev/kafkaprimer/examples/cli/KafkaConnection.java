package dev.kafkaprimer.examples.cli;

import java.io.PrintStream;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

import dev.kafkaprimer.testkit.EmbeddedKafkaCluster;

/**
 * Where an example's Kafka is: the cluster named by {@code --bootstrap-server HOST:PORT} or by the
 * environment variable {@value #ENV}, or else an embedded broker started in this JVM for the run.
 *
 * <p>Closing stops the embedded cluster (if one was started) and deletes its data; an existing cluster is
 * left as it is. A JVM shutdown hook does the same on Ctrl-C or SIGTERM.
 */
public final class KafkaConnection implements AutoCloseable {

    /** The environment variable examples read when no {@code --bootstrap-server} is given. */
    public static final String ENV = "KAFKA_BOOTSTRAP_SERVERS";

    private final String bootstrapServers;
    private final EmbeddedKafkaCluster embedded;
    private final Thread shutdownHook;

    private KafkaConnection(String bootstrapServers, EmbeddedKafkaCluster embedded) {
        this.bootstrapServers = bootstrapServers;
        this.embedded = embedded;
        this.shutdownHook = embedded == null ? null : new Thread(embedded::close, "embedded-kafka-shutdown");
        if (shutdownHook != null) {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    /**
     * Connects as the command line and environment say, telling {@code out} which it is.
     *
     * @throws UsageException if the given address does not look like {@code HOST:PORT[,HOST:PORT...]}
     */
    static KafkaConnection open(ParsedOptions options, Map<String, String> env, Example example, PrintStream out) {
        Optional<String> given = options.value(ExampleOptions.BOOTSTRAP_SERVER);
        String source = ExampleOptions.BOOTSTRAP_SERVER;
        if (given.isEmpty() && env.get(ENV) != null && !env.get(ENV).isBlank()) {
            given = Optional.of(env.get(ENV));
            source = ENV;
        }
        if (given.isPresent()) {
            String servers = checkAddress(source, given.get().trim());
            out.println("Using the Kafka cluster at " + servers + " (from " + source + ").");
            return new KafkaConnection(servers, null);
        }
        int embeddedNodes = example.embeddedNodes();
        out.println("No " + ExampleOptions.BOOTSTRAP_SERVER + " and no " + ENV + ": starting an embedded Kafka "
                + (embeddedNodes == 1 ? "broker" : "cluster of " + embeddedNodes + " brokers")
                + " in this JVM (Apache Kafka " + KafkaVersion.current() + ", KRaft mode)...");
        EmbeddedKafkaCluster.Builder builder = EmbeddedKafkaCluster.builder().nodes(embeddedNodes);
        Map<String, String> settings = new TreeMap<>(example.embeddedBrokerProperties());
        settings.forEach(builder::brokerProperty);
        if (!settings.isEmpty()) {
            out.println("Broker settings for this example: " + settings.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ")) + ".");
        }
        EmbeddedKafkaCluster cluster = builder.start();
        out.println("Embedded Kafka is up in " + cluster.startupTime().toMillis() + " ms at "
                + cluster.bootstrapServers() + ".");
        return new KafkaConnection(cluster.bootstrapServers(), cluster);
    }

    /** The {@code bootstrap.servers} value for clients. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The embedded cluster, when this run started one; examples that show disks or stop nodes need it. */
    public Optional<EmbeddedKafkaCluster> embedded() {
        return Optional.ofNullable(embedded);
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // The JVM is exiting and runs the hook itself; closing twice is harmless.
            }
        }
    }

    private static String checkAddress(String source, String servers) {
        for (String server : servers.split(",")) {
            int colon = server.lastIndexOf(':');
            boolean ok = colon > 0 && colon < server.length() - 1;
            if (ok) {
                try {
                    int port = Integer.parseInt(server.substring(colon + 1).trim());
                    ok = port > 0 && port <= 65_535;
                } catch (NumberFormatException e) {
                    ok = false;
                }
            }
            if (!ok) {
                throw new UsageException(source + " must look like HOST:PORT (e.g. localhost:9092), was '"
                        + servers + "'");
            }
        }
        return servers;
    }
}
