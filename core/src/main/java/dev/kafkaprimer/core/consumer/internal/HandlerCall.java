package dev.kafkaprimer.core.consumer.internal;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.InterruptException;

import dev.kafkaprimer.core.consumer.BatchFailedException;
import dev.kafkaprimer.core.consumer.BatchHandler;
import dev.kafkaprimer.core.consumer.ProcessingStoppedException;
import dev.kafkaprimer.core.consumer.RecordHandler;
import dev.kafkaprimer.core.consumer.StopProcessingException;

/**
 * One call of the application's handler, and what its exception means to the loop. Shared by every way the
 * loop calls a handler (one record on the loop thread, one on a worker, a batch), so that they agree:
 * <ul>
 *   <li>{@link StopProcessingException}, thrown or anywhere in the cause chain: stop at this record; no retry, no
 *       dead letter. (Not looked for inside a {@link BatchFailedException}: the batch processor reads that one,
 *       since it stops at the failed record instead.)</li>
 *   <li>{@link InterruptedException} or Kafka's {@code InterruptException}, thrown or in the chain: stop as
 *       well, with the thread's interrupt flag set again, since the thread is being asked to end;</li>
 *   <li>any other {@code Exception}: a failure, retried or dead-lettered as the {@code RetryPolicy} says;</li>
 *   <li>an {@code Error} is not caught: it stops the loop as any unexpected failure does.</li>
 * </ul>
 * Stateless; callable from any thread.
 */
final class HandlerCall {

    /**
     * The handler, as a function of what it is handed: {@code RecordHandler::handle} fits, with a record, and
     * {@code BatchHandler::handle}, with a batch. Callers keep one per handler, not one per call: this runs for
     * every record.
     *
     * @param <T> what the handler is handed
     */
    @FunctionalInterface
    interface Body<T> {
        void run(T input) throws Exception;
    }

    private HandlerCall() {
    }

    /**
     * Calls the handler once.
     *
     * @param call   the handler
     * @param input  its record or batch
     * @param stopAt the record the loop stops at if the handler asks it to: the record itself, or the first
     *               record of the batch
     * @return null if the handler returned; otherwise its exception, to be retried or dead-lettered
     * @throws ProcessingStoppedException naming {@code stopAt} if the handler threw
     *                                    {@link StopProcessingException} or was interrupted
     */
    static <T> Exception attempt(Body<T> call, T input, ConsumerRecord<?, ?> stopAt) {
        try {
            call.run(input);
            return null;
        } catch (Exception failure) {
            if (FailureChain.find(failure, InterruptedException.class) != null
                    || FailureChain.find(failure, InterruptException.class) != null) {
                Thread.currentThread().interrupt();
                throw new ProcessingStoppedException(stopAt, "the handler was interrupted", failure);
            }
            StopProcessingException stop = failure instanceof BatchFailedException
                    ? null : FailureChain.find(failure, StopProcessingException.class);
            if (stop != null) {
                throw new ProcessingStoppedException(stopAt, "the handler asked to stop", stop);
            }
            return failure;
        }
    }
}
