package dev.kafkaprimer.examples.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.SQLException;
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

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgres"})
    void shouldApplyABatchInOneTransactionWithTheSameResultsAsOneByOne(String db) throws Exception {
        // Given a wallet where alice's first charge was applied before
        try (WalletStore store = WalletStore.open(TestDatabases.named(db, dir))) {
            store.prepare(true);
            WalletEvent aliceCharge = new WalletEvent("e-1", "alice", WalletEvent.Type.CHARGE, 1_000, 1);
            store.apply(aliceCharge);

            // When a batch brings a charge for bob, a deduct alice cannot cover, and alice's charge again
            List<WalletStore.Result> results = store.applyAll(List.of(
                    new WalletEvent("e-2", "bob", WalletEvent.Type.CHARGE, 300, 1),
                    new WalletEvent("e-3", "alice", WalletEvent.Type.DEDUCT, 5_000, 2),
                    aliceCharge));

            // Then one result per event, in order, as apply would have reported them
            assertEquals(List.of(
                    new WalletStore.Result(WalletStore.Outcome.APPLIED, false),
                    new WalletStore.Result(WalletStore.Outcome.DECLINED, false),
                    new WalletStore.Result(WalletStore.Outcome.APPLIED, true)), results);
            assertEquals(Map.of("alice", 1_000L, "bob", 300L), store.balances());
            assertEquals(Map.of(WalletStore.Outcome.APPLIED, 2, WalletStore.Outcome.DECLINED, 1),
                    store.outcomeCounts());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgres"})
    void shouldApplyNothingOfABatchWhenOneOfItsEventsFails(String db) throws Exception {
        try (WalletStore store = WalletStore.open(TestDatabases.named(db, dir))) {
            store.prepare(true);
            // An event without a user breaks the NOT NULL column: the database refuses it mid-batch
            List<WalletEvent> batch = List.of(
                    new WalletEvent("e-1", "carol", WalletEvent.Type.CHARGE, 800, 1),
                    new WalletEvent("e-2", null, WalletEvent.Type.CHARGE, 100, 1));

            assertThrows(SQLException.class, () -> store.applyAll(batch));

            // The rollback took carol's charge back too: a redelivered batch starts from a clean slate
            assertEquals(Map.of(), store.balances());
            assertEquals(0, store.recordedEvents());
        }
    }
}
