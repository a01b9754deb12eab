package dev.kafkaprimer.testkit;

import java.nio.file.Path;
import java.util.Objects;

import org.apache.kafka.common.config.types.Password;

/**
 * The file a client needs to trust a TLS listener of the embedded cluster: a store holding the certificate of the
 * cluster's throwaway CA. Clients name it with {@code ssl.truststore.location}, {@code ssl.truststore.type} and
 * {@code ssl.truststore.password}.
 *
 * @param location the store's path, inside the cluster's data directory (deleted when the cluster closes)
 * @param type     the store format, {@code PKCS12}
 * @param password the store's password; its {@code toString()} shows {@code [hidden]}
 */
public record TrustStore(Path location, String type, Password password) {

    /**
     * Checks that no part is missing.
     *
     * @throws NullPointerException if a part is null
     */
    public TrustStore {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(password, "password");
    }
}
