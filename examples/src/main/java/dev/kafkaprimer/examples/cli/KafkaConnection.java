package dev.kafkaprimer.examples.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import dev.kafkaprimer.core.config.ClientSecurity;
import dev.kafkaprimer.testkit.EmbeddedKafkaCluster;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * Where an example's Kafka is: the cluster named by {@code --bootstrap-server HOST:PORT} or by the
 * environment variable {@value #ENV}, or else an embedded broker started in this JVM for the run; and how to
 * get in: the security settings of {@code --command-config FILE} (the file Kafka's own tools take) or of the
 * {@code KAFKA_SECURITY_PROTOCOL}, {@code KAFKA_SSL_*} and {@code KAFKA_SASL_*} variables, else PLAINTEXT.
 * Examples build every client from {@link #clientProperties()} (raw kafka-clients) or {@link #security()} (the
 * library's options), so a secured cluster works with all of them. Nothing printed here shows a password.
 *
 * <p>Closing stops the embedded cluster (if one was started) and deletes its data; an existing cluster is
 * left as it is. A JVM shutdown hook does the same on Ctrl-C or SIGTERM.
 */
public final class KafkaConnection implements AutoCloseable {

    /** The environment variable examples read when no {@code --bootstrap-server} is given. */
    public static final String ENV = "KAFKA_BOOTSTRAP_SERVERS";

    private final String bootstrapServers;
    private final ClientSecurity security;
    private final EmbeddedKafkaCluster embedded;
    private final Thread shutdownHook;

    private KafkaConnection(String bootstrapServers, ClientSecurity security, EmbeddedKafkaCluster embedded) {
        this.bootstrapServers = bootstrapServers;
        this.security = security;
        this.embedded = embedded;
        this.shutdownHook = embedded == null ? null : new Thread(embedded::close, "embedded-kafka-shutdown");
        if (shutdownHook != null) {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    /**
     * Connects as the command line and environment say, telling {@code out} which it is.
     *
     * @param connectDeadline how long a given cluster has to answer a first request
     * @throws UsageException if the given address does not look like {@code HOST:PORT[,HOST:PORT...]} or does not
     *                        resolve, or the security settings are wrong or given for the embedded broker
     * @throws ExampleFailedException if a given cluster does not answer within {@code connectDeadline}, or refuses
     *                        the login or the TLS handshake; the message says which and what to check
     */
    static KafkaConnection open(ParsedOptions options, Map<String, String> env, Example example,
                                Duration connectDeadline, PrintStream out) {
        Optional<String> given = options.value(ExampleOptions.BOOTSTRAP_SERVER);
        String source = ExampleOptions.BOOTSTRAP_SERVER;
        if (given.isEmpty() && env.get(ENV) != null && !env.get(ENV).isBlank()) {
            given = Optional.of(env.get(ENV));
            source = ENV;
        }
        Optional<String> commandConfig = options.value(ExampleOptions.COMMAND_CONFIG);
        if (given.isPresent()) {
            String servers = given.get().trim();
            Optional<String> embeddedOnly = example.whyEmbeddedOnly();
            if (embeddedOnly.isPresent()) {
                throw new UsageException(embeddedOnly.get() + "; nothing was changed at " + servers + ". Run it"
                        + " without " + ExampleOptions.BOOTSTRAP_SERVER + " and with " + ENV + " unset.");
            }
            BootstrapAddress.check(source, servers);
            ClientSecurity security = security(commandConfig, env);
            out.println("Using the Kafka cluster at " + servers + " (from " + source + ")"
                    + (security.protocol() == SecurityProtocol.PLAINTEXT ? "." : ", " + describe(security) + "."));
            KafkaConnection connection = new KafkaConnection(servers, security, null);
            connection.awaitAnswer(connectDeadline);
            return connection;
        }
        if (commandConfig.isPresent()) {
            throw new UsageException(ExampleOptions.COMMAND_CONFIG + " is for a cluster given with "
                    + ExampleOptions.BOOTSTRAP_SERVER + " (or " + ENV + "); the embedded broker takes PLAINTEXT."
                    + " For a secured one: ./primer broker --security sasl_ssl");
        }
        int embeddedNodes = example.embeddedNodes(options);
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
        if (env.containsKey(ClientSecurity.PROTOCOL_ENV)) {
            out.println("(Not using " + ClientSecurity.PROTOCOL_ENV + " and the other KAFKA_SSL_*, KAFKA_SASL_*"
                    + " variables: the embedded broker takes PLAINTEXT.)");
        }
        return new KafkaConnection(cluster.bootstrapServers(), ClientSecurity.plaintext(), cluster);
    }

    /**
     * Asks the given cluster who its brokers are, so that every example meets an unreachable or misconfigured
     * cluster the same way, at once and in one line, instead of in its first producer or consumer call after
     * that client's own, longer timeouts.
     */
    private void awaitAnswer(Duration deadline) {
        try (Admin admin = Admin.create(adminProperties(deadline))) {
            admin.describeCluster().nodes().get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new ExampleFailedException(ConnectionProblem.explain(e, this, deadline), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExampleFailedException("interrupted while waiting for " + bootstrapServers + " to answer", e);
        }
    }

    /** The {@code bootstrap.servers} value for clients. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** How clients log in and encrypt: for the library's options ({@code .security(kafka.security())}). */
    public ClientSecurity security() {
        return security;
    }

    /**
     * What every raw kafka-clients client of an example starts from: {@code bootstrap.servers} and the security
     * settings (passwords as kafka-clients' {@code Password}, which prints as {@code [hidden]}). Examples add
     * their own settings to a copy.
     *
     * @return an unmodifiable map
     */
    public Map<String, Object> clientProperties() {
        Map<String, Object> client = new LinkedHashMap<>(security.clientProperties());
        client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return Collections.unmodifiableMap(client);
    }

    /**
     * {@link #clientProperties()} for an {@code Admin} client whose calls give up after {@code apiTimeout}
     * ({@code default.api.timeout.ms}): the example's own deadline.
     *
     * @return a new, modifiable map
     */
    public Map<String, Object> adminProperties(Duration apiTimeout) {
        Map<String, Object> admin = new LinkedHashMap<>(clientProperties());
        admin.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) apiTimeout.toMillis());
        // A single request may not outlast the call's deadline (the Admin client refuses a shorter
        // default.api.timeout.ms than request.timeout.ms, 30 s unless set).
        admin.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG,
                (int) Math.max(1, Math.min(30_000, apiTimeout.toMillis() / 2)));
        return admin;
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

    /** The security of {@code --command-config}, else of the environment, else PLAINTEXT. */
    private static ClientSecurity security(Optional<String> commandConfig, Map<String, String> env) {
        try {
            if (commandConfig.isPresent()) {
                return ClientSecurity.load(Path.of(commandConfig.get()));
            }
            return ClientSecurity.fromEnvironment(env).orElse(ClientSecurity.plaintext());
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new UsageException((commandConfig.isPresent() ? ExampleOptions.COMMAND_CONFIG + " " : "")
                    + e.getMessage());
        }
    }

    /** E.g. {@code SASL_SSL, SCRAM-SHA-512 as user alice}: what a learner needs to see, no secret. */
    static String describe(ClientSecurity security) {
        return "security.protocol=" + security.protocol()
                + security.saslMechanism().map(mechanism -> ", sasl.mechanism=" + mechanism).orElse("")
                + security.username().map(user -> " as user " + user).orElse("")
                + (security.clientProperties().containsKey(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG)
                        ? ", trusting " + security.clientProperties().get(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG)
                        : security.usesTls() ? ", trusting the JDK's certificate authorities" : "");
    }
}
