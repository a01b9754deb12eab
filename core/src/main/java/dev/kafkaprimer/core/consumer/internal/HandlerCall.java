package dev.kafkaprimer.core.consumer.internal;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.kafkaprimer.core.consumer.BatchHandler;
import dev.kafkaprimer.core.consumer.ProcessingStoppedException;
import dev.kafkaprimer.core.consumer.RecordHandler;
import dev.kafkaprimer.core.consumer.StopProcessingException;

/**
 * One call of the application's handler, and what its exception means to the loop. Shared by every way the
 * loop calls a handler (one record on the loop thread, one on a worker, a batch), so that they agree:
 * <ul>
 *   <li>{@link StopProcessingException}: stop at this record; no retry, no dead letter;</li>
 *   <li>{@link InterruptedException}: stop as well, with the thread's interrupt flag set again, since the
 *       thread is being asked to end;</li>
 *   <li>any other {@code Exception}: a failure to retry, and after the last attempt to dead-letter;</li>
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
        } catch (StopProcessingException stop) {
            throw new ProcessingStoppedException(stopAt, "the handler asked to stop", stop);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new ProcessingStoppedException(stopAt, "the handler was interrupted", interrupted);
        } catch (Exception failure) {
            return failure;
        }
    }
}
