package dev.kafkaprimer.examples.cli;

import java.time.Duration;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * Says in one sentence why a first call to the cluster failed, and what to check: the three ways a connection
 * goes wrong look very different to kafka-clients. A wrong password and an untrusted certificate are answered
 * at once; a client speaking the wrong protocol gets no answer it can read, so it only times out.
 *
 * <p>Thread-safe (stateless).
 */
public final class ConnectionProblem {

    private ConnectionProblem() {
    }

    /**
     * The explanation for {@code failure} (as thrown by a first client call, wrapped or not).
     *
     * @param failure  what the call threw: a {@code TimeoutException} (Kafka's or the JDK's), an
     *                 {@code ExecutionException} around Kafka's exception, or Kafka's exception itself
     * @param kafka    where the example connected, and how
     * @param deadline how long the call was given
     * @return a sentence naming the address, the cause, and what to check; never a secret
     */
    public static String explain(Throwable failure, KafkaConnection kafka, Duration deadline) {
        Throwable cause = failure instanceof ExecutionException && failure.getCause() != null
                ? failure.getCause() : failure;
        String servers = kafka.bootstrapServers();
        if (cause instanceof SaslAuthenticationException) {
            return "the broker at " + servers + " refused the login (" + cause.getMessage() + "). Check the user"
                    + " name and password in " + ExampleOptions.COMMAND_CONFIG + " (sasl.jaas.config), and that"
                    + " sasl.mechanism is one the broker enables.";
        }
        if (cause instanceof SslAuthenticationException) {
            return "the TLS handshake with " + servers + " failed (" + rootMessage(cause) + "). Does the trust store"
                    + " (ssl.truststore.location) hold the CA that signed the broker's certificate, and was it"
                    + " issued for the host name in " + ExampleOptions.BOOTSTRAP_SERVER + "? If the broker requires"
                    + " client certificates (ssl.client.auth=required), does the key store (ssl.keystore.location)"
                    + " hold one signed by a CA it trusts?";
        }
        String noAnswer = "no Kafka broker answered at " + servers + " within " + deadline.toSeconds()
                + " s. Is a broker running there?";
        if (kafka.security().protocol() == SecurityProtocol.PLAINTEXT) {
            return noAnswer + " If one is, its listener may need TLS or a login, which a PLAINTEXT client cannot"
                    + " speak: pass " + ExampleOptions.COMMAND_CONFIG + " FILE with security.protocol=SSL or"
                    + " SASL_SSL. (cause: " + rootMessage(cause) + ")";
        }
        return noAnswer + " If one is, does the listener there speak " + kafka.security().protocol() + "? (cause: "
                + rootMessage(cause) + ")";
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
