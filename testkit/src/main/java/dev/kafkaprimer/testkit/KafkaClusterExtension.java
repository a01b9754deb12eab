package dev.kafkaprimer.testkit;

import java.util.Arrays;
import java.util.List;

import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JUnit 5 extension behind {@link WithKafkaCluster}. It starts clusters lazily, keeps them in JUnit's
 * extension store (the root store for shared ones, the class's store otherwise) and lets JUnit close them:
 * a failing test still has its cluster stopped and its data deleted.
 */
public final class KafkaClusterExtension implements ParameterResolver {

    /** Environment variable choosing the broker: {@code embedded} (default) or {@code testcontainers}. */
    public static final String BROKER_ENV = "KAFKA_PRIMER_BROKER";

    private static final Logger LOG = LoggerFactory.getLogger(KafkaClusterExtension.class);
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(KafkaClusterExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == KafkaCluster.class || type == EmbeddedKafkaCluster.class || type == TestTopics.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        if (type == TestTopics.class) {
            return new TestTopics(context.getTestMethod().map(m -> m.getName())
                    .orElse(context.getRequiredTestClass().getSimpleName()));
        }
        KafkaCluster cluster = clusterFor(context);
        if (type == EmbeddedKafkaCluster.class && !(cluster instanceof EmbeddedKafkaCluster)) {
            throw new ParameterResolutionException("this test needs the embedded cluster (it controls nodes), but "
                    + BROKER_ENV + " chose " + cluster);
        }
        return cluster;
    }

    private KafkaCluster clusterFor(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        WithKafkaCluster settings = AnnotationSupport.findAnnotation(testClass, WithKafkaCluster.class)
                .orElseThrow(() -> new ExtensionConfigurationException(
                        testClass.getName() + " must be annotated with @WithKafkaCluster"));
        List<String> properties = Arrays.asList(settings.brokerProperties());
        String key = "cluster:" + settings.nodes() + ":" + properties + ":" + settings.security()
                + (settings.clientCertificates() ? ":client-certificates" : "");
        ExtensionContext owner = settings.lifecycle() == WithKafkaCluster.Lifecycle.SHARED
                ? context.getRoot()
                : classContext(context);
        return owner.getStore(NAMESPACE).getOrComputeIfAbsent(key,
                ignored -> start(settings.nodes(), properties, settings.security(), settings.clientCertificates()),
                KafkaCluster.class);
    }

    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext current = context;
        while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
            current = current.getParent().get();
        }
        return current;
    }

    private static KafkaCluster start(int nodes, List<String> properties, SecurityProtocol security,
                                      boolean clientCertificates) {
        String broker = System.getenv().getOrDefault(BROKER_ENV, "embedded");
        boolean plain = nodes == 1 && properties.isEmpty() && security == SecurityProtocol.PLAINTEXT
                && !clientCertificates;
        if (broker.equalsIgnoreCase("testcontainers")) {
            if (plain && ContainerKafkaCluster.isDockerAvailable()) {
                return ContainerKafkaCluster.start(ContainerKafkaCluster.NOTE_IMAGE);
            }
            LOG.warn("{}=testcontainers, but {}: using the embedded broker", BROKER_ENV,
                    !plain
                            ? "this test needs " + nodes + " nodes, custom broker settings or a " + security
                                    + " listener"
                            : "no Docker engine is available");
        } else if (!broker.equalsIgnoreCase("embedded")) {
            throw new ExtensionConfigurationException(BROKER_ENV + " must be 'embedded' or 'testcontainers', was '"
                    + broker + "'");
        }
        EmbeddedKafkaCluster.Builder builder = EmbeddedKafkaCluster.builder().nodes(nodes).security(security);
        if (clientCertificates) {
            builder.requireClientCertificates();
        }
        for (String property : properties) {
            int equals = property.indexOf('=');
            if (equals < 1) {
                throw new ExtensionConfigurationException("broker property must look like name=value, was '"
                        + property + "'");
            }
            builder.brokerProperty(property.substring(0, equals), property.substring(equals + 1));
        }
        return builder.start();
    }
}
