/**
 * Sending Java objects as JSON records: {@link dev.kafkaprimer.core.producer.ProducerOptions} says how,
 * {@link dev.kafkaprimer.core.producer.JsonProducer} sends, {@link dev.kafkaprimer.core.producer.SendResult}
 * says where each record landed.
 */
package dev.kafkaprimer.core.producer;
