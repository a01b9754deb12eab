package dev.kafkaprimer.examples.exactlyonce;

/**
 * The output of one wallet event, on the balances topic (JSON, key = userId):
 * {@code {"eventId":"…","userId":"user-007","outcome":"applied","balance":4300}}.
 *
 * @param eventId the input event's id: the end check counts outputs per input with it
 * @param userId  whose balance it is
 * @param outcome {@code applied}, or {@code declined} for a deduction the balance did not cover
 * @param balance the user's balance after the event, in minor units
 */
public record BalanceUpdate(String eventId, String userId, String outcome, long balance) {

    static final String APPLIED = "applied";
    static final String DECLINED = "declined";
}
