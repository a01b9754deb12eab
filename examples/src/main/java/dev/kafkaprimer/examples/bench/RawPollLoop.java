package dev.kafkaprimer.examples.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The raw side's consumer, as a user writes it by hand from {@code KafkaConsumer}'s documentation: poll,
 * deserialize each value with the application's {@link ObjectMapper}, handle it, {@code commitSync()} after the
 * batch; {@link #close()} from another thread sets a flag and wakes the consumer up.
 */
final class RawPollLoop implements Runnable {

    private final BenchClients clients;
    private final String groupId;
    private final String topic;
    private final ObjectMapper mapper;
    private final RecordSink sink;
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile KafkaConsumer<String, byte[]> consumer;

    RawPollLoop(BenchClients clients, String groupId, String topic, ObjectMapper mapper, RecordSink sink) {
        this.clients = clients;
        this.groupId = groupId;
        this.topic = topic;
        this.mapper = mapper;
        this.sink = sink;
    }

    @Override
    public void run() {
        // Created on the loop's own thread, as the commit loop creates its consumer: the two sides run alike.
        consumer = new KafkaConsumer<>(clients.rawConsumer(groupId), new StringDeserializer(),
                new ByteArrayDeserializer());
        try {
            consumer.subscribe(List.of(topic));
            while (!closing.get()) {
                ConsumerRecords<String, byte[]> records = consumer.poll(BenchClients.POLL_TIMEOUT);
                for (ConsumerRecord<String, byte[]> record : records) {
                    sink.accept(mapper.readValue(record.value(), BenchEvent.class));
                }
                consumer.commitSync();
            }
        } catch (WakeupException e) {
            if (!closing.get()) {
                throw e;  // nobody else calls wakeup(): a failure, not our close
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a bench event", e);
        } finally {
            consumer.close();
        }
    }

    /** Stops the loop from another thread. */
    void close() {
        closing.set(true);
        KafkaConsumer<String, byte[]> created = consumer;
        if (created != null) {
            created.wakeup();  // else the loop has not started yet, and sees the flag before its first poll
        }
    }
}
