/**
 * JSON record values: one {@link com.fasterxml.jackson.databind.ObjectMapper} setup ({@link
 * dev.kafkaprimer.core.json.Json}) and the Kafka serializer and deserializer over it.
 */
package dev.kafkaprimer.core.json;
