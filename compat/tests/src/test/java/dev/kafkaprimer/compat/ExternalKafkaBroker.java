package dev.kafkaprimer.compat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.kafkaprimer.testkit.Await;
import dev.kafkaprimer.testkit.KafkaCluster;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A single-node Kafka broker of another version (the note's 4.0.0), run the way the release scripts run it:
 * {@code kafka.tools.StorageTool format}, then {@code kafka.Kafka server.properties}, in a child JVM with that
 * version's own class path, so it never mixes with the 4.x client classes of the tests.
 *
 * <p>Its settings follow {@code docker-compose-kafka.yml}: one node that is broker and controller, offsets
 * topic replication factor 1.
 */
final class ExternalKafkaBroker implements KafkaCluster {

    private static final Duration STARTUP = Duration.ofSeconds(90);

    private final Process process;
    private final Path dir;
    private final String bootstrapServers;

    private ExternalKafkaBroker(Process process, Path dir, String bootstrapServers) {
        this.process = process;
        this.dir = dir;
        this.bootstrapServers = bootstrapServers;
    }

    /** Formats storage, starts the broker and waits (bounded) until it answers. */
    static ExternalKafkaBroker start(Path classpathFile) throws IOException, InterruptedException {
        String classpath = Files.readString(classpathFile).trim();
        Path dir = Files.createTempDirectory("kafka-primer-compat-");
        int clientPort = freePort();
        int controllerPort = freePort();
        Path config = dir.resolve("server.properties");
        Files.writeString(config, String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "controller.listener.names=CONTROLLER",
                "listeners=CONTROLLER://127.0.0.1:" + controllerPort + ",HOST://127.0.0.1:" + clientPort,
                "advertised.listeners=HOST://127.0.0.1:" + clientPort,
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,HOST:PLAINTEXT",
                "inter.broker.listener.name=HOST",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=10",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "log.dirs=" + dir.resolve("data"),
                ""));
        Process format = java(classpath, dir, "format.log",
                "kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString());
        if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
            format.destroyForcibly();
            throw new IllegalStateException("formatting the broker's storage failed: "
                    + Files.readString(dir.resolve("format.log")));
        }
        Process broker = java(classpath, dir, "broker.log", "kafka.Kafka", config.toString());
        ExternalKafkaBroker started = new ExternalKafkaBroker(broker, dir, "127.0.0.1:" + clientPort);
        try {
            started.awaitAnswer();
        } catch (RuntimeException | Error e) {
            started.close();
            throw e;
        }
        return started;
    }

    @Override
    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public int brokerCount() {
        return 1;
    }

    /** Stops the broker (SIGTERM, then SIGKILL after 30 s) and deletes its data. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            deleteRecursively(dir);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("could not delete " + dir, e);
        }
    }

    private void awaitAnswer() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000))) {
            Await.until(STARTUP, "the Kafka broker at " + bootstrapServers + " to answer (log: "
                    + dir.resolve("broker.log") + ")", () -> {
                        if (!process.isAlive()) {
                            throw new AssertionError("the broker process exited with " + process.exitValue());
                        }
                        try {
                            return admin.describeCluster().nodes().get().size();
                        } catch (Exception e) {
                            return 0;
                        }
                    }, brokers -> brokers == 1);
        }
    }

    private static Process java(String classpath, Path dir, String log, String... mainAndArgs) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", classpath));
        command.addAll(List.of(mainAndArgs));
        return new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(log).toFile())
                .start();
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        }
    }
}
