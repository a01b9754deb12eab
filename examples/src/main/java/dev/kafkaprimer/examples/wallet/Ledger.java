package dev.kafkaprimer.examples.wallet;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The wallet's independent truth: every user's balance computed from the produced events in {@code seq}
 * order, in memory, without Kafka or a database. The end check compares the database with it.
 */
public final class Ledger {

    private final Map<String, Long> balances = new TreeMap<>();
    private int applied;
    private int declined;

    public static Ledger of(List<WalletEvent> events) {
        Ledger ledger = new Ledger();
        events.stream()
                .sorted(Comparator.comparing(WalletEvent::userId).thenComparingLong(WalletEvent::seq))
                .forEach(ledger::apply);
        return ledger;
    }

    private void apply(WalletEvent event) {
        long balance = balances.getOrDefault(event.userId(), 0L);
        if (event.type() == WalletEvent.Type.CHARGE) {
            balances.put(event.userId(), balance + event.amount());
            applied++;
        } else if (balance >= event.amount()) {
            balances.put(event.userId(), balance - event.amount());
            applied++;
        } else {
            balances.putIfAbsent(event.userId(), balance);
            declined++;
        }
    }

    /** Expected balance per user (users with only declined events have 0). */
    public Map<String, Long> balances() {
        return balances;
    }

    public int applied() {
        return applied;
    }

    public int declined() {
        return declined;
    }
}
