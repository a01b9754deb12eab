package dev.kafkaprimer.core.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.consumer.GroupProtocol;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.kafkaprimer.testkit.Await;
import dev.kafkaprimer.testkit.TestTopics;

/**
 * What a loop reads of records written in transactions, with each isolation level: a transactional producer
 * writes a committed transaction, an aborted one and a committed one, and a loop reads the partition.
 */
@QuickGroupsCluster
class IsolationLevelTest extends BrokerClientsPerTest {

    private String topic;
    private TopicPartition partition;

    @BeforeEach
    void writeThreeTransactions(TestTopics topics) {
        topic = topics.next();
        partition = new TopicPartition(topic, 0);
        clients.createTopic(topic, 1);
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, topic + "-tx");
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            for (String outcome : List.of("committed-1", "aborted", "committed-2")) {
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(topic, 0, "k", outcome));
                producer.flush();
                if (outcome.equals("aborted")) {
                    producer.abortTransaction();
                } else {
                    producer.commitTransaction();
                }
            }
        }
    }

    @Test
    void shouldReadOnlyCommittedTransactionsWithReadCommitted() {
        assertEquals(List.of("committed-1", "committed-2"), readAll(IsolationLevel.READ_COMMITTED, 1));
    }

    @Test
    void shouldReadAbortedTransactionsTooWithReadUncommittedTheDefault() {
        assertEquals(ConsumerOptions.DEFAULT_ISOLATION_LEVEL, IsolationLevel.READ_UNCOMMITTED);
        assertEquals(List.of("committed-1", "aborted", "committed-2"),
                readAll(IsolationLevel.READ_UNCOMMITTED, 1));
    }

    @Test
    void shouldReadOnlyCommittedTransactionsAndCommitPastTheLastMarkerWithWorkersToo() {
        assertEquals(List.of("committed-1", "committed-2"), readAll(IsolationLevel.READ_COMMITTED, 4));
    }

    /**
     * Runs a loop with {@code level} and {@code concurrency} workers (1: the loop thread handles records itself)
     * until it has committed the log's end offset, past the last transaction's marker (the three records and
     * their transactions' three markers: 6), and returns the values handled, in order.
     */
    private List<String> readAll(IsolationLevel level, int concurrency) {
        // commitTransaction() returns once the coordinator has decided; it writes the markers just after
        long end = Await.until(BrokerClients.TIMEOUT, "three records, each followed by its transaction's marker",
                () -> clients.endOffset(partition), offset -> offset == 6L);
        String group = topic + "-" + level + "-" + concurrency;
        List<String> handled = new CopyOnWriteArrayList<>();
        CommitLoop<String, String> loop = CommitLoop.create(
                TestOptions.quick(kafka.bootstrapServers(), group, topic, GroupProtocol.CLASSIC)
                        .isolationLevel(level).ordering(concurrency == 1 ? Ordering.PARTITION : Ordering.KEY)
                        .concurrency(concurrency).build(),
                (t, bytes) -> new String(bytes, StandardCharsets.UTF_8), record -> handled.add(record.value()));
        try (LoopThread running = LoopThread.start(loop, "isolation-" + level)) {
            running.awaitWhileRunning("committed offset " + end, () -> clients.committed(group).get(partition),
                    offset -> offset != null && offset == end);
        }
        return handled;
    }
}
