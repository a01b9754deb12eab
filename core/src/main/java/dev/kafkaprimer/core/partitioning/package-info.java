/**
 * Which partition a key goes to, and what changing the partition count does to per-key order:
 * {@link dev.kafkaprimer.core.partitioning.KeyPartitioner}.
 */
package dev.kafkaprimer.core.partitioning;
