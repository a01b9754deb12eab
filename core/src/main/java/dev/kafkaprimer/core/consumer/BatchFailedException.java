package dev.kafkaprimer.core.consumer;

import java.util.Objects;

/**
 * Thrown by a {@link BatchHandler} to say where its batch failed: "the records before this index are done,
 * the record at this index failed, for this cause". The loop then finishes (and will commit) the records
 * before the index, and retries from the failed record on; see {@link BatchHandler} for the whole sequence.
 *
 * <pre>{@code
 * batch -> {
 *     for (int i = 0; i < batch.size(); i++) {
 *         try {
 *             index.put(batch.get(i).key(), batch.get(i).value());   // effects kept record by record
 *         } catch (IOException e) {
 *             throw new BatchFailedException(i, e);
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>"Done" means done for good: the loop will not hand those records over again (short of a crash before
 * the commit). A handler that wrote the whole batch in one database transaction and rolled it back has done
 * none of it, and should not claim otherwise: commit the records before the failed one first, or throw a
 * plain exception for the whole batch.
 *
 * <p>The index must point into the list the failing {@code handle} call received. An index past its end is a
 * bug in the handler; the loop logs a warning naming the index and the batch's size, and treats the failure as
 * one of the whole batch, so that nothing counts as done that the handler may not have done.
 *
 * <p><b>Why a checked exception.</b> {@link BatchHandler#handle} declares {@code throws Exception}, so throwing
 * it costs the handler nothing. And its index means something only next to the list it points into: being
 * checked, it cannot travel up unnoticed from some helper working on another list, since every method that
 * lets it through must say so.
 */
public final class BatchFailedException extends Exception {

    /** The position in the batch of the record that failed. */
    private final int failedIndex;

    /**
     * The batch failed at one record.
     *
     * @param failedIndex the record's position in the list the handler received, from 0; the records before it
     *                    are done
     * @param cause       why that record failed; its class and message go into the dead-letter headers if the
     *                    record is given up on; not null
     * @throws IllegalArgumentException if {@code failedIndex} is negative
     */
    public BatchFailedException(int failedIndex, Throwable cause) {
        super("record " + failedIndex + " of the batch failed: " + Objects.requireNonNull(cause, "cause"), cause);
        if (failedIndex < 0) {
            throw new IllegalArgumentException("failedIndex must be at least 0, was " + failedIndex);
        }
        this.failedIndex = failedIndex;
    }

    /**
     * The position in the batch of the record that failed: the records before it are done.
     *
     * @return at least 0
     */
    public int failedIndex() {
        return failedIndex;
    }
}
