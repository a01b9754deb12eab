package dev.kafkaprimer.examples.broker;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.kafkaprimer.examples.cli.ClientPropertiesText;
import dev.kafkaprimer.examples.cli.Example;
import dev.kafkaprimer.examples.cli.ExampleOptions;
import dev.kafkaprimer.examples.cli.KafkaConnection;
import dev.kafkaprimer.examples.cli.KafkaVersion;
import dev.kafkaprimer.examples.cli.ParsedOptions;
import dev.kafkaprimer.examples.cli.UsageException;
import dev.kafkaprimer.examples.watch.Watch;
import dev.kafkaprimer.testkit.EmbeddedKafkaCluster;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * Runs the embedded cluster in the foreground, the same job as {@code docker-compose-kafka.yml} for machines
 * without Docker: Kafka's own CLI tools and any client can use it at the printed address. Stops cleanly on
 * Ctrl-C or SIGTERM (or after {@code --seconds}), deleting its data.
 *
 * <p>With {@code --security ssl|sasl_ssl|sasl_plaintext} the client listener is secured (see
 * {@link EmbeddedKafkaCluster.Builder#security}), and what a client needs to get in is written to
 * {@code client.properties} in the cluster's data directory: readable by its owner only, deleted with the data
 * when the broker stops. Its path is printed, and its content with the passwords shown as {@code [hidden]}: the
 * passwords are in the file, which {@code --command-config} (ours and Kafka's tools') reads, never on the screen
 * or in a log.
 *
 * <p>With {@code --security ssl --client-certificates} the listener also demands a certificate from each client
 * (mutual TLS, {@code ssl.client.auth=required}); the same throwaway CA issues one at start, and
 * {@code client.properties} names the key store that holds it ({@code ssl.keystore.*}).
 */
public final class BrokerExample implements Example {

    private static final String CLIENT_CERTIFICATES = "--client-certificates";

    @Override
    public String name() {
        return "broker";
    }

    @Override
    public String summary() {
        return "run an embedded Kafka cluster in the foreground until Ctrl-C (like the compose file, no Docker)";
    }

    @Override
    public ExampleOptions options() {
        return Watch.withWebUntilStopped(new ExampleOptions()
                .integer("--nodes", "N", "1", 1, 9, "number of brokers (more than 1 adds a 3-controller quorum)")
                .integer("--port", "P", "9092", 0, 65_535, "client port of broker 1; broker n listens on P+n-1 (0: any free)")
                .integer("--seconds", "S", "0", 0, Integer.MAX_VALUE, "stop by itself after S seconds (0: run until Ctrl-C)")
                .value("--security", "PROTOCOL", "plaintext", "the client listener: plaintext, ssl (TLS), sasl_ssl"
                        + " (TLS and a user, SCRAM or PLAIN) or sasl_plaintext; writes client.properties",
                        (option, value) -> protocol(value))
                .choice("--auto-create-topics", "true", "whether a client's first request for a missing topic creates"
                        + " it (Kafka's default; many production clusters say false)", "true", "false")
                .flag(CLIENT_CERTIFICATES, "with --security ssl: the broker also requires a client certificate"
                        + " (mutual TLS); client.properties gets a key store holding one"));
    }

    @Override
    public int embeddedNodes() {
        return 0;
    }

    @Override
    public int run(ParsedOptions args, KafkaConnection unused, PrintStream out)
            throws InterruptedException, IOException {
        int nodes = args.integer("--nodes");
        int port = args.integer("--port");
        int seconds = args.integer("--seconds");
        SecurityProtocol security = protocol(args.string("--security"));
        boolean clientCertificates = clientCertificates(args, security);
        out.println("Starting " + nodes + " embedded Kafka " + KafkaVersion.current() + " broker(s)"
                + (security == SecurityProtocol.PLAINTEXT ? "" : " with a " + security + " client listener") + "...");
        boolean autoCreate = args.choice("--auto-create-topics").equals("true");
        EmbeddedKafkaCluster.Builder builder = EmbeddedKafkaCluster.builder().nodes(nodes).port(port)
                .security(security).autoCreateTopics(autoCreate);
        if (clientCertificates) {
            builder.requireClientCertificates();
        }
        EmbeddedKafkaCluster cluster = builder.start();
        Watch watch;
        try {
            watch = Watch.start(name(), args, out);
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e;
        }
        // Every topic clients make, with its leaders and in-sync replicas, and the brokers and the controller.
        watch.web().watch(new java.util.HashMap<>(cluster.clientProperties()), null, null, false);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            out.println("Stopping (Ctrl-C or SIGTERM): brokers first, then controllers; then the data is deleted.");
            watch.close();
            cluster.close();
            out.println("Stopped; data deleted.");
            out.flush();
            stopped.countDown();
        }, "broker-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            describe(cluster, security, out);
            out.println(autoCreate
                    ? "  topics are created on a client's first request for them (auto.create.topics.enable=true)"
                    : "  topics are not created on first use (auto.create.topics.enable=false): create them first,"
                            + " or a producer waits for them until max.block.ms");
        } catch (IOException | RuntimeException e) {
            Runtime.getRuntime().removeShutdownHook(hook);
            watch.close();
            cluster.close();
            throw e;
        }
        out.println(seconds == 0 ? "Press Ctrl-C to stop." : "Stopping by itself after " + seconds + " s.");
        out.flush();
        if (seconds == 0) {
            stopped.await();
            return 0;
        }
        if (stopped.await(seconds, TimeUnit.SECONDS)) {
            // Ctrl-C or SIGTERM came first: the hook closed the cluster, and the JVM, already exiting, keeps its hooks.
            return 0;
        }
        Runtime.getRuntime().removeShutdownHook(hook);
        watch.close();
        cluster.close();
        out.println("Stopped; data deleted.");
        return 0;
    }

    /** Where the cluster is and, when it is secured, how to get in: the client.properties file it writes. */
    private static void describe(EmbeddedKafkaCluster cluster, SecurityProtocol security, PrintStream out)
            throws IOException {
        out.println("Kafka is up in " + cluster.startupTime().toMillis() + " ms.");
        out.println("  bootstrap servers: " + cluster.bootstrapServers());
        for (int id : cluster.brokerIds()) {
            out.println("  broker " + id + " data: " + cluster.logDirectories(id).get(0));
        }
        out.println("  controllers: " + cluster.controllerIds());
        String first = cluster.bootstrapServers().split(",")[0];
        if (security == SecurityProtocol.PLAINTEXT) {
            out.println("Try: kafka-topics.sh --bootstrap-server " + first + " --list");
        } else {
            Path file = cluster.dataDirectory().resolve("client.properties");
            ClientPropertiesText.write(file, cluster.clientProperties());
            out.println("  client listener: " + security + describeSecurity(cluster) + ".");
            if (cluster.clientKeyStore().isPresent()) {
                out.println("  The broker requires a client certificate (mutual TLS): it refuses a client that has"
                        + " none. The key store in client.properties (ssl.keystore.*) holds one signed by the same"
                        + " throwaway CA.");
            }
            out.println("  (brokers replicate over PLAINTEXT on loopback, at " + cluster.plaintextBootstrapServers()
                    + "; clients use the address above.)");
            out.println("Client settings written to " + file + " (readable by you only; deleted when the broker"
                    + " stops). Passwords are hidden here, not in the file:");
            ClientPropertiesText.text(cluster.clientProperties(), false).lines()
                    .forEach(line -> out.println("    " + line));
            out.println("Try: ./primer hello --bootstrap-server " + first + " --command-config " + file);
            out.println(" or: kafka-topics.sh --bootstrap-server " + first + " --command-config " + file + " --list");
        }
    }

    private static SecurityProtocol protocol(String given) {
        return Arrays.stream(SecurityProtocol.values()).filter(p -> p.name.equalsIgnoreCase(given.trim()))
                .findFirst().orElseThrow(() -> new UsageException("--security must be one of plaintext, ssl,"
                        + " sasl_ssl, sasl_plaintext, was '" + given + "'"));
    }

    /**
     * Whether {@code --client-certificates} was given. Checked here, before anything starts, so that the mistake
     * is a usage error naming the flags rather than the testkit's IllegalStateException.
     */
    private static boolean clientCertificates(ParsedOptions args, SecurityProtocol security) {
        boolean wanted = args.flag(CLIENT_CERTIFICATES);
        if (wanted && security != SecurityProtocol.SSL) {
            throw new UsageException(CLIENT_CERTIFICATES + " needs --security ssl (the embedded broker asks for"
                    + " client certificates on an SSL listener only), was --security "
                    + args.string("--security").trim());
        }
        return wanted;
    }

    private static String describeSecurity(EmbeddedKafkaCluster cluster) {
        String tls = cluster.trustStore().map(trust -> ", a certificate for 127.0.0.1 and localhost signed by a"
                + " throwaway CA (trust store " + trust.location() + ")").orElse("");
        String users = cluster.saslUsers().isEmpty() ? "" : ", user " + cluster.saslUsers().get(0).name()
                + " with a random password for PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512";
        return tls + users;
    }
}
