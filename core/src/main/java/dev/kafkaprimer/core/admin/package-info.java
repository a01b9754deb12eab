/**
 * Topics as objects you can create, inspect, grow and delete, each call with a deadline:
 * {@link dev.kafkaprimer.core.admin.TopicAdmin}.
 */
package dev.kafkaprimer.core.admin;
