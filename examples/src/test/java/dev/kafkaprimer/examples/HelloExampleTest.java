package dev.kafkaprimer.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.kafkaprimer.testkit.Await;
import dev.kafkaprimer.testkit.KafkaCluster;
import dev.kafkaprimer.testkit.TestTopics;
import dev.kafkaprimer.testkit.WithKafkaCluster;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

@WithKafkaCluster
class HelloExampleTest {

    @Test
    void shouldCreateProduceConsumeAndDeleteOnAnExistingCluster(KafkaCluster kafka, TestTopics topics)
            throws Exception {
        String topic = topics.next();

        PrimerRun run = PrimerRun.of(Map.of(), "hello", "--bootstrap-server", kafka.bootstrapServers(),
                "--topic", topic);

        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("Created topic '" + topic + "'"), run::toString);
        assertTrue(run.out().contains("partition 0, offset 0: hello kafka"), run::toString);
        assertTrue(run.out().contains("Deleted topic '" + topic + "'"), run::toString);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            // Deletion is acknowledged by the controller; a broker's metadata may list the topic a moment longer.
            Await.until(Duration.ofSeconds(30), "topic " + topic + " gone from the cluster's metadata",
                    () -> topicNames(admin), names -> !names.contains(topic));
        }
    }

    @Test
    void shouldLeavePlainUtf8TextInTheTopicWithKeepTopic(KafkaCluster kafka, TestTopics topics) {
        String topic = topics.next();

        PrimerRun run = PrimerRun.of(Map.of("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers()),
                "hello", "--topic", topic, "--keep-topic");

        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("(from KAFKA_BOOTSTRAP_SERVERS)"), run::toString);
        // The bytes are exactly the text, as Kafka's console consumer would print them.
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            ConsumerRecords<byte[], byte[]> records = Await.until(Duration.ofSeconds(30), "the kept record",
                    () -> consumer.poll(Duration.ofMillis(200)), r -> !r.isEmpty());
            assertEquals("hello kafka", new String(records.iterator().next().value(),
                    java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    @Test
    void shouldStartTheEmbeddedBrokerWhenNoClusterIsNamed() {
        PrimerRun run = PrimerRun.of(Map.of(), "hello", "--message", "hi from the embedded broker");

        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("starting an embedded Kafka broker"), run::toString);
        assertTrue(run.out().contains("offset 0: hi from the embedded broker"), run::toString);
        assertTrue(run.out().contains("hello: OK"), run::toString);
    }

    private static java.util.Set<String> topicNames(Admin admin) {
        try {
            return admin.listTopics().names().get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
