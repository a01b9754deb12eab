/**
 * What every options class shares: the rule that keeps secrets out of {@code toString()} and logs
 * ({@link dev.kafkaprimer.core.config.SecretMasking}).
 */
package dev.kafkaprimer.core.config;
