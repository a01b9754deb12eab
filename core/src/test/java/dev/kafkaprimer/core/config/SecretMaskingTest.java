package dev.kafkaprimer.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class SecretMaskingTest {

    @Test
    void shouldTreatPasswordsJaasConfigsTokensAndKeyMaterialAsSecret() {
        List<String> secrets = List.of("ssl.key.password", "ssl.keystore.password", "ssl.truststore.password",
                "SSL.KEYSTORE.KEY", "sasl.jaas.config", "sasl.oauthbearer.client.credentials.client.secret",
                "sasl.oauthbearer.assertion.private.key.passphrase", "basic.auth.secret", "api.token");
        secrets.forEach(name -> assertTrue(SecretMasking.isSecret(name), name));
    }

    @Test
    void shouldShowOrdinarySettingsIncludingKeystoreLocations() {
        List<String> plain = List.of("security.protocol", "ssl.keystore.location", "ssl.keystore.type",
                "batch.size", "partitioner.ignore.keys", "sasl.mechanism");
        plain.forEach(name -> assertFalse(SecretMasking.isSecret(name), name));
    }

    @Test
    void shouldDisplayHiddenForSecretsAndTheValueOtherwise() {
        assertEquals("[hidden]", SecretMasking.display("ssl.key.password", "hunter2"));
        assertEquals("SASL_SSL", SecretMasking.display("security.protocol", "SASL_SSL"));
        assertEquals("null", SecretMasking.display("client.rack", null));
    }
}
