package dev.kafkaprimer.core.consumer;

import static dev.kafkaprimer.core.consumer.BrokerClients.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.GroupProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.kafkaprimer.testkit.EmbeddedKafkaCluster;
import dev.kafkaprimer.testkit.TestTopics;

/**
 * The loop through a short broker outage: commits that time out are retried, a seek that fails fails only its
 * own future, and once the broker is back the loop commits what it finished meanwhile. On a one-node cluster of
 * its own, since the test stops that node.
 */
class BrokerOutageTest {

    private static EmbeddedKafkaCluster kafka;

    @BeforeAll
    static void startCluster() {
        kafka = EmbeddedKafkaCluster.start(1);
    }

    @AfterAll
    static void stopCluster() {
        kafka.close();
    }

    @ParameterizedTest(name = "concurrency {0}")
    @ValueSource(ints = {1, 4})
    void shouldKeepRunningThroughABrokerOutageAndCommitWhatItFinishedOnceTheBrokerIsBack(int concurrency)
            throws Exception {
        // Given 10 records read 5 per poll, by a member whose client calls give up after 1.5 s, which has committed
        // the first 5 and is handling record 5
        String topic = new TestTopics("outage").next();
        String group = topic + "-group";
        TopicPartition partition = new TopicPartition(topic, 0);
        CountDownLatch atFive = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Long> handled = new CopyOnWriteArrayList<>();
        try (BrokerClients clients = new BrokerClients(kafka)) {
            clients.createTopic(topic, 1);
            for (int i = 0; i < 10; i++) {
                clients.send(topic, 0, "k" + i, "v" + i);
            }
            CommitLoop<String, String> loop = CommitLoop.create(
                    TestOptions.quick(kafka.bootstrapServers(), group, topic, GroupProtocol.CLASSIC)
                            .maxPollRecords(5)
                            .concurrency(concurrency)
                            .property(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 1_500)
                            .property(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 1_000)
                            .property(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 30_000)
                            .property(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1_000)
                            .build(),
                    new StringDeserializer(), record -> {
                        if (record.offset() == 5 && handled.size() == 5) {
                            atFive.countDown();
                            assertTrue(release.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "released");
                        }
                        handled.add(record.offset());
                    });
            try (LoopThread running = LoopThread.start(loop, "through-the-outage")) {
                running.awaitWhileRunning("committed offset 5", () -> clients.committed(group).get(partition),
                        offset -> offset != null && offset == 5L);
                assertTrue(atFive.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "record 5 is being handled");

                // When the broker goes away while the member finishes records 5 to 9, and a seek is asked for
                kafka.stopNode(kafka.brokerIds().get(0));
                release.countDown();
                running.awaitWhileRunning("records 5 to 9 handled", () -> handled.size() == 10);
                ExecutionException seek = assertThrows(ExecutionException.class,
                        () -> loop.seekToTimestamp(Instant.now()).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));

                // Then the seek failed by itself, and the loop, whose commits time out, is still running
                assertTrue(seek.getCause().getMessage().contains("the loop goes on where it was"), seek.toString());
                assertFalse(running.hasEnded(), "the loop survived the outage");

                // And when the broker is back, the loop commits what it finished meanwhile
                kafka.restartNode(kafka.brokerIds().get(0));
                running.awaitWhileRunning("committed offset 10", () -> clients.committed(group).get(partition),
                        offset -> offset != null && offset == 10L);
                loop.close();
                assertNull(running.awaitEnd(TIMEOUT), "run() returned normally");
            }
            assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), handled.subList(0, 10));
            assertEquals(Map.of(partition, 10L), clients.committed(group));
        }
    }
}
