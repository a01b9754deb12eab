package dev.kafkaprimer.examples.bench;

import java.util.concurrent.atomic.LongAdder;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import dev.kafkaprimer.core.consumer.LoopListener;
import dev.kafkaprimer.core.producer.SendListener;

/**
 * What a metrics binding does on each event, and no more: count it and add up its latency, as a Micrometer
 * counter and timer would. The bench registers these to measure what listening costs the loop and the producer.
 * Thread-safe (adders).
 */
final class MetricListeners implements LoopListener, SendListener {

    private final LongAdder handled = new LongAdder();
    private final LongAdder handlerNanos = new LongAdder();
    private final LongAdder sent = new LongAdder();
    private final LongAdder sendNanos = new LongAdder();

    @Override
    public void recordHandled(ConsumerRecord<?, ?> record, long nanos) {
        handled.increment();
        handlerNanos.add(nanos);
    }

    @Override
    public void sendAcknowledged(RecordMetadata metadata, long nanos) {
        sent.increment();
        sendNanos.add(nanos);
    }

    long handled() {
        return handled.sum();
    }

    long sent() {
        return sent.sum();
    }
}
