package dev.kafkaprimer.core.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

import dev.kafkaprimer.core.admin.TopicAdmin;
import dev.kafkaprimer.testkit.KafkaCluster;
import dev.kafkaprimer.testkit.TestTopics;
import dev.kafkaprimer.testkit.WithKafkaCluster;

/**
 * {@code sendAndWait}'s timeout is the bound, also while the producer waits for a topic's metadata (which
 * kafka-clients bounds by {@code max.block.ms}, a minute here), and its message tells a cluster that never
 * answered from a topic that does not exist. The cluster does not create topics on first use, as many
 * production clusters do not.
 */
@WithKafkaCluster(brokerProperties = "auto.create.topics.enable=false")
class SendAndWaitDeadlineTest {

    /** Far below max.block.ms (60 s), far above the 2 s asked for: a bound that can fail only on a hang. */
    private static final Duration BOUND = Duration.ofSeconds(15);

    @Test
    void shouldFailWithinItsTimeoutNamingTheAddressWhenNoBrokerAnswers() throws IOException {
        // Given a producer pointed at a loopback port where nobody listens
        String address = "127.0.0.1:" + closedPort();
        try (JsonProducer<String, String> producer = JsonProducer.create(ProducerOptions.builder(address).build())) {
            // When a record is sent and waited for, 2 s at most
            long began = System.nanoTime();
            TimeoutException error = assertThrows(TimeoutException.class,
                    () -> producer.sendAndWait("orders", "k", "v", Duration.ofSeconds(2)));

            // Then the wait ends at about 2 s, not after the minute of max.block.ms, and blames the address
            Duration took = Duration.ofNanos(System.nanoTime() - began);
            assertTrue(took.compareTo(BOUND) < 0, "failed after " + took);
            assertTrue(error.getMessage().contains("no answer within 2000 ms for a record to topic orders"),
                    error.getMessage());
            assertTrue(error.getMessage().contains("no broker at " + address + " answered"), error.getMessage());
            producer.close(Duration.ZERO);
        }
    }

    @Test
    void shouldTellAMissingTopicFromAClusterThatDoesNotAnswer(KafkaCluster kafka, TestTopics topics) {
        String missing = topics.next();
        try (JsonProducer<String, String> producer =
                     JsonProducer.create(ProducerOptions.builder(kafka.bootstrapServers()).build())) {
            TimeoutException error = assertThrows(TimeoutException.class,
                    () -> producer.sendAndWait(missing, "k", "v", Duration.ofSeconds(2)));

            assertTrue(error.getMessage().contains("the cluster at " + kafka.bootstrapServers() + " answers, but gave"
                    + " no metadata for topic " + missing), error.getMessage());
            producer.close(Duration.ZERO);
        }
    }

    @Test
    void shouldStillSendAndWaitToATopicThatExists(KafkaCluster kafka, TestTopics topics) {
        String topic = topics.next();
        try (TopicAdmin admin = TopicAdmin.connect(kafka.bootstrapServers());
             JsonProducer<String, String> producer =
                     JsonProducer.create(ProducerOptions.builder(kafka.bootstrapServers()).build())) {
            admin.createTopic(topic, 1);
            SendResult first = producer.sendAndWait(topic, "k", "v1", Duration.ofSeconds(30));
            SendResult second = producer.sendAndWait(topic, "k", "v2", Duration.ofSeconds(30));
            assertEquals(first.offset() + 1, second.offset());
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
