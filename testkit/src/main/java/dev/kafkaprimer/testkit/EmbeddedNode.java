package dev.kafkaprimer.testkit;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * One Kafka server (broker, controller, or both) running in this JVM: Apache Kafka's own
 * {@code KafkaRaftServer}, the class {@code kafka-server-start.sh} runs.
 *
 * <p>Not thread-safe: {@link EmbeddedKafkaCluster} guards every call.
 */
final class EmbeddedNode {

    static final String CONTROLLER_LISTENER = "CONTROLLER";
    /** The PLAINTEXT listener brokers replicate over when the client listener is secured. */
    static final String INTERNAL_LISTENER = "INTERNAL";

    private final int id;
    private final NodeRole role;
    private final SecurityProtocol clientProtocol;
    private final int clientPort;
    private final int internalPort;
    private final int controllerPort;
    private final Path logDir;
    private KafkaRaftServer server;

    /**
     * A node whose client listener speaks {@code clientProtocol} on {@code clientPort} (0: a free port). With
     * any protocol but PLAINTEXT, a broker also gets a PLAINTEXT listener on a free loopback port for
     * replication between brokers.
     */
    EmbeddedNode(int id, NodeRole role, Path logDir, SecurityProtocol clientProtocol, int clientPort) {
        this.id = id;
        this.role = role;
        this.logDir = logDir;
        this.clientProtocol = clientProtocol;
        boolean broker = role.servesClients();
        this.clientPort = !broker ? -1 : clientPort == 0 ? FreePorts.next() : clientPort;
        this.internalPort = broker && clientProtocol != SecurityProtocol.PLAINTEXT ? FreePorts.next() : -1;
        this.controllerPort = role.votesInQuorum() ? FreePorts.next() : -1;
    }

    /** The client listener's name: the protocol's own name, e.g. {@code SASL_SSL}. */
    static String clientListener(SecurityProtocol protocol) {
        return protocol.name;
    }

    int id() {
        return id;
    }

    NodeRole role() {
        return role;
    }

    Path logDir() {
        return logDir;
    }

    boolean isRunning() {
        return server != null;
    }

    /** {@code 127.0.0.1:port} of the client listener; only for nodes that serve clients. */
    String clientAddress() {
        return "127.0.0.1:" + clientPort;
    }

    /** {@code 127.0.0.1:port} of a PLAINTEXT listener: the internal one when the client listener is secured. */
    String plaintextAddress() {
        return "127.0.0.1:" + (internalPort == -1 ? clientPort : internalPort);
    }

    /** This node's entry in {@code controller.quorum.voters}: {@code id@host:port}. */
    String voterEntry() {
        return id + "@127.0.0.1:" + controllerPort;
    }

    /**
     * Writes {@code meta.properties} and the bootstrap metadata into the log directory, as
     * {@code kafka-storage.sh format} does. Needed once, before the first start.
     */
    void format(String clusterId, List<String> scramArguments) throws Exception {
        Files.createDirectories(logDir);
        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(id)
                .setClusterId(clusterId)
                .setDirectories(List.of(logDir.toString()))
                .setMetadataLogDirectory(logDir.toString())
                .setControllerListenerName(CONTROLLER_LISTENER)
                .setReleaseVersion(MetadataVersion.latestProduction())
                // SCRAM credentials go into the first metadata, as kafka-storage.sh format --add-scram does:
                // they exist before any client can knock.
                .setScramArguments(scramArguments)
                .run();
    }

    /** Starts the server with the cluster-wide settings plus this node's own. Blocks until it is up. */
    void start(Map<String, String> clusterSettings, String quorumVoters) {
        Properties props = new Properties();
        props.putAll(clusterSettings);
        props.putAll(nodeSettings(quorumVoters));
        KafkaRaftServer starting = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        try {
            starting.startup();
        } catch (RuntimeException e) {
            stopQuietlyAfterFailedStart(starting, e);
            throw e;
        }
        server = starting;
    }

    /** Shuts the server down and waits for it (a broker first hands its partition leadership over). */
    void stop() {
        if (server == null) {
            return;
        }
        KafkaRaftServer stopping = server;
        server = null;
        stopping.shutdown();
        stopping.awaitShutdown();
    }

    private Map<String, String> nodeSettings(String quorumVoters) {
        String client = clientListener(clientProtocol);
        List<String> listeners = new ArrayList<>();
        List<String> advertised = new ArrayList<>();
        List<String> protocols = new ArrayList<>();
        if (role.servesClients()) {
            listeners.add(client + "://127.0.0.1:" + clientPort);
            protocols.add(client + ":" + clientProtocol.name);
            if (internalPort != -1) {
                listeners.add(INTERNAL_LISTENER + "://127.0.0.1:" + internalPort);
                protocols.add(INTERNAL_LISTENER + ":PLAINTEXT");
            }
            advertised.addAll(listeners);
        }
        if (role.votesInQuorum()) {
            listeners.add(CONTROLLER_LISTENER + "://127.0.0.1:" + controllerPort);
        }
        protocols.add(CONTROLLER_LISTENER + ":PLAINTEXT");
        Map<String, String> settings = new java.util.HashMap<>(Map.of(
                "process.roles", role.processRoles(),
                "node.id", Integer.toString(id),
                "controller.quorum.voters", quorumVoters,
                "controller.listener.names", CONTROLLER_LISTENER,
                "listeners", String.join(",", listeners),
                "listener.security.protocol.map", String.join(",", protocols),
                "log.dirs", logDir.toString()));
        if (role.servesClients()) {
            settings.put("advertised.listeners", String.join(",", advertised));
            // Brokers copy partitions over PLAINTEXT on loopback: only the clients' listener is secured.
            settings.put("inter.broker.listener.name", internalPort != -1 ? INTERNAL_LISTENER : client);
        }
        return settings;
    }

    private static void stopQuietlyAfterFailedStart(KafkaRaftServer starting, RuntimeException cause) {
        try {
            starting.shutdown();
            starting.awaitShutdown();
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }
}
