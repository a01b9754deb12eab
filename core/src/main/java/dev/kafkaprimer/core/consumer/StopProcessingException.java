package dev.kafkaprimer.core.consumer;

/**
 * Thrown by a {@link RecordHandler} to say "this record must not be skipped, stop": the {@link CommitLoop}
 * neither retries the record nor sends it to the dead-letter topic. It commits what was finished before it,
 * closes the consumer, and {@link CommitLoop#run()} throws a {@link ProcessingStoppedException} with this
 * exception as its cause. A consumer started later in the group resumes at this very record. It works the same
 * when it arrives wrapped, as the cause (or a deeper cause) of what the handler threw: a library between the
 * handler and the code that decided to stop may wrap it.
 *
 * <p>Use it for failures that retrying cannot fix and skipping would make worse, such as a record whose
 * effect later records depend on, or a downstream system that reports data corruption.
 */
public class StopProcessingException extends RuntimeException {

    /**
     * A request to stop, with the reason.
     *
     * @param message why processing must stop; may be null
     */
    public StopProcessingException(String message) {
        super(message);
    }

    /**
     * A request to stop, with the reason and the failure behind it.
     *
     * @param message why processing must stop; may be null
     * @param cause   the underlying failure; may be null
     */
    public StopProcessingException(String message, Throwable cause) {
        super(message, cause);
    }
}
