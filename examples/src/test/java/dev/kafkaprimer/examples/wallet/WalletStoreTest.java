package dev.kafkaprimer.examples.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WalletStoreTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgres"})
    void shouldApplyEachEventOnceEvenWhenDeliveredTwice(String db) throws Exception {
        // Given an empty wallet
        try (WalletStore store = WalletStore.open(TestDatabases.named(db, dir))) {
            store.prepare(true);
            WalletEvent charge = new WalletEvent("e-1", "alice", WalletEvent.Type.CHARGE, 1_000, 1);
            WalletEvent deduct = new WalletEvent("e-2", "alice", WalletEvent.Type.DEDUCT, 600, 2);

            // When each event is applied, and then the charge is delivered a second time
            WalletStore.Result first = store.apply(charge);
            WalletStore.Result second = store.apply(deduct);
            WalletStore.Result again = store.apply(charge);

            // Then the redelivery changed nothing and says so
            assertEquals(new WalletStore.Result(WalletStore.Outcome.APPLIED, false), first);
            assertEquals(new WalletStore.Result(WalletStore.Outcome.APPLIED, false), second);
            assertEquals(new WalletStore.Result(WalletStore.Outcome.APPLIED, true), again);
            assertEquals(Map.of("alice", 400L), store.balances());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgres"})
    void shouldDeclineADeductTheBalanceDoesNotCover(String db) throws Exception {
        try (WalletStore store = WalletStore.open(TestDatabases.named(db, dir))) {
            store.prepare(true);
            // A deduct that arrives before the charge that funds it: the order problem keys solve
            WalletStore.Result early = store.apply(new WalletEvent("e-2", "bob", WalletEvent.Type.DEDUCT, 500, 2));
            store.apply(new WalletEvent("e-1", "bob", WalletEvent.Type.CHARGE, 700, 1));

            assertEquals(WalletStore.Outcome.DECLINED, early.outcome());
            assertFalse(early.redelivered());
            assertEquals(Map.of("bob", 700L), store.balances());
            assertEquals(Map.of(WalletStore.Outcome.APPLIED, 1, WalletStore.Outcome.DECLINED, 1),
                    store.outcomeCounts());
            assertEquals(Map.of("bob", 1L), store.outOfOrderByUser(), "seq 1 came after seq 2");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgres"})
    void shouldMatchTheLedgerWhenEventsAreAppliedInSeqOrder(String db) throws Exception {
        List<WalletEvent> events = EventGenerator.generate(10, 500, 42);
        Ledger ledger = Ledger.of(events);
        try (WalletStore store = WalletStore.open(TestDatabases.named(db, dir))) {
            store.prepare(true);
            for (WalletEvent event : events) {
                store.apply(event);
            }
            assertEquals(ledger.balances(), store.balances());
            assertTrue(ledger.declined() > 0, "the generator makes some declined deducts");
            assertEquals(ledger.declined(), store.outcomeCounts().get(WalletStore.Outcome.DECLINED));
            assertEquals(Map.of(), store.outOfOrderByUser());
        }
    }
}
