package dev.kafkaprimer.core.consumer;

/**
 * What one {@link ShareLoop} member has done with the records its share group gave it, since it started. A
 * snapshot: each count is read separately, so a snapshot taken while the loop runs may be a record apart.
 *
 * @param accepted              records whose handler returned, acknowledged {@code ACCEPT}: done for good
 * @param released              records whose handler failed with a failure worth retrying, acknowledged
 *                              {@code RELEASE}: the broker delivers them again, to any member, with a higher
 *                              delivery count
 * @param rejected              records dead-lettered (the retries were used up, the failure is not retryable,
 *                              or the key or value could not be read), then acknowledged {@code REJECT}: never
 *                              delivered again
 * @param renewed               lock renewals ({@code RENEW}) of records whose handler ran long
 * @param redelivered           records this member got with a delivery count above 1: another member, or this
 *                              one, had them before (released, crashed, or too slow for the lock)
 * @param acknowledgementErrors records whose acknowledgement the broker refused (their lock had expired, or the
 *                              member lost the partition): they are delivered again
 */
public record ShareCounts(long accepted, long released, long rejected, long renewed, long redelivered,
                          long acknowledgementErrors) {

    /** Nothing done yet. */
    public static final ShareCounts NONE = new ShareCounts(0, 0, 0, 0, 0, 0);

    /**
     * These counts and {@code other}'s together: for the members of one group, summed.
     *
     * @param other more counts; not null
     * @return the sums
     */
    public ShareCounts plus(ShareCounts other) {
        return new ShareCounts(accepted + other.accepted, released + other.released, rejected + other.rejected,
                renewed + other.renewed, redelivered + other.redelivered,
                acknowledgementErrors + other.acknowledgementErrors);
    }
}
