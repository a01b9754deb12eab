/**
 * The cluster seen through the Admin client, each call with a deadline: topics as objects you can create,
 * inspect, grow and delete ({@link dev.kafkaprimer.core.admin.TopicAdmin}), and how far a consumer group is
 * behind, partition by partition ({@link dev.kafkaprimer.core.admin.ConsumerGroupLag},
 * {@link dev.kafkaprimer.core.admin.PartitionLag}).
 */
package dev.kafkaprimer.core.admin;
