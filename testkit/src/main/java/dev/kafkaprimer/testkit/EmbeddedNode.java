package dev.kafkaprimer.testkit;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
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

    static final String CLIENT_LISTENER = "PLAINTEXT";
    static final String CONTROLLER_LISTENER = "CONTROLLER";

    private final int id;
    private final NodeRole role;
    private final int clientPort;
    private final int controllerPort;
    private final Path logDir;
    private KafkaRaftServer server;

    EmbeddedNode(int id, NodeRole role, Path logDir) {
        this.id = id;
        this.role = role;
        this.logDir = logDir;
        this.clientPort = role.servesClients() ? FreePorts.next() : -1;
        this.controllerPort = role.votesInQuorum() ? FreePorts.next() : -1;
    }

    EmbeddedNode(int id, NodeRole role, Path logDir, int clientPort) {
        this.id = id;
        this.role = role;
        this.logDir = logDir;
        this.clientPort = clientPort;
        this.controllerPort = role.votesInQuorum() ? FreePorts.next() : -1;
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

    /** This node's entry in {@code controller.quorum.voters}: {@code id@host:port}. */
    String voterEntry() {
        return id + "@127.0.0.1:" + controllerPort;
    }

    /**
     * Writes {@code meta.properties} and the bootstrap metadata into the log directory, as
     * {@code kafka-storage.sh format} does. Needed once, before the first start.
     */
    void format(String clusterId) throws Exception {
        Files.createDirectories(logDir);
        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(id)
                .setClusterId(clusterId)
                .setDirectories(List.of(logDir.toString()))
                .setMetadataLogDirectory(logDir.toString())
                .setControllerListenerName(CONTROLLER_LISTENER)
                .setReleaseVersion(MetadataVersion.latestProduction())
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
        String listeners;
        String protocolMap;
        switch (role) {
            case COMBINED -> {
                listeners = CLIENT_LISTENER + "://127.0.0.1:" + clientPort
                        + "," + CONTROLLER_LISTENER + "://127.0.0.1:" + controllerPort;
                protocolMap = "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT";
            }
            case BROKER -> {
                listeners = CLIENT_LISTENER + "://127.0.0.1:" + clientPort;
                protocolMap = "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT";
            }
            default -> {
                listeners = CONTROLLER_LISTENER + "://127.0.0.1:" + controllerPort;
                protocolMap = "CONTROLLER:PLAINTEXT";
            }
        }
        Map<String, String> settings = new java.util.HashMap<>(Map.of(
                "process.roles", role.processRoles(),
                "node.id", Integer.toString(id),
                "controller.quorum.voters", quorumVoters,
                "controller.listener.names", CONTROLLER_LISTENER,
                "listeners", listeners,
                "listener.security.protocol.map", protocolMap,
                "log.dirs", logDir.toString()));
        if (role.servesClients()) {
            settings.put("advertised.listeners", CLIENT_LISTENER + "://127.0.0.1:" + clientPort);
            settings.put("inter.broker.listener.name", CLIENT_LISTENER);
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
