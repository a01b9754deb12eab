package dev.kafkaprimer.testkit;

import java.nio.file.Path;
import java.util.Objects;

import org.apache.kafka.common.config.types.Password;

/**
 * The file a client presents to a listener that requires client certificates (mutual TLS): a store holding the
 * client's private key and its certificate ({@code CN=kafka-primer-client}, for client authentication only),
 * signed by the same throwaway CA as the broker's. Clients name it with {@code ssl.keystore.location},
 * {@code ssl.keystore.type} and {@code ssl.keystore.password}; a PKCS12 store has one password, so
 * {@code ssl.key.password} is the same.
 *
 * <p>Anyone who can read the file and knows the password can act as this client: the cluster keeps it in its
 * data directory, which {@link EmbeddedKafkaCluster#close()} deletes.
 *
 * @param location the store's path, inside the cluster's data directory (deleted when the cluster closes)
 * @param type     the store format, {@code PKCS12}
 * @param password the password of the store and of the key in it; its {@code toString()} shows {@code [hidden]}
 */
public record ClientKeyStore(Path location, String type, Password password) {

    /**
     * Checks that no part is missing.
     *
     * @param location the store's path
     * @param type     the store format
     * @param password the password of the store and of the key in it
     * @throws NullPointerException if a part is null
     */
    public ClientKeyStore {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(password, "password");
    }
}
