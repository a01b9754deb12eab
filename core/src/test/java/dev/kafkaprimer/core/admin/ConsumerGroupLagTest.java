package dev.kafkaprimer.core.admin;

import static dev.kafkaprimer.core.consumer.BrokerClients.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.OptionalLong;

import org.apache.kafka.clients.consumer.GroupProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import dev.kafkaprimer.testkit.KafkaCluster;
import dev.kafkaprimer.testkit.TestTopics;

import dev.kafkaprimer.core.consumer.BrokerClients;
import dev.kafkaprimer.core.consumer.CommitLoop;
import dev.kafkaprimer.core.consumer.LoopThread;
import dev.kafkaprimer.core.consumer.QuickGroupsCluster;
import dev.kafkaprimer.core.consumer.TestOptions;

@QuickGroupsCluster
class ConsumerGroupLagTest {

    @Test
    void shouldReportCommittedOffsetLogEndAndLagPerPartition(KafkaCluster kafka, TestTopics topics) {
        try (BrokerClients clients = new BrokerClients(kafka)) {
            // Given 5 records on partition 0, 3 on partition 1 and none on partition 2
            String topic = topics.next();
            clients.createTopic(topic, 3);
            for (int i = 0; i < 5; i++) {
                clients.send(topic, 0, "k" + i, "v" + i);
            }
            for (int i = 0; i < 3; i++) {
                clients.send(topic, 1, "k" + i, "v" + i);
            }
            String group = topic + "-group";
            CommitLoop<String, String> loop = CommitLoop.create(
                    TestOptions.quick(kafka.bootstrapServers(), group, topic, GroupProtocol.CLASSIC).build(),
                    new StringDeserializer(), record -> { });

            try (LoopThread running = LoopThread.start(loop, "lag-loop")) {
                // When a member has processed everything
                // Then partitions 0 and 1 show no lag; partition 2 is assigned but has no committed offset
                List<PartitionLag> expected = List.of(
                        new PartitionLag(new TopicPartition(topic, 0), OptionalLong.of(5), 5),
                        new PartitionLag(new TopicPartition(topic, 1), OptionalLong.of(3), 3),
                        new PartitionLag(new TopicPartition(topic, 2), OptionalLong.empty(), 0));
                List<PartitionLag> lags = running.awaitWhileRunning("lag 0 on partitions 0 and 1",
                        () -> ConsumerGroupLag.read(clients.admin(), group, TIMEOUT), expected::equals);
                assertEquals(OptionalLong.of(0), lags.get(0).lag());
                assertEquals(OptionalLong.empty(), lags.get(2).lag());
            }

            // When the member has left and 4 more records arrive on partition 0
            for (int i = 5; i < 9; i++) {
                clients.send(topic, 0, "k" + i, "v" + i);
            }

            // Then partition 0 is 4 behind, and partition 2 (no member, no commit) is no longer listed
            List<PartitionLag> lags = ConsumerGroupLag.read(clients.admin(), group, TIMEOUT);
            assertEquals(List.of(
                    new PartitionLag(new TopicPartition(topic, 0), OptionalLong.of(5), 9),
                    new PartitionLag(new TopicPartition(topic, 1), OptionalLong.of(3), 3)), lags);
            assertEquals(OptionalLong.of(4), lags.get(0).lag());

            // And a group that does not exist has no lag at all
            assertEquals(List.of(), ConsumerGroupLag.read(clients.admin(), topic + "-nobody", TIMEOUT));
        }
    }
}
