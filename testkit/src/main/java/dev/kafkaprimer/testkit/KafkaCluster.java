package dev.kafkaprimer.testkit;

/**
 * A running Kafka cluster that clients can connect to: the embedded one ({@link EmbeddedKafkaCluster}) or a
 * Docker container ({@link ContainerKafkaCluster}).
 *
 * <p><b>Lifecycle.</b> An instance is running from the moment a factory returns it until {@link #close()}.
 * Closing stops every node and deletes the data the cluster wrote; it is safe to call twice.
 *
 * <p><b>Thread-safety.</b> Implementations are safe to use from several threads.
 */
public interface KafkaCluster extends AutoCloseable {

    /** The {@code bootstrap.servers} value for clients, such as {@code 127.0.0.1:40123}. */
    String bootstrapServers();

    /** How many brokers the cluster was started with (stopped ones included). */
    int brokerCount();

    /** Stops the cluster and removes its data. Never throws checked exceptions. */
    @Override
    void close();
}
