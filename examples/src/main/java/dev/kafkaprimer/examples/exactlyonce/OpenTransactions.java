package dev.kafkaprimer.examples.exactlyonce;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeProducersResult.PartitionProducerState;
import org.apache.kafka.common.TopicPartition;

import dev.kafkaprimer.examples.cli.ExampleFailedException;
import dev.kafkaprimer.examples.cli.KafkaConnection;

/**
 * Counts the transactions still open on a topic's partitions, as {@code kafka-transactions.sh find-hanging}
 * finds them: the brokers' producer state of each partition ({@code Admin.describeProducers}) names, per
 * producer, where its open transaction began, if it has one.
 */
final class OpenTransactions {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private OpenTransactions() {
    }

    static int count(KafkaConnection kafka, String topic) {
        try (Admin admin = Admin.create(kafka.adminProperties(DEADLINE))) {
            List<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS).get(topic).partitions().stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            Map<TopicPartition, PartitionProducerState> states = admin.describeProducers(partitions).all()
                    .get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            return (int) states.values().stream()
                    .flatMap(state -> state.activeProducers().stream())
                    .filter(producer -> producer.currentTransactionStartOffset().isPresent())
                    .count();
        } catch (ExecutionException | TimeoutException e) {
            throw new ExampleFailedException("could not read the producer state of " + topic + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExampleFailedException("interrupted while reading the producer state of " + topic);
        }
    }
}
