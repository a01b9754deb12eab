package dev.kafkaprimer.testkit;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * A one-node Kafka cluster in a Docker container (Testcontainers' Kafka module, {@code apache/kafka} image),
 * for machines with a Docker engine. Use it to test against the exact broker image a team runs, such as the
 * learner's note's {@code apache/kafka:4.0.0}.
 *
 * <p><b>Lifecycle.</b> {@link #start(String)} pulls the image if needed and returns once the broker answers;
 * {@link #close()} stops and removes the container.
 *
 * <p><b>Thread-safety.</b> Safe to share between threads once started.
 */
public final class ContainerKafkaCluster implements KafkaCluster {

    /** The image of the learner's note and {@code docker-compose-kafka.yml}. */
    public static final String NOTE_IMAGE = "apache/kafka:4.0.0";

    private final KafkaContainer container;

    private ContainerKafkaCluster(KafkaContainer container) {
        this.container = container;
    }

    /** Whether a Docker engine answers on this machine (Testcontainers' own check). */
    public static boolean isDockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /**
     * Starts a broker from {@code image} (e.g. {@value #NOTE_IMAGE}).
     *
     * @throws IllegalStateException if no Docker engine is available
     */
    public static ContainerKafkaCluster start(String image) {
        if (!isDockerAvailable()) {
            throw new IllegalStateException("no Docker engine is available, so the " + image
                    + " container cannot start; use EmbeddedKafkaCluster instead");
        }
        KafkaContainer container = new KafkaContainer(image);
        container.start();
        return new ContainerKafkaCluster(container);
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public int brokerCount() {
        return 1;
    }

    @Override
    public void close() {
        container.stop();
    }

    @Override
    public String toString() {
        return "ContainerKafkaCluster{image=" + container.getDockerImageName()
                + ", bootstrapServers=" + bootstrapServers() + "}";
    }
}
