package dev.kafkaprimer.examples.exactlyonce;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.kafkaprimer.examples.wallet.Ledger;
import dev.kafkaprimer.examples.wallet.WalletEvent;

/**
 * What the end check counts in the outputs a reader saw: outputs per input event (duplicates, missing), and
 * each user's last balance against the ledger.
 *
 * @param duplicates    outputs beyond the first for an event
 * @param missing       events without an output
 * @param users         users in the ledger
 * @param wrongBalances users whose last output's balance is not the ledger's
 * @param applied       events whose (first) output says applied
 * @param declined      events whose (first) output says declined
 */
record OutputCount(int duplicates, int missing, int users, int wrongBalances, int applied, int declined) {

    static OutputCount of(List<WalletEvent> events, List<BalanceUpdate> outputs, Ledger ledger) {
        Map<String, BalanceUpdate> firstPerEvent = new HashMap<>();
        Map<String, Long> lastBalance = new LinkedHashMap<>();
        int duplicates = 0;
        for (BalanceUpdate output : outputs) {
            if (firstPerEvent.putIfAbsent(output.eventId(), output) != null) {
                duplicates++;
            }
            // One user's outputs share a partition, which a reader reads in order: the last one is the balance.
            lastBalance.put(output.userId(), output.balance());
        }
        int missing = (int) events.stream().filter(event -> !firstPerEvent.containsKey(event.eventId())).count();
        int wrong = (int) ledger.balances().entrySet().stream()
                .filter(user -> !user.getValue().equals(lastBalance.getOrDefault(user.getKey(), 0L)))
                .count();
        int applied = (int) firstPerEvent.values().stream()
                .filter(output -> output.outcome().equals(BalanceUpdate.APPLIED)).count();
        return new OutputCount(duplicates, missing, ledger.balances().size(), wrong, applied,
                firstPerEvent.size() - applied);
    }

    boolean balancesMatch() {
        return wrongBalances == 0;
    }
}
