package dev.kafkaprimer.testkit;

/** What a node of an {@link EmbeddedKafkaCluster} does, as in the broker's {@code process.roles}. */
public enum NodeRole {
    /** Broker and controller in one process: the single-node layout of the learner's note and its compose file. */
    COMBINED("broker,controller"),
    /** Stores partitions and serves clients; follows the controllers for metadata. */
    BROKER("broker"),
    /** Member of the KRaft controller quorum: holds the cluster metadata and elects partition leaders. */
    CONTROLLER("controller");

    private final String processRoles;

    NodeRole(String processRoles) {
        this.processRoles = processRoles;
    }

    String processRoles() {
        return processRoles;
    }

    boolean servesClients() {
        return this != CONTROLLER;
    }

    boolean votesInQuorum() {
        return this != BROKER;
    }
}
