package dev.kafkaprimer.examples.groups;

/**
 * The record value of the groups example: {@code {"key":"user-042","seq":1234}}. The example tells records
 * apart by partition and offset, the identity Kafka gives them; {@code seq} is the order of sending.
 *
 * @param key the record key, repeated so the value reads on its own
 * @param seq the producer's running number, from 0
 */
public record Numbered(String key, long seq) {
}
