package dev.kafkaprimer.testkit;

import java.util.Map;

/**
 * How {@link EmbeddedKafkaCluster#stopNode} stops a broker, chosen once per cluster with
 * {@link EmbeddedKafkaCluster.Builder#brokerStop}: the broker setting {@code controlled.shutdown.enable} is
 * read when a broker shuts down, and it is fixed when the broker starts.
 */
public enum BrokerStop {

    /**
     * The broker asks the controller to move its partition leaderships to other in-sync replicas before it goes,
     * as {@code kafka-server-stop.sh} does: new leaders are in place within milliseconds, and clients barely
     * notice. The default.
     */
    CONTROLLED(Map.of("controlled.shutdown.enable", "true")),

    /**
     * The broker goes without telling the controller, as a crashed or cut-off broker would. Its partitions stay
     * led by it, unreachable, until the controller has missed its heartbeats for {@code broker.session.timeout.ms}
     * (3 s in the testkit), fences it and elects new leaders; clients retry meanwhile.
     *
     * <p>It is not a {@code kill -9}: the broker still closes its log files cleanly, so a restart needs no log
     * recovery. What it leaves out is the hand-over, which is what the rest of the cluster observes.
     */
    ABRUPT(Map.of("controlled.shutdown.enable", "false"));

    private final Map<String, String> brokerProperties;

    BrokerStop(Map<String, String> brokerProperties) {
        this.brokerProperties = brokerProperties;
    }

    /** The broker settings that select this way of stopping, e.g. for {@link EmbeddedKafkaCluster.Builder#brokerProperty}. */
    public Map<String, String> brokerProperties() {
        return brokerProperties;
    }

    /** The mode that broker settings {@code settings} select; {@link #CONTROLLED} unless they turn it off. */
    static BrokerStop of(Map<String, String> settings) {
        return "false".equalsIgnoreCase(settings.getOrDefault("controlled.shutdown.enable", "true").trim())
                ? ABRUPT : CONTROLLED;
    }
}
