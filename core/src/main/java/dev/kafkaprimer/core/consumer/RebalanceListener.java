package dev.kafkaprimer.core.consumer;

/**
 * Told when a rebalance changes the partitions a {@link CommitLoop} owns: to watch a group share its work,
 * as {@code ./primer groups} does, or to set up and tear down per-partition state.
 *
 * <pre>{@code
 * ConsumerOptions options = ConsumerOptions.builder("localhost:9092", "billing", List.of("orders"))
 *         .rebalanceListener(event -> System.out.println(event.change() + " " + event.partitions()
 *                 + " in generation " + event.generation() + "; now owning " + event.owned()))
 *         .build();
 * }</pre>
 *
 * <p><b>Threading.</b> The loop calls it on the loop thread, from inside Kafka's {@code poll()} (and from
 * {@code close()}, which gives up the member's partitions), one event at a time; while it runs the member
 * neither polls nor heartbeats, so keep it short. Revoked partitions are reported after their finished work
 * was committed: by then the next owner starts right after it.
 *
 * <p><b>Failures.</b> An exception it throws goes back through Kafka's {@code poll()} (wrapped in a
 * {@code KafkaException}) and stops the loop, whose {@code run()} then throws it; catch what you can handle.
 */
@FunctionalInterface
public interface RebalanceListener {

    /** The listener that ignores every event, used when none is given. */
    RebalanceListener NONE = event -> { };

    /**
     * One change of ownership.
     *
     * @param event what changed; never null, and never with an empty {@link RebalanceEvent#partitions()}
     */
    void onRebalance(RebalanceEvent event);
}
