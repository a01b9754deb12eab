/**
 * Kafka Primer's events in Micrometer: {@link dev.kafkaprimer.micrometer.LoopMetrics} for a commit loop,
 * {@link dev.kafkaprimer.micrometer.SendMetrics} for a producer, each with the client's own kafka-clients
 * metrics beside it. Core does not depend on this module; add {@code kafka-primer-micrometer} and a registry of your
 * choice (Prometheus, OTLP, ...).
 */
package dev.kafkaprimer.micrometer;
