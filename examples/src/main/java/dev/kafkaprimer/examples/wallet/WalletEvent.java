package dev.kafkaprimer.examples.wallet;

/**
 * One change to one user's balance, as it travels on the {@code wallet-events} topic (JSON, key = userId):
 * {@code {"eventId":"…","userId":"user-007","type":"CHARGE","amount":1250,"seq":3}}.
 *
 * @param eventId a UUID; the consumer's dedupe key, and the notifier's idempotency key
 * @param userId  whose balance changes; the record key, so one user's events share a partition
 * @param type    CHARGE adds, DEDUCT subtracts if the balance covers it
 * @param amount  positive, in minor units (cents)
 * @param seq     this user's event number, from 1: lets the consumer see order
 */
public record WalletEvent(String eventId, String userId, Type type, long amount, long seq) {

    /** What an event does to a balance. */
    public enum Type {
        CHARGE,
        DEDUCT
    }

    public WalletEvent {
        if (amount <= 0) {
            throw new IllegalArgumentException("amount must be positive, was " + amount + " in event " + eventId);
        }
        if (seq < 1) {
            throw new IllegalArgumentException("seq must start at 1, was " + seq + " in event " + eventId);
        }
    }
}
