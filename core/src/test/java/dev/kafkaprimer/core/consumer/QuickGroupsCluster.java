package dev.kafkaprimer.core.consumer;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.kafkaprimer.testkit.WithKafkaCluster;

/**
 * The shared one-node cluster of the consumer tests, with group timings short enough for tests: members of
 * consumer-protocol (KIP-848) groups heartbeat every 500 ms instead of 5 s, so a rebalance settles in about a
 * second; and classic groups may use sessions down to 1 s, so a killed member is noticed in seconds.
 * Every class using it shares one cluster.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@WithKafkaCluster(brokerProperties = {
        "group.consumer.heartbeat.interval.ms=500",
        "group.consumer.min.heartbeat.interval.ms=500",
        "group.min.session.timeout.ms=1000"})
public @interface QuickGroupsCluster {
}
