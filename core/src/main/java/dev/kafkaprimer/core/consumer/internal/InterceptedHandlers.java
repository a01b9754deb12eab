package dev.kafkaprimer.core.consumer.internal;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.kafkaprimer.core.consumer.HandlerInterceptor;
import dev.kafkaprimer.core.consumer.Outputs;
import dev.kafkaprimer.core.consumer.RecordHandler;
import dev.kafkaprimer.core.consumer.TransactionalHandler;

/**
 * A handler with the options' {@link HandlerInterceptor}s around it, the first outermost. With none it is the
 * handler itself, so a loop without interceptors pays nothing for them. Stateless.
 */
final class InterceptedHandlers {

    private InterceptedHandlers() {
    }

    static <K, V> RecordHandler<K, V> records(RecordHandler<K, V> handler, List<HandlerInterceptor> interceptors) {
        if (interceptors.isEmpty()) {
            return handler;
        }
        HandlerInterceptor[] chain = interceptors.toArray(new HandlerInterceptor[0]);
        return record -> around(chain, 0, record, () -> handler.handle(record));
    }

    static <K, V> TransactionalHandler<K, V> transactional(TransactionalHandler<K, V> handler,
                                                           List<HandlerInterceptor> interceptors) {
        if (interceptors.isEmpty()) {
            return handler;
        }
        HandlerInterceptor[] chain = interceptors.toArray(new HandlerInterceptor[0]);
        return (ConsumerRecord<K, V> record, Outputs outputs) ->
                around(chain, 0, record, () -> handler.handle(record, outputs));
    }

    private static void around(HandlerInterceptor[] chain, int index, ConsumerRecord<?, ?> record,
                               HandlerInterceptor.Invocation handler) throws Exception {
        if (index == chain.length) {
            handler.proceed();
        } else {
            chain[index].around(record, () -> around(chain, index + 1, record, handler));
        }
    }
}
