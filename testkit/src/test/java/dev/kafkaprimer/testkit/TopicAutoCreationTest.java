package dev.kafkaprimer.testkit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A cluster built with {@code autoCreateTopics(false)} behaves as production clusters that turn creation off:
 * a send to a missing topic waits for its metadata and fails, and the topic is not there afterwards. (The
 * default, Kafka's own, creates it: {@code EmbeddedKafkaClusterTest}.)
 */
class TopicAutoCreationTest {

    private static EmbeddedKafkaCluster kafka;

    @BeforeAll
    static void startCluster() {
        kafka = EmbeddedKafkaCluster.builder().autoCreateTopics(false).start();
    }

    @AfterAll
    static void stopCluster() {
        kafka.close();
    }

    @Test
    void shouldNotCreateATopicOnFirstUseWhenTurnedOff() throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000), new StringSerializer(), new StringSerializer());
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            ExecutionException sent = assertThrows(ExecutionException.class,
                    () -> producer.send(new ProducerRecord<>("never-created", "v")).get(30, TimeUnit.SECONDS));

            assertInstanceOf(TimeoutException.class, sent.getCause());
            assertFalse(admin.listTopics().names().get(30, TimeUnit.SECONDS).contains("never-created"));
        }
    }
}
