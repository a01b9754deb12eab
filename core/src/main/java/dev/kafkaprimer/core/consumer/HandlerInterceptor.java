package dev.kafkaprimer.core.consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Runs around each call of a {@link CommitLoop}'s record handler: to make the call part of a trace (the
 * {@code kafka-primer-micrometer} module's {@code ObservedHandlers} does, with the record's {@code traceparent}
 * header as the parent), to put the record's topic, partition and offset in the logging context, or to time the
 * handler your own way. Register one or more with {@link ConsumerOptions.Builder#interceptor}; the first
 * registered runs outermost.
 *
 * <pre>{@code
 * HandlerInterceptor withOffsetInLogs = (record, handler) -> {
 *     MDC.put("offset", record.topic() + "-" + record.partition() + "@" + record.offset());
 *     try {
 *         handler.proceed();
 *     } finally {
 *         MDC.remove("offset");
 *     }
 * };
 * }</pre>
 *
 * <p><b>The rule.</b> Call {@link Invocation#proceed()} exactly once and let its exception through unchanged:
 * the loop reads it to decide between a retry, a dead letter and a stop, and commits the record only when
 * {@code around} returns normally. An interceptor that throws without calling {@code proceed} fails that attempt
 * as if the handler had thrown (it is retried, then dead-lettered); one that swallows the handler's exception
 * makes a failed record look finished, and it is committed: do not.
 *
 * <p><b>Threads.</b> Called on the thread that calls the handler, just before it: the loop thread, or a worker
 * with a {@linkplain ConsumerOptions.Builder#concurrency(int) concurrency} above 1 (then from several threads at
 * once, so an interceptor must be thread-safe). What it puts in a thread-local before {@code proceed} (the current
 * span, the logging context) is seen by the handler. Each attempt of a retried record is a call of its own.
 *
 * <p><b>Where.</b> Record handlers of every kind of commit loop: one record at a time, on workers, and
 * transactional. Not batch handlers (a batch holds many records, each with its own trace context) and not
 * {@code ShareLoop}.
 */
@FunctionalInterface
public interface HandlerInterceptor {

    /**
     * Runs the handler for {@code record}, with whatever this interceptor does around it.
     *
     * @param record  the record about to be handled, its key and value deserialized; never null
     * @param handler the rest of the call (the next interceptor, then the handler); call it exactly once
     * @throws Exception what {@code handler.proceed()} threw, unchanged, or this interceptor's own failure
     */
    void around(ConsumerRecord<?, ?> record, Invocation handler) throws Exception;

    /** The rest of one handler call, for {@link #around} to run. */
    @FunctionalInterface
    interface Invocation {

        /**
         * Runs the next interceptor, or the handler itself.
         *
         * @throws Exception what the handler threw
         */
        void proceed() throws Exception;
    }
}
