package dev.kafkaprimer.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** How the warm-up run's arguments are made from the timed run's; no Kafka involved. */
class WarmedWalletTest {

    @Test
    void shouldGiveTheWarmUpItsOwnTopicAndDatabaseAndKeepEverythingElse() {
        List<String> timed = List.of("wallet", "--topic", "bench-wallet", "--events", "100", "--db", "/tmp/w.db",
                "--batch");

        List<String> warmUp = WarmedWallet.warmUpArgs(timed, "bench-wallet-warm-up", "/tmp/warm-up.db");

        assertEquals(List.of("wallet", "--topic", "bench-wallet-warm-up", "--events", "100", "--db",
                "/tmp/warm-up.db", "--batch"), warmUp);
        assertEquals("bench-wallet", timed.get(2), "the timed run's arguments are left as they were");
    }

    @Test
    void shouldRefuseArgumentsWithoutADatabaseNamingTheOption() {
        // Without --db the warm-up would share the timed run's database, and the timed run would start on its rows
        List<String> timed = List.of("wallet", "--topic", "bench-wallet");

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> WarmedWallet.warmUpArgs(timed, "t", "d"));

        assertTrue(refused.getMessage().contains("--db"), refused::getMessage);
    }
}
