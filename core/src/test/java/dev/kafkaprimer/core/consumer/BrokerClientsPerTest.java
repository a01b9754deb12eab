package dev.kafkaprimer.core.consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import dev.kafkaprimer.testkit.KafkaCluster;

/**
 * The set-up the commit-loop test classes share: the class's cluster, and for each test real Admin, producer and
 * consumer clients on it ({@link BrokerClients}), closed after the test. Subclasses add their cluster annotation
 * ({@link QuickGroupsCluster}) and use {@link #kafka} and {@link #clients}.
 */
abstract class BrokerClientsPerTest {

    /** The cluster the test class runs on. */
    protected KafkaCluster kafka;
    /** Clients for setting up and checking, new for each test. */
    protected BrokerClients clients;

    @BeforeEach
    void connect(KafkaCluster kafka) {
        this.kafka = kafka;
        this.clients = new BrokerClients(kafka);
    }

    @AfterEach
    void disconnect() {
        clients.close();
    }
}
