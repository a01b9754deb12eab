package dev.kafkaprimer.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test class a real Kafka cluster: test methods (and constructors, lifecycle methods) may then declare
 * parameters of type {@link KafkaCluster}, {@link EmbeddedKafkaCluster} and {@link TestTopics}.
 *
 * <pre>{@code
 * @WithKafkaCluster
 * class RoundTripTest {
 *     @Test
 *     void shouldReadWhatWasWritten(KafkaCluster kafka, TestTopics topics) { ... }
 * }
 * }</pre>
 *
 * <p><b>Lifecycle.</b> With {@link Lifecycle#SHARED} (the default) one cluster per distinct configuration is
 * started on first use and shared by every class that asks for the same one, until the test run ends;
 * tests keep apart by using a unique topic each ({@link TestTopics}). Tests that stop nodes or change the
 * cluster must use {@link Lifecycle#PER_CLASS}: their class gets its own cluster, closed after its last test.
 *
 * <p><b>Broker choice.</b> With the environment variable {@code KAFKA_PRIMER_BROKER=testcontainers} and a
 * Docker engine present, one-node clusters are Docker containers ({@link ContainerKafkaCluster}) instead;
 * without Docker it falls back to the embedded broker and logs why.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(KafkaClusterExtension.class)
public @interface WithKafkaCluster {

    /** Number of brokers; see {@link EmbeddedKafkaCluster} for the layout. */
    int nodes() default 1;

    /** Extra broker settings as {@code name=value}, applied to every node. */
    String[] brokerProperties() default {};

    /**
     * The protocol of the client listener (see {@link EmbeddedKafkaCluster.Builder#security}); default PLAINTEXT.
     * A secured cluster is always the embedded one, and tests read what their clients need from
     * {@link EmbeddedKafkaCluster#clientProperties()}, {@link EmbeddedKafkaCluster#trustStore()} and
     * {@link EmbeddedKafkaCluster#saslUsers()}.
     */
    SecurityProtocol security() default SecurityProtocol.PLAINTEXT;

    /**
     * Whether the client listener demands a client certificate (mutual TLS; see
     * {@link EmbeddedKafkaCluster.Builder#requireClientCertificates()}); only with {@code security = SSL}. Tests
     * find the certificate in {@link EmbeddedKafkaCluster#clientKeyStore()} and
     * {@link EmbeddedKafkaCluster#clientProperties()}.
     */
    boolean clientCertificates() default false;

    /** Whether the cluster is shared across test classes or owned by one class. */
    Lifecycle lifecycle() default Lifecycle.SHARED;

    /** How long a cluster lives. */
    enum Lifecycle {
        /** One cluster per configuration for the whole test run; tests must not stop its nodes. */
        SHARED,
        /** A cluster of the class's own, closed after its last test; for tests that stop or restart nodes. */
        PER_CLASS
    }
}
