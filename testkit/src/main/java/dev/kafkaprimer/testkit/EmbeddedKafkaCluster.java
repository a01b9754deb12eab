package dev.kafkaprimer.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka cluster in KRaft mode, started inside this JVM from Kafka's own server classes: no
 * Docker, no download, no separate process.
 *
 * <p><b>Layout.</b> With one node, that node is broker and controller at once ({@link NodeRole#COMBINED}),
 * like the learner's note's compose file. With N &gt; 1 nodes there are N brokers (ids 1..N) and a separate
 * quorum of min(3, N) controllers (ids 1001, 1002, ...), so stopping brokers never costs the cluster its
 * controller quorum: a failover demo can stop two of three brokers and still see the controller answer.
 *
 * <p><b>Defaults for learners and tests</b>, each overridable with {@link Builder#brokerProperty}: internal
 * topics (consumer offsets, transactions, share-group state) replicated min(3, brokers) times so a one-node
 * cluster works, no initial rebalance delay (a group's first consumer starts at once), a small log-cleaner
 * buffer so several brokers fit in one JVM, and fewer internal-topic partitions for quicker first use.
 *
 * <p><b>Security.</b> Clients connect over PLAINTEXT unless {@link Builder#security} chooses {@code SSL},
 * {@code SASL_SSL} or {@code SASL_PLAINTEXT} for the client listener. TLS uses a certificate signed by a
 * throwaway CA that {@code keytool} makes at start; SASL users are written into the cluster's first metadata for
 * SCRAM and into the listener's JAAS settings for PLAIN. Brokers replicate over a second, PLAINTEXT listener on
 * loopback ({@link #plaintextBootstrapServers()}), and controllers keep theirs: only what clients see changes.
 * With {@link Builder#requireClientCertificates()} an SSL listener also demands a certificate from each client
 * ({@code ssl.client.auth=required}, mutual TLS): the same CA issues one for {@code CN=kafka-primer-client}
 * ({@link #clientKeyStore()}), and a client without it is refused during the TLS handshake.
 * {@link #clientProperties()} is what a client needs to get in, that certificate included.
 *
 * <pre>{@code
 * try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder().security(SecurityProtocol.SASL_SSL).start()) {
 *     Map<String, Object> client = new HashMap<>(kafka.clientProperties());  // SCRAM-SHA-512, trust store
 *     client.put("bootstrap.servers", kafka.bootstrapServers());
 * }
 * }</pre>
 *
 * <p><b>Lifecycle.</b> {@link Builder#start()} formats fresh storage in a temporary directory, starts every
 * node and returns once every broker has registered with the controller. {@link #close()} stops brokers,
 * then controllers, and deletes the temporary directory, also after a failed test. A JVM that is killed
 * leaves the directory behind under {@code java.io.tmpdir} ({@code kafka-primer-*}), with the TLS files
 * and keys in it.
 *
 * <pre>{@code
 * try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder().nodes(3).start()) {
 *     String bootstrap = kafka.bootstrapServers();   // "127.0.0.1:41011,127.0.0.1:41013,..."
 *     kafka.stopNode(1);                             // broker 1 goes away; leaders move
 *     kafka.restartNode(1);                          // and comes back, same port, same data
 * }
 * }</pre>
 *
 * <p><b>Thread-safety.</b> All methods are safe to call from several threads; node control is serialized.
 *
 * <p>Why one class of some 600 lines: the cluster's public surface and its {@link Builder}, each method with the
 * javadoc a test author needs; the parts live apart: {@link EmbeddedNode} (one node), {@code ListenerSecurity}
 * (the secured client listener), {@code BrokerDefaults} (settings for tests) and {@code ClusterShutdown}.
 */
public final class EmbeddedKafkaCluster implements KafkaCluster {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaCluster.class);
    private static final int FIRST_CONTROLLER_ID = 1001;
    /** The broker setting for creating topics on first use; its constant lives in the server's modules. */
    static final String AUTO_CREATE_TOPICS = "auto.create.topics.enable";

    private final Path dataDirectory;
    private final Map<Integer, EmbeddedNode> nodes;
    private final Map<String, String> brokerSettings;
    private final Map<String, String> controllerSettings;
    private final String quorumVoters;
    private final Duration startupTimeout;
    private final int brokerCount;
    private final ListenerSecurity security;
    private Duration startupTime = Duration.ZERO;
    private boolean closed;

    private EmbeddedKafkaCluster(Builder builder) {
        this.brokerCount = builder.nodes;
        this.startupTimeout = builder.startupTimeout;
        this.security = new ListenerSecurity(builder.securityProtocol, builder.saslUsers,
                builder.requireClientCertificates);
        try {
            this.dataDirectory = Files.createTempDirectory("kafka-primer-");
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a temporary directory for the embedded cluster", e);
        }
        this.nodes = layOutNodes(builder, dataDirectory);
        this.quorumVoters = nodes.values().stream()
                .filter(node -> node.role().votesInQuorum())
                .map(EmbeddedNode::voterEntry)
                .collect(Collectors.joining(","));
        this.brokerSettings = BrokerDefaults.forCluster(brokerCount);
        this.brokerSettings.putAll(builder.brokerProperties);
        this.controllerSettings = new LinkedHashMap<>(brokerSettings);
        // Topics created without a replication factor get this many replicas; the controller decides it.
        this.controllerSettings.putIfAbsent("default.replication.factor", Integer.toString(Math.min(3, brokerCount)));
    }

    /** A builder for a one-node cluster; see {@link Builder} for the choices. */
    public static Builder builder() {
        return new Builder();
    }

    /** Starts a cluster of {@code nodes} brokers with the default settings. */
    public static EmbeddedKafkaCluster start(int nodes) {
        return builder().nodes(nodes).start();
    }

    /**
     * The {@code bootstrap.servers} value for clients: the client listener, which speaks
     * {@link #securityProtocol()}; such clients also need {@link #clientProperties()}.
     */
    @Override
    public String bootstrapServers() {
        return brokerNodes().map(EmbeddedNode::clientAddress).collect(Collectors.joining(","));
    }

    /**
     * Addresses of a PLAINTEXT listener on every broker: the client listener itself for a PLAINTEXT cluster,
     * else the internal listener the brokers replicate over. For test set-up and checks that should not depend
     * on the security under test; real clusters rarely offer one.
     */
    public String plaintextBootstrapServers() {
        return brokerNodes().map(EmbeddedNode::plaintextAddress).collect(Collectors.joining(","));
    }

    /** The protocol of the client listener at {@link #bootstrapServers()}: PLAINTEXT unless built otherwise. */
    public SecurityProtocol securityProtocol() {
        return security.protocol();
    }

    /**
     * The store that makes clients trust the client listener's certificate, for SSL and SASL_SSL clusters.
     *
     * @return the trust store, or empty when the client listener does not use TLS
     */
    public Optional<TrustStore> trustStore() {
        return security.trustStore();
    }

    /**
     * The key store with the client certificate that a listener built with
     * {@link Builder#requireClientCertificates()} demands.
     *
     * @return the client's key store, or empty when the client listener does not ask for client certificates
     */
    public Optional<ClientKeyStore> clientKeyStore() {
        return security.clientKeyStore();
    }

    /** The users the SASL listener accepts (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512); empty without SASL. */
    public List<SaslUser> saslUsers() {
        return security.saslUsers();
    }

    /**
     * What a kafka-clients client needs besides {@code bootstrap.servers} to connect to {@link #bootstrapServers()}:
     * {@code security.protocol}; for TLS the trust store; for mutual TLS also the key store with the client
     * certificate ({@code ssl.keystore.*} and {@code ssl.key.password}); for SASL the mechanism SCRAM-SHA-512 and
     * a JAAS line with the first of {@link #saslUsers()}. Passwords are {@link Password}s, which kafka-clients
     * takes as they are and which print as {@code [hidden]}.
     *
     * <p>To see what a client without a certificate gets, copy the map and remove the keys that start with
     * {@code ssl.key} ({@code ssl.keystore.*} and {@code ssl.key.password}).
     *
     * @return an unmodifiable map, in the order a {@code client.properties} file would list them
     */
    public Map<String, Object> clientProperties() {
        return security.clientProperties();
    }

    @Override
    public int brokerCount() {
        return brokerCount;
    }

    /** Ids of the nodes that serve clients (brokers, or the combined node), in order. */
    public List<Integer> brokerIds() {
        return brokerNodes().map(EmbeddedNode::id).toList();
    }

    /** Ids of the controller quorum's voters. */
    public List<Integer> controllerIds() {
        return nodes.values().stream().filter(n -> n.role().votesInQuorum()).map(EmbeddedNode::id).toList();
    }

    /** The role of node {@code id}. */
    public NodeRole role(int id) {
        return node(id).role();
    }

    /** How long {@link Builder#start()} took, from formatting storage to all brokers registered. */
    public Duration startupTime() {
        return startupTime;
    }

    /** The temporary directory that holds every node's data; deleted by {@link #close()}. */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /**
     * The log directories of node {@code id}: one folder per partition replica ({@code topic-partition}),
     * holding its segment files ({@code 00000000000000000000.log}, {@code .index}, {@code .timeindex}).
     */
    public List<Path> logDirectories(int id) {
        return List.of(node(id).logDir());
    }

    /**
     * How {@link #stopNode} stops a broker: {@link BrokerStop#CONTROLLED} unless the cluster was built with
     * {@link Builder#brokerStop}{@code (ABRUPT)} or the broker setting {@code controlled.shutdown.enable=false}.
     */
    public BrokerStop brokerStop() {
        return BrokerStop.of(brokerSettings);
    }

    /** Whether node {@code id} is running (it was not stopped, or was restarted). */
    public synchronized boolean isRunning(int id) {
        return node(id).isRunning();
    }

    /**
     * Shuts node {@code id} down and waits until it has stopped. With {@link BrokerStop#CONTROLLED} (the default)
     * a broker first hands over the leadership of its partitions, so the controller elects new leaders among the
     * in-sync replicas at once; with {@link BrokerStop#ABRUPT} it just goes, and the controller elects new
     * leaders only once it has missed the broker's heartbeats for {@code broker.session.timeout.ms} (3 s here).
     *
     * @throws IllegalArgumentException if there is no node {@code id}
     * @throws IllegalStateException if it is already stopped, or the cluster is closed
     */
    public synchronized void stopNode(int id) {
        EmbeddedNode node = node(id);
        requireOpen();
        if (!node.isRunning()) {
            throw new IllegalStateException("node " + id + " is already stopped");
        }
        node.stop();
        LOG.info("Stopped node {} ({})", id, node.role());
    }

    /**
     * Starts a stopped node again with the same port and the same data, and waits until a broker has
     * registered with the controller again. It then catches up with the partition leaders and rejoins the
     * in-sync replicas.
     *
     * @throws IllegalArgumentException if there is no node {@code id}
     * @throws IllegalStateException if it is running, or the cluster is closed
     */
    public synchronized void restartNode(int id) {
        EmbeddedNode node = node(id);
        requireOpen();
        if (node.isRunning()) {
            throw new IllegalStateException("node " + id + " is running; stop it first");
        }
        long began = System.nanoTime();
        start(node);
        long started = System.nanoTime();
        if (node.role().servesClients()) {
            awaitRegisteredBrokers(ids -> ids.contains(id), startupTimeout);
        }
        LOG.info("Restarted node {} ({}) in {} ms, registered after {} ms more", id, node.role(),
                (started - began) / 1_000_000, (System.nanoTime() - started) / 1_000_000);
    }

    /** Stops brokers, then controllers, then deletes the data directory. Safe to call more than once. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        ClusterShutdown.stopAndDelete(nodes.values(), dataDirectory);
    }

    @Override
    public String toString() {
        return "EmbeddedKafkaCluster{brokers=" + brokerIds() + ", controllers=" + controllerIds()
                + ", bootstrapServers=" + bootstrapServers()
                + (security.protocol() == SecurityProtocol.PLAINTEXT ? "" : " (" + security.protocol()
                        + (security.requiresClientCertificates() ? ", client certificates required" : "") + ")") + "}";
    }

    private void startAll() {
        long began = System.nanoTime();
        String clusterId = Uuid.randomUuid().toString();
        try {
            Map<String, String> listener = security.brokerSettings(dataDirectory);
            brokerSettings.putAll(listener);
            controllerSettings.putAll(listener);
            for (EmbeddedNode node : nodes.values()) {
                node.format(clusterId, security.scramArguments());
            }
            // Controllers start without waiting for each other; a broker's startup waits for the quorum, so
            // brokers start in parallel rather than one after another.
            nodes.values().stream().filter(n -> n.role() == NodeRole.CONTROLLER)
                    .forEach(n -> start(n));
            List<CompletableFuture<Void>> brokers = brokerNodes()
                    .map(n -> CompletableFuture.runAsync(() -> start(n)))
                    .toList();
            CompletableFuture.allOf(brokers.toArray(CompletableFuture[]::new)).join();
            Set<Integer> all = Set.copyOf(brokerIds());
            awaitRegisteredBrokers(ids -> ids.containsAll(all), startupTimeout);
        } catch (Exception e) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            IllegalStateException failure = new IllegalStateException(
                    "the embedded Kafka cluster did not start: " + cause.getMessage(), cause);
            try {
                close();
            } catch (RuntimeException closeFailure) {
                failure.addSuppressed(closeFailure);
            }
            throw failure;
        }
        startupTime = Duration.ofNanos(System.nanoTime() - began);
        LOG.info("Embedded Kafka cluster up in {} ms: {}", startupTime.toMillis(), this);
    }



    private void start(EmbeddedNode node) {
        node.start(node.role().votesInQuorum() ? controllerSettings : brokerSettings, quorumVoters);
    }

    /** Polls the cluster's broker list (as clients see it) until {@code ready} holds, or fails at the deadline. */
    private void awaitRegisteredBrokers(Predicate<Set<Integer>> ready, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Object> config = Map.of(
                // The PLAINTEXT listener: registration is what is checked here, not the client listener's security.
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, plaintextBootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        Set<Integer> seen = Set.of();
        try (Admin admin = Admin.create(config)) {
            while (System.nanoTime() < deadline) {
                try {
                    seen = admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).stream().map(Node::id)
                            .collect(Collectors.toSet());
                    if (ready.test(seen)) {
                        return;
                    }
                } catch (ExecutionException e) {
                    LOG.debug("Cluster not answering yet: {}", e.getCause().toString());
                } catch (TimeoutException e) {
                    LOG.debug("Cluster not answering yet: no answer within 5 s");
                }
                Thread.sleep(50); // a short poll interval: brokers register within a second or two
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for brokers to register", e);
        }
        throw new IllegalStateException("brokers did not register within " + timeout.toMillis()
                + " ms; registered so far: " + seen);
    }

    private java.util.stream.Stream<EmbeddedNode> brokerNodes() {
        return nodes.values().stream().filter(n -> n.role().servesClients());
    }

    private EmbeddedNode node(int id) {
        EmbeddedNode node = nodes.get(id);
        if (node == null) {
            throw new IllegalArgumentException("no node with id " + id + "; brokers are " + brokerIds()
                    + " and controllers " + controllerIds());
        }
        return node;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the cluster is closed");
        }
    }

    private static Map<Integer, EmbeddedNode> layOutNodes(Builder builder, Path dataDirectory) {
        Map<Integer, EmbeddedNode> laidOut = new LinkedHashMap<>();
        SecurityProtocol protocol = builder.securityProtocol;
        if (builder.nodes == 1) {
            laidOut.put(1, newNode(1, NodeRole.COMBINED, dataDirectory, protocol, builder.firstPort));
            return laidOut;
        }
        for (int id = 1; id <= builder.nodes; id++) {
            int port = builder.firstPort == 0 ? 0 : builder.firstPort + id - 1;
            laidOut.put(id, newNode(id, NodeRole.BROKER, dataDirectory, protocol, port));
        }
        for (int i = 0; i < Math.min(3, builder.nodes); i++) {
            int id = FIRST_CONTROLLER_ID + i;
            laidOut.put(id, newNode(id, NodeRole.CONTROLLER, dataDirectory, protocol, 0));
        }
        return laidOut;
    }

    private static EmbeddedNode newNode(int id, NodeRole role, Path dataDirectory, SecurityProtocol protocol,
                                        int port) {
        return new EmbeddedNode(id, role, dataDirectory.resolve("node-" + id), protocol, port);
    }





    /**
     * Choices for an {@link EmbeddedKafkaCluster}: the number of broker nodes, the first client port and
     * extra broker settings. Not thread-safe; {@link #start()} copies what it needs.
     */
    public static final class Builder {
        /** The user a SASL cluster gets when none is added. */
        public static final String DEFAULT_SASL_USER = "primer";

        private int nodes = 1;
        private int firstPort;
        private Duration startupTimeout = Duration.ofSeconds(90);
        private final Map<String, String> brokerProperties = new LinkedHashMap<>();
        private SecurityProtocol securityProtocol = SecurityProtocol.PLAINTEXT;
        private final List<SaslUser> saslUsers = new ArrayList<>();
        private boolean requireClientCertificates;

        private Builder() {
        }

        /**
         * Number of brokers, 1 to 9. One node is broker and controller at once; more get a separate
         * controller quorum.
         *
         * @throws IllegalArgumentException if {@code nodes} is outside 1..9
         */
        public Builder nodes(int nodes) {
            if (nodes < 1 || nodes > 9) {
                throw new IllegalArgumentException("nodes must be between 1 and 9, was " + nodes);
            }
            this.nodes = nodes;
            return this;
        }

        /**
         * The client port of broker 1; broker n listens on {@code port + n - 1}. Default 0: free ports are
         * picked, which is what tests want.
         *
         * @throws IllegalArgumentException if {@code port} is outside 0..65535
         */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
            }
            this.firstPort = port;
            return this;
        }

        /**
         * Whether a producer's or consumer's first request for a topic that does not exist creates it
         * ({@code auto.create.topics.enable}). Default true, Kafka's own default; many production clusters turn
         * it off, and then a producer waits for the topic's metadata until {@code max.block.ms} and fails with a
         * {@code TimeoutException}. Choose false to test against such a cluster.
         *
         * @param enabled whether brokers create topics on first use
         * @return this builder
         */
        public Builder autoCreateTopics(boolean enabled) {
            return brokerProperty(AUTO_CREATE_TOPICS, Boolean.toString(enabled));
        }

        /** Any broker setting (see Kafka's broker configs), applied to every node after the defaults. */
        public Builder brokerProperty(String name, String value) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("broker property name must not be blank, was '" + name + "'");
            }
            if (value == null) {
                throw new IllegalArgumentException("broker property " + name + " must have a value, was null");
            }
            brokerProperties.put(name, value);
            return this;
        }

        /**
         * How {@link EmbeddedKafkaCluster#stopNode} stops brokers (default {@link BrokerStop#CONTROLLED}); use
         * {@link BrokerStop#ABRUPT} to watch the controller detect a broker that vanished. It sets the broker
         * property {@link BrokerStop#brokerProperties()}, like {@link #brokerProperty} would.
         *
         * @throws IllegalArgumentException if {@code mode} is null
         */
        public Builder brokerStop(BrokerStop mode) {
            if (mode == null) {
                throw new IllegalArgumentException("brokerStop must be CONTROLLED or ABRUPT, was null");
            }
            mode.brokerProperties().forEach(this::brokerProperty);
            return this;
        }

        /**
         * The protocol of the listener clients use; default PLAINTEXT.
         * <ul>
         *   <li>{@code SSL}: TLS with a certificate for {@code 127.0.0.1} and {@code localhost}, signed by a
         *       throwaway CA made with the JDK's {@code keytool} at start (a few seconds); clients need
         *       {@link EmbeddedKafkaCluster#trustStore()}, and with {@link #requireClientCertificates()} a
         *       certificate of their own.</li>
         *   <li>{@code SASL_SSL}: the same TLS, and a user name and password checked with PLAIN, SCRAM-SHA-256 or
         *       SCRAM-SHA-512 (users: {@link #saslUser}).</li>
         *   <li>{@code SASL_PLAINTEXT}: the same users without TLS, so passwords (with PLAIN) cross the network in
         *       the clear; for comparison only.</li>
         * </ul>
         * Brokers replicate and talk to the controllers over PLAINTEXT listeners on loopback either way; see
         * {@link EmbeddedKafkaCluster#plaintextBootstrapServers()}.
         *
         * @param protocol the client listener's protocol
         * @return this builder
         * @throws IllegalArgumentException if {@code protocol} is null
         */
        public Builder security(SecurityProtocol protocol) {
            if (protocol == null) {
                throw new IllegalArgumentException("security must be one of PLAINTEXT, SSL, SASL_SSL, SASL_PLAINTEXT,"
                        + " was null");
            }
            this.securityProtocol = protocol;
            return this;
        }

        /**
         * Adds a user the SASL listener accepts with PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512. Without any, a SASL
         * cluster gets one user {@value #DEFAULT_SASL_USER} with a random password (see
         * {@link EmbeddedKafkaCluster#saslUsers()}).
         *
         * @param user the name and password
         * @return this builder
         * @throws IllegalArgumentException if {@code user} is null or its name was added before
         */
        public Builder saslUser(SaslUser user) {
            if (user == null) {
                throw new IllegalArgumentException("saslUser must not be null");
            }
            if (saslUsers.stream().anyMatch(known -> known.name().equals(user.name()))) {
                throw new IllegalArgumentException("SASL user '" + user.name() + "' was added twice");
            }
            saslUsers.add(user);
            return this;
        }

        /**
         * Makes the {@code SSL} client listener demand a certificate from every client, signed by the cluster's
         * CA: mutual TLS, the broker setting {@code ssl.client.auth=required}. The CA issues one client
         * certificate at start ({@link EmbeddedKafkaCluster#clientKeyStore()}), and
         * {@link EmbeddedKafkaCluster#clientProperties()} includes it. A client without one is refused during the
         * TLS handshake. Only the client listener asks; brokers and controllers talk over PLAINTEXT as before.
         *
         * <p>Only for {@code security(SSL)}; {@link #start()} checks, so the two calls may come in either order.
         *
         * @return this builder
         */
        public Builder requireClientCertificates() {
            this.requireClientCertificates = true;
            return this;
        }

        /**
         * How long {@link #start()} and {@link #restartNode} wait for brokers to register. Default 90 s.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder startupTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("startupTimeout must be positive, was " + timeout);
            }
            this.startupTimeout = timeout;
            return this;
        }

        /**
         * Formats storage, starts every node and waits until all brokers have registered.
         *
         * @return the running cluster, which the caller closes
         * @throws IllegalStateException if SASL users were added without a SASL protocol, or client certificates
         *         were required with a protocol other than SSL (the message names it); or if the cluster does not
         *         come up within the startup timeout, in which case whatever had started is stopped and its data
         *         deleted
         */
        public EmbeddedKafkaCluster start() {
            boolean sasl = securityProtocol == SecurityProtocol.SASL_SSL
                    || securityProtocol == SecurityProtocol.SASL_PLAINTEXT;
            if (!sasl && !saslUsers.isEmpty()) {
                throw new IllegalStateException("SASL users were added, but the client listener is "
                        + securityProtocol + "; choose security(SASL_SSL) or security(SASL_PLAINTEXT)");
            }
            if (requireClientCertificates && securityProtocol != SecurityProtocol.SSL) {
                throw new IllegalStateException("client certificates were required, but the client listener is "
                        + securityProtocol + "; choose security(SSL)");
            }
            if (sasl && saslUsers.isEmpty()) {
                saslUsers.add(SaslUser.of(DEFAULT_SASL_USER, TlsFiles.randomSecret()));
            }
            EmbeddedKafkaCluster cluster = new EmbeddedKafkaCluster(this);
            cluster.startAll();
            return cluster;
        }
    }
}
