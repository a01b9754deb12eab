package dev.kafkaprimer.examples.wallet;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.kafkaprimer.core.producer.JsonProducer;
import dev.kafkaprimer.core.producer.ProducerOptions;
import dev.kafkaprimer.core.producer.SendResult;
import dev.kafkaprimer.examples.cli.KafkaConnection;
import dev.kafkaprimer.micrometer.ObservedSends;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The wallet's producing side, for a whole run and for {@code --role produce} alike: the events with key =
 * user id (and where they went), the malformed records, the manifest. Stateless.
 */
final class EventWriter {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private EventWriter() {
    }

    /**
     * Sends every event, waits for every acknowledgement, and prints how users and events fell on partitions,
     * each line starting with {@code label}.
     */
    static void produce(KafkaConnection kafka, WalletPlan plan, List<WalletEvent> events,
                        WalletMember.Watchers watch, String label, PrintStream out) {
        String topic = plan.topic();
        boolean keyed = plan.keyed();
        ProducerOptions.Builder builder = ProducerOptions.builder(kafka.bootstrapServers()).security(kafka.security())
                .linger(Duration.ofMillis(5)).maxBlock(DEADLINE);
        if (watch.metrics() != null) {
            watch.metrics().measure(builder);
        }
        if (!plan.inBatches()) {
            // Each event starts a trace; its context goes in the record's traceparent header.
            builder.interceptor(new ObservedSends(watch.observations()));
        }
        Map<Integer, Set<String>> usersByPartition = new TreeMap<>();
        Map<Integer, Integer> eventsByPartition = new TreeMap<>();
        long began = System.nanoTime();
        try (JsonProducer<String, WalletEvent> producer = JsonProducer.create(builder.build())) {
            List<CompletableFuture<SendResult>> sends = new ArrayList<>(events.size());
            for (WalletEvent event : events) {
                sends.add(producer.send(topic, keyed ? event.userId() : null, event));
            }
            for (int i = 0; i < sends.size(); i++) {
                SendResult sent = sends.get(i).join();
                usersByPartition.computeIfAbsent(sent.partition(), p -> new TreeSet<>()).add(events.get(i).userId());
                eventsByPartition.merge(sent.partition(), 1, Integer::sum);
            }
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        out.printf("%sProduced %d events %s in %.1f s (%.0f/s), all acknowledged; where they went:%n", label,
                events.size(), keyed ? "with key = userId" : "WITHOUT keys", seconds, events.size() / seconds);
        for (Map.Entry<Integer, Set<String>> partition : usersByPartition.entrySet()) {
            out.println("   partition " + partition.getKey() + ": " + partition.getValue().size() + " users, "
                    + eventsByPartition.get(partition.getKey()) + " events");
        }
        if (keyed) {
            out.println("   Every user sits in exactly one partition, so one consumer applies its events in order.");
        }
    }

    /** Writes {@code count} records that are not JSON (poison pills for the dead-letter topic). */
    static void injectMalformed(Map<String, Object> client, String topic, int count, PrintStream out) {
        if (count == 0) {
            return;
        }
        List<byte[]> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            values.add(("{\"eventId\": broken " + i).getBytes());
        }
        sendRaw(client, topic, values, "the malformed records");
        out.println("   Also wrote " + count + " malformed record(s): poison pills for the dead-letter topic.");
    }

    /** Writes the run's manifest to its topic, acknowledged before this returns. */
    static void writeManifest(Map<String, Object> client, String eventTopic, WalletManifest manifest) {
        sendRaw(client, WalletManifest.topicOf(eventTopic), List.of(manifest.toJson()), "the manifest");
    }

    /** A raw producer, past the JSON serializer: the bytes exactly as given, each acknowledged in turn. */
    private static void sendRaw(Map<String, Object> client, String topic, List<byte[]> values, String what) {
        try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(client, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (byte[] value : values) {
                raw.send(new ProducerRecord<>(topic, value)).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing " + what, e);
        } catch (Exception e) {
            throw new IllegalStateException("could not write " + what + " to '" + topic + "'", e);
        }
    }
}
