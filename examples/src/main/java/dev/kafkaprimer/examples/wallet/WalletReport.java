package dev.kafkaprimer.examples.wallet;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The end check: the database against the independent {@link Ledger}, and the counts that prove the run.
 *
 * @param keyed        whether events carried the user id as key
 * @param users        users in the run
 * @param events       events produced
 * @param ledger       the expected result
 * @param balances     what the database holds
 * @param outcomes     events recorded as applied / declined in the database
 * @param outOfOrder   per user, events applied after a later event of that user
 * @param redelivered  deliveries of events that were already applied (counted in the database: every process's)
 * @param notified     distinct event ids the notifier accepted
 * @param deadLettered records written to the dead-letter topic
 * @param seconds      wall time from first send to all consumed
 */
record WalletReport(boolean keyed, int users, int events, Ledger ledger, Map<String, Long> balances,
                    Map<WalletStore.Outcome, Integer> outcomes, Map<String, Long> outOfOrder, long redelivered,
                    int notified, long deadLettered, double seconds) {

    int applied() {
        return outcomes.getOrDefault(WalletStore.Outcome.APPLIED, 0);
    }

    int declined() {
        return outcomes.getOrDefault(WalletStore.Outcome.DECLINED, 0);
    }

    long outOfOrderTotal() {
        return outOfOrder.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The sum of all balances in the database: {@code select sum(balance) from balances} gives the same. */
    long balanceTotal() {
        return balances.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Users whose balance in the database differs from the ledger's. */
    List<String> mismatchedUsers() {
        List<String> mismatched = new ArrayList<>();
        for (Map.Entry<String, Long> expected : ledger.balances().entrySet()) {
            if (!Objects.equals(expected.getValue(), balances.getOrDefault(expected.getKey(), 0L))) {
                mismatched.add(expected.getKey());
            }
        }
        return mismatched;
    }

    /** Prints the verdict and returns the exit code: 0 for OK (and for the no-key lesson), 1 for a mismatch. */
    int print(PrintStream out) {
        List<String> mismatched = mismatchedUsers();
        String counts = "users=" + users + " events=" + events + " applied=" + applied() + " declined=" + declined()
                + " redelivered=" + redelivered + " notified=" + notified + " dead-lettered=" + deadLettered
                + " out-of-order=" + outOfOrderTotal() + " balance-total=" + balanceTotal()
                + String.format(" seconds=%.1f", seconds);
        if (!keyed) {
            out.println("Without keys, one user's events were spread over partitions and consumers:");
            out.println("  " + outOfOrderTotal() + " events were applied after a later event of the same user ("
                    + outOfOrder.size() + " users), and " + mismatched.size() + " of " + ledger.balances().size()
                    + " balances differ from the ledger (a DEDUCT that came before its CHARGE was declined).");
            out.println("wallet: LESSON (--no-key) " + counts + " mismatched-users=" + mismatched.size());
            out.println("Exit code 0: the difference is the lesson. Run without --no-key to see every balance match.");
            return 0;
        }
        boolean complete = applied() + declined() == events;
        boolean allNotified = notified + deadLettered >= applied();
        if (mismatched.isEmpty() && complete && allNotified) {
            out.println("wallet: OK " + counts);
            return 0;
        }
        for (String user : mismatched.subList(0, Math.min(20, mismatched.size()))) {
            out.println("  " + user + ": database " + balances.getOrDefault(user, 0L) + ", ledger "
                    + ledger.balances().get(user));
        }
        out.println("wallet: MISMATCH " + counts + " mismatched-users=" + mismatched.size()
                + (complete ? "" : " (not every event was recorded)")
                + (allNotified ? "" : " (some applied events were never notified)"));
        return 1;
    }
}
