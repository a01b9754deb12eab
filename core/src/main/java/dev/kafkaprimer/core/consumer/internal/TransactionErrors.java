package dev.kafkaprimer.core.consumer.internal;

import java.util.Set;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * Which failures of a transaction the transactional loop can recover from, as kafka-clients' {@code KafkaProducer}
 * javadoc sorts them. <em>Fatal</em>: the producer cannot go on, the loop stops with the cause:
 * <ul>
 *   <li>{@code ProducerFencedException}: another producer started with the same {@code transactional.id}, so
 *   this one is the zombie;</li>
 *   <li>{@code FencedInstanceIdException}: another consumer joined with the same {@code group.instance.id};</li>
 *   <li>{@code OutOfOrderSequenceException}: the broker lost track of this producer's sequence, so a retry might
 *   write twice;</li>
 *   <li>authorization, authentication, and a broker too old for transactions ({@code UnsupportedVersionException});</li>
 *   <li>a commit whose outcome is unknown ({@link OutcomeUnknownException}), and any failure of
 *   {@code abortTransaction()} itself.</li>
 * </ul>
 * Every other {@code KafkaException} is <em>abortable</em>: the loop aborts the transaction, rewinds its
 * partitions to the last committed offsets and goes on. That covers a send that failed (a record too large, a
 * topic that timed out), {@code TransactionAbortableException}, and a commit of the offsets refused because the
 * group moved on without this member ({@code CommitFailedException}): a zombie fenced by its group metadata.
 * Stateless.
 */
final class TransactionErrors {

    private static final Set<Class<? extends Throwable>> FATAL = Set.of(
            ProducerFencedException.class, FencedInstanceIdException.class, OutOfOrderSequenceException.class,
            AuthorizationException.class, AuthenticationException.class, UnsupportedVersionException.class,
            OutcomeUnknownException.class);

    private TransactionErrors() {
    }

    /** Whether {@code failure}, or one in its cause chain, is one the producer cannot recover from. */
    static boolean isFatal(Throwable failure) {
        return FailureChain.containsAny(failure, FATAL);
    }

    /**
     * {@code commitTransaction()} did not answer in time, again and again: the commit may have reached the
     * coordinator or not, and kafka-clients allows nothing but retrying it or closing the producer. The loop
     * stops; what it committed or not is settled by the coordinator, and the next owner starts from there.
     */
    static final class OutcomeUnknownException extends KafkaException {

        private static final long serialVersionUID = 1L;

        OutcomeUnknownException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
