/**
 * Kafka Primer's events in Micrometer: {@link dev.kafkaprimer.micrometer.LoopMetrics} for a commit loop,
 * {@link dev.kafkaprimer.micrometer.SendMetrics} for a producer, each with the client's own kafka-clients
 * metrics beside it; and trace context across Kafka with Micrometer's Observation API:
 * {@link dev.kafkaprimer.micrometer.ObservedSends} writes the sender's W3C {@code traceparent} into each record,
 * {@link dev.kafkaprimer.micrometer.ObservedHandlers} makes it the parent of the handler's observation. Core does
 * not depend on this module; add {@code kafka-primer-micrometer}, a registry of your choice (Prometheus, OTLP, ...)
 * and, for traces, a tracer bridge (Micrometer Tracing over OpenTelemetry or Brave).
 */
package dev.kafkaprimer.micrometer;
