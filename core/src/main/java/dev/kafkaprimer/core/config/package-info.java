/**
 * What every client of the library shares: how it connects to a secured cluster
 * ({@link dev.kafkaprimer.core.config.ClientSecurity}, {@link dev.kafkaprimer.core.config.SaslMechanism}) and the
 * rule that keeps secrets out of {@code toString()} and logs ({@link dev.kafkaprimer.core.config.SecretMasking}).
 */
package dev.kafkaprimer.core.config;
