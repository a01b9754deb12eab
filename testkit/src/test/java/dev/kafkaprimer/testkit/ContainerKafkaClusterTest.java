package dev.kafkaprimer.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Runs only where a Docker engine answers; elsewhere it is skipped, saying so. */
class ContainerKafkaClusterTest {

    @Test
    void shouldRoundTripOnTheNotesKafkaImage() throws Exception {
        assumeTrue(ContainerKafkaCluster.isDockerAvailable(),
                "skipped: no Docker engine on this machine, so the " + ContainerKafkaCluster.NOTE_IMAGE
                        + " container cannot run (the embedded broker covers every other test)");
        try (ContainerKafkaCluster kafka = ContainerKafkaCluster.start(ContainerKafkaCluster.NOTE_IMAGE)) {
            String topic = new TestTopics("container").next();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    kafka.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                    new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(topic, "hello kafka")).get(30, TimeUnit.SECONDS);
            }
            assertEquals("hello kafka", EmbeddedKafkaClusterTest.readAll(kafka, topic, 1).get(0).value());
        }
    }
}
