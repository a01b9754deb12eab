package dev.kafkaprimer.micrometer;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * A stand-in Kafka client that can do one thing: answer {@code metrics()}. Micrometer's
 * {@code KafkaClientMetrics} takes a whole {@code Consumer} or {@code Producer} but only ever reads its metrics;
 * the commit loop and {@code JsonProducer} keep their clients to themselves (a consumer is not thread-safe), and
 * hand out only the metrics, which are. Every other method throws {@link UnsupportedOperationException}.
 */
final class MetricsOnlyClients {

    private MetricsOnlyClients() {
    }

    /** A {@link Consumer} whose {@code metrics()} reads {@code metrics}, and which can do nothing else. */
    static Consumer<?, ?> consumer(Supplier<Map<MetricName, ? extends Metric>> metrics) {
        return (Consumer<?, ?>) Proxy.newProxyInstance(MetricsOnlyClients.class.getClassLoader(),
                new Class<?>[] {Consumer.class}, metricsOnly("consumer", metrics));
    }

    /** A {@link Producer} whose {@code metrics()} reads {@code metrics}, and which can do nothing else. */
    static Producer<?, ?> producer(Supplier<Map<MetricName, ? extends Metric>> metrics) {
        return (Producer<?, ?>) Proxy.newProxyInstance(MetricsOnlyClients.class.getClassLoader(),
                new Class<?>[] {Producer.class}, metricsOnly("producer", metrics));
    }

    private static InvocationHandler metricsOnly(String kind, Supplier<Map<MetricName, ? extends Metric>> metrics) {
        return (proxy, method, args) -> switch (method.getName()) {
            case "metrics" -> metrics.get();
            case "toString" -> "metrics of a " + kind;
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            default -> throw new UnsupportedOperationException("only the " + kind + "'s metrics are shared, not "
                    + method.getName() + "()");
        };
    }
}
