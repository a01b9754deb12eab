package dev.kafkaprimer.core.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.kafkaprimer.core.admin.TopicAdmin;
import dev.kafkaprimer.core.consumer.CommitLoop;
import dev.kafkaprimer.core.consumer.ConsumerOptions;
import dev.kafkaprimer.core.producer.JsonProducer;
import dev.kafkaprimer.core.producer.ProducerOptions;
import dev.kafkaprimer.core.producer.SendResult;
import dev.kafkaprimer.testkit.Await;

/**
 * The three clients of the library over one security: {@link TopicAdmin} creates a topic, {@link JsonProducer}
 * writes a record, a {@link CommitLoop} reads it back in a consumer group.
 */
final class SecuredRoundTrip {

    static final Duration DEADLINE = Duration.ofSeconds(30);

    /** What the round trip writes and reads. */
    record Greeting(String text) {
    }

    private SecuredRoundTrip() {
    }

    /** Runs the round trip; returns what the consumer read. */
    static Greeting run(String bootstrapServers, ClientSecurity security, String topic) throws Exception {
        try (TopicAdmin admin = TopicAdmin.connect(bootstrapServers, security, DEADLINE)) {
            admin.createTopic(topic, 1);
        }
        ProducerOptions producerOptions = ProducerOptions.builder(bootstrapServers).security(security)
                .maxBlock(DEADLINE).build();
        try (JsonProducer<String, Greeting> producer = JsonProducer.create(producerOptions)) {
            SendResult sent = producer.sendAndWait(topic, "k", new Greeting("hello over " + security.protocol()),
                    DEADLINE);
            if (sent.offset() != 0) {
                throw new AssertionError("expected offset 0 in a new topic, was " + sent.offset());
            }
        }
        List<Greeting> read = new CopyOnWriteArrayList<>();
        ConsumerOptions consumerOptions = ConsumerOptions.builder(bootstrapServers, topic + "-group", List.of(topic))
                .security(security).pollTimeout(Duration.ofMillis(100)).build();
        CommitLoop<String, Greeting> loop = CommitLoop.forJson(consumerOptions, Greeting.class,
                record -> read.add(record.value()));
        CompletableFuture<Void> running = CompletableFuture.runAsync(loop);
        try {
            Await.until(DEADLINE, "the greeting read back from " + topic, () -> {
                if (running.isDone()) {
                    throw new AssertionError("the loop stopped: " + failure(running).orElse(null));
                }
                return !read.isEmpty();
            });
        } finally {
            loop.close(DEADLINE);
        }
        return read.get(0);
    }

    /** What a finished {@code runAsync} future failed with, if anything. */
    static Optional<Throwable> failure(CompletableFuture<Void> done) {
        try {
            done.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            return Optional.empty();
        } catch (ExecutionException e) {
            return Optional.of(e.getCause());
        } catch (Exception e) {
            throw new AssertionError("the loop did not end", e);
        }
    }
}
