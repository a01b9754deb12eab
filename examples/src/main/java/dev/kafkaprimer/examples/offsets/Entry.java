package dev.kafkaprimer.examples.offsets;

/**
 * The record value of the offsets example: {@code {"number":3}}. With one partition, record number N is
 * written at offset N, which makes the offsets easy to follow.
 *
 * @param number the order of writing, from 0
 */
public record Entry(int number) {
}
