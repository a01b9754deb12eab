package dev.kafkaprimer.examples.watch;

import java.util.Locale;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import dev.kafkaprimer.core.consumer.LoopListener;
import dev.kafkaprimer.core.consumer.RebalanceEvent;

/**
 * One member's loop events for the live view: records handled, retries and dead letters counted, each rebalance
 * on the timeline with the generation (or epoch) the member was told. Thread-safe (the state is); quick.
 */
final class LiveListener implements LoopListener {

    private final LiveState state;
    private final String member;

    LiveListener(LiveState state, String member) {
        this.state = state;
        this.member = member;
    }

    @Override
    public void recordHandled(ConsumerRecord<?, ?> record, long handlerNanos) {
        state.handled(member);
    }

    @Override
    public void attemptFailed(ConsumerRecord<?, ?> record, int attempt, Throwable failure, boolean retrying) {
        if (retrying) {
            state.retried(member);
        }
    }

    @Override
    public void deadLettered(ConsumerRecord<byte[], byte[]> record, String deadLetterTopic, Throwable failure) {
        state.deadLettered(member);
    }

    @Override
    public void rebalanced(RebalanceEvent event) {
        String partitions = event.partitions().stream().map(TopicPartition::partition).sorted()
                .map(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
        state.rebalanced(member, event.change().name().toLowerCase(Locale.ROOT), partitions, event.generation());
    }
}
