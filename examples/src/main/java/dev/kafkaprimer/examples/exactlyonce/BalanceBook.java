package dev.kafkaprimer.examples.exactlyonce;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.kafkaprimer.examples.wallet.WalletEvent;

/**
 * The processor's state: each user's balance, in memory. It is not stored anywhere but in the outputs: a
 * processor that starts reads the balances topic back (the last output of each user is its balance), as Kafka
 * Streams restores a store from its changelog. Read with {@code read_committed}, the balances topic holds
 * exactly the outputs of the committed input offsets, so the restored state matches where the group resumes;
 * read after an at-least-once crash, it also holds outputs of events that are about to be processed again, and
 * the state applies them twice. Not thread-safe: the loop thread only.
 */
final class BalanceBook {

    private final Map<String, Long> balances = new HashMap<>();

    /** Starts from the outputs written so far, in partition order: each user's last one is its balance. */
    void restore(List<BalanceUpdate> written) {
        balances.clear();
        for (BalanceUpdate update : written) {
            balances.put(update.userId(), update.balance());
        }
    }

    /** Applies {@code event}: a charge adds; a deduction subtracts if the balance covers it, else is declined. */
    BalanceUpdate apply(WalletEvent event) {
        long balance = balances.getOrDefault(event.userId(), 0L);
        boolean applied = event.type() == WalletEvent.Type.CHARGE || balance >= event.amount();
        if (applied) {
            balance += event.type() == WalletEvent.Type.CHARGE ? event.amount() : -event.amount();
        }
        balances.put(event.userId(), balance);
        return new BalanceUpdate(event.eventId(), event.userId(),
                applied ? BalanceUpdate.APPLIED : BalanceUpdate.DECLINED, balance);
    }

    int users() {
        return balances.size();
    }
}
