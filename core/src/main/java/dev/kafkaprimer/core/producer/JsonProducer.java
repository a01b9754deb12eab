package dev.kafkaprimer.core.producer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kafkaprimer.core.json.Json;
import dev.kafkaprimer.core.json.JsonSerializer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends Java objects (records, classes, {@code java.time} values) to Kafka as UTF-8 JSON, over one
 * {@link KafkaProducer}. Keys are strings by default (UTF-8, like kafka-clients' {@code StringSerializer});
 * any other key type works with its {@link Serializer}. The bytes are plain JSON that any Kafka client reads.
 *
 * <p><b>Thread-safety.</b> Safe to share between threads, like {@code KafkaProducer}, and sharing one is
 * faster than one per thread: records from all threads fill the same batches.
 *
 * <p><b>Lifecycle.</b> {@link #create(ProducerOptions)} starts the producer's network thread. {@link
 * #close(Duration)} sends what is buffered, waits up to the given time, then stops the thread. Failure to
 * close the producer leaks its thread, sockets and buffer memory, and records still buffered are lost.
 *
 * <p><b>Failure modes.</b> {@link #send} always answers through its future (or, in its bulk form, its
 * {@link Callback}) and does not throw (except {@code NullPointerException} for a null argument it needs):
 * <ul>
 *   <li>A key or value that cannot be serialized (for example a JSON value Jackson cannot write) fails the
 *       future with Kafka's {@link SerializationException} naming the topic and the type. Serialization
 *       happens <em>before</em> {@code KafkaProducer.send}, so nothing of that record is sent.</li>
 *   <li>Broker-side failures fail the future with Kafka's own exception, unwrapped: a topic that does not
 *       exist, on a cluster that does not create topics on first use ({@code auto.create.topics.enable=false};
 *       Kafka's default creates them), gives {@code TimeoutException} after {@link ProducerOptions#maxBlock()},
 *       and so does a cluster that never answers; a record over the
 *       size limits {@code RecordTooLargeException}, a broker that does not answer in time
 *       {@code TimeoutException} after {@link ProducerOptions#deliveryTimeout()}.</li>
 * </ul>
 * Two things surprise people. First, {@code send} may block the calling thread for up to {@code maxBlock}
 * (the first send to a topic waits for its metadata; a full buffer waits for space). Second, the future is
 * completed on the producer's network thread, so code chained with {@code thenApply} or {@code whenComplete}
 * runs there and must be quick; use the {@code ...Async} variants for slow work.
 *
 * <pre>{@code
 * record OrderPlaced(String orderId, BigDecimal total, Instant placedAt) {}
 *
 * ProducerOptions options = ProducerOptions.builder("localhost:9092").build();
 * try (JsonProducer<String, OrderPlaced> producer = JsonProducer.create(options)) {
 *     OrderPlaced order = new OrderPlaced("o-17", new BigDecimal("12.50"), Instant.now());
 *     producer.send("orders", order.orderId(), order)          // returns at once; the key picks the partition
 *             .whenComplete((sent, error) -> System.out.println(error != null ? error : sent));
 *     OrderPlaced next = new OrderPlaced("o-18", new BigDecimal("3.10"), Instant.now());
 *     SendResult sent = producer.sendAndWait("orders", next.orderId(), next, Duration.ofSeconds(10));
 * }
 * }</pre>
 *
 * @param <K> the key type
 * @param <V> the value type, written as JSON
 */
public final class JsonProducer<K, V> implements AutoCloseable {

    private final ProducerOptions options;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Serializer<K> keySerializer;
    private final JsonSerializer<V> valueSerializer;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Runs {@link #sendAndWait}'s sends; null until the first. Guarded by {@code this}. */
    private ExecutorService sendAndWait;
    /** The options' send listeners, or null for none: then no send is timed. */
    private final SendListener[] sendListeners;
    /** The options' send interceptors, or null for none. */
    private final SendInterceptor[] interceptors;

    private JsonProducer(ProducerOptions options, Serializer<K> keySerializer, ObjectMapper mapper) {
        this.options = options;
        this.sendListeners = options.listeners().isEmpty() ? null : options.listeners().toArray(new SendListener[0]);
        this.interceptors = options.interceptors().isEmpty() ? null
                : options.interceptors().toArray(new SendInterceptor[0]);
        this.keySerializer = keySerializer;
        this.valueSerializer = new JsonSerializer<>(mapper);
        // Bytes in, bytes out: keys and values are serialized here, before send, so failures are ours to report.
        try {
            this.producer = new KafkaProducer<>(options.clientProperties(),
                    new ByteArraySerializer(), new ByteArraySerializer());
        } catch (RuntimeException e) {
            keySerializer.close();
            throw e;
        }
    }

    /**
     * A producer with string keys (UTF-8) and values written by {@link Json#defaultMapper()}.
     *
     * @param options the producer settings
     * @param <V>     the value type
     * @return a started producer; close it
     * @throws NullPointerException if {@code options} is null
     * @throws KafkaException       if kafka-clients refuses a pass-through setting or cannot resolve any
     *                              bootstrap server
     */
    public static <V> JsonProducer<String, V> create(ProducerOptions options) {
        return create(options, new StringSerializer(), Json.defaultMapper());
    }

    /**
     * A producer with keys written by {@code keySerializer} and values written by {@code mapper}.
     *
     * @param options       the producer settings
     * @param keySerializer turns keys into bytes; used as given (its {@code configure} is not called) and
     *                      closed with this producer. The default partitioner hashes these bytes.
     * @param mapper        writes values; shared, not copied, so do not reconfigure it afterwards
     * @param <K>           the key type
     * @param <V>           the value type
     * @return a started producer; close it
     * @throws NullPointerException if any argument is null
     * @throws KafkaException       if kafka-clients refuses a pass-through setting or cannot resolve any
     *                              bootstrap server
     */
    public static <K, V> JsonProducer<K, V> create(ProducerOptions options, Serializer<K> keySerializer,
                                                   ObjectMapper mapper) {
        return new JsonProducer<>(Objects.requireNonNull(options, "options"),
                Objects.requireNonNull(keySerializer, "keySerializer"), Objects.requireNonNull(mapper, "mapper"));
    }

    /**
     * Sends one record without headers; see {@link #send(String, Object, Object, Map)}.
     *
     * @param topic the topic; not null
     * @param key   the key, or null to let the producer spread records over partitions
     * @param value the value, or null for a tombstone (deletes the key on a compacted topic)
     * @return completes with where the record was stored, or exceptionally with the reason it was not
     * @throws NullPointerException if {@code topic} is null
     */
    public CompletableFuture<SendResult> send(String topic, K key, V value) {
        return send(topic, key, value, Map.of());
    }

    /**
     * Serializes the key and the value, then hands the record to the producer, which batches it and sends
     * it in the background. Records with the same non-null key go to the same partition and are stored in
     * the order sent (see {@code KeyPartitioner} for which partition).
     *
     * @param topic   the topic; not null
     * @param key     the key, or null to let the producer spread records over partitions
     * @param value   the value, or null for a tombstone (deletes the key on a compacted topic)
     * @param headers record headers, values written as UTF-8 (a null value stays null), in the map's
     *                iteration order; not null
     * @return completes with where the record was stored, or exceptionally: {@link SerializationException}
     *         if the key or value cannot be written (nothing sent), otherwise Kafka's own exception
     * @throws NullPointerException if {@code topic} or {@code headers} is null
     */
    public CompletableFuture<SendResult> send(String topic, K key, V value, Map<String, String> headers) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(headers, "headers");
        SendFuture result = new SendFuture();
        sendTo(result, topic, key, value, headers);
        return result;
    }

    /**
     * Sends one record without headers and reports its outcome to {@code callback}; see
     * {@link #send(String, Object, Object, Map, Callback)}.
     *
     * @param topic    the topic; not null
     * @param key      the key, or null to let the producer spread records over partitions
     * @param value    the value, or null for a tombstone
     * @param callback told once where the record was stored, or why it was not; not null
     * @throws NullPointerException if {@code topic} or {@code callback} is null
     */
    public void send(String topic, K key, V value, Callback callback) {
        send(topic, key, value, Map.of(), callback);
    }

    /**
     * Like {@link #send(String, Object, Object, Map)}, but reports the outcome to a kafka-clients
     * {@link Callback} instead of a future: the way to send many records fast. A future is one more object per
     * record, which the producer's network thread must complete and the caller must read back; one callback
     * shared by all sends (counting acknowledgements, remembering the first failure) costs neither, and the
     * typed producer then runs as fast as a hand-written {@code KafkaProducer} loop (see {@code ./primer bench}).
     *
     * <p>The callback is called exactly once per record. For a record that reached the producer it runs on the
     * producer's network thread, like any kafka-clients callback: keep it quick, and do not call
     * {@code flush()} or {@code close()} from it. For a record that never did (the key or value could not be
     * serialized: {@link SerializationException}; the producer is closed; the thread was interrupted while
     * waiting for metadata or buffer space) it runs at once on the calling thread, before this method
     * returns, so every failure reaches the same place; the metadata is then null. The callback should not
     * throw: on the network thread kafka-clients logs what it throws and drops it; on the calling thread it
     * reaches the caller of {@code send}, and may be reported to the callback a second time.
     *
     * @param topic    the topic; not null
     * @param key      the key, or null to let the producer spread records over partitions
     * @param value    the value, or null for a tombstone
     * @param headers  record headers, values written as UTF-8 (a null value stays null); not null
     * @param callback told once where the record was stored ({@code metadata} set, {@code exception} null), or
     *                 why it was not ({@code exception} set); not null
     * @throws NullPointerException if {@code topic}, {@code headers} or {@code callback} is null
     */
    public void send(String topic, K key, V value, Map<String, String> headers, Callback callback) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(callback, "callback");
        sendTo(callback, topic, key, value, headers);
    }

    /**
     * Serializes and hands the record over; every failure, from serialization to a closed producer or an
     * interrupt while waiting for metadata, goes to {@code callback}, so callers have one place to handle it.
     */
    private void sendTo(Callback callback, String topic, K key, V value, Map<String, String> headers) {
        ProducerRecord<byte[], byte[]> record;
        try {
            record = new ProducerRecord<>(topic, null,
                    serializeKey(topic, key), valueSerializer.serialize(topic, value), toHeaders(headers));
        } catch (RuntimeException e) {
            if (sendListeners != null) {
                TimedSend.failedAtOnce(topic, e, sendListeners);
            }
            callback.onCompletion(null, e);
            return;
        }
        Callback told = sendListeners == null ? callback : new TimedSend(callback, topic, sendListeners);
        if (interceptors != null) {
            told = InterceptedSend.before(record, told, interceptors);
        }
        try {
            // kafka-clients calls the callback itself for the failures it reports instead of throwing.
            producer.send(record, told);
        } catch (RuntimeException e) {
            told.onCompletion(null, e);
        }
    }

    /**
     * Sends one record and waits for the broker's answer: simple, but one round trip per record, so use
     * {@link #send} for throughput. It returns or throws within {@code timeout} (plus a few milliseconds),
     * including the wait for the topic's metadata before a first send, which kafka-clients bounds only by
     * {@link ProducerOptions#maxBlock()}: the send itself runs on a helper thread of this producer, and the
     * caller waits for it at most {@code timeout}. After a timeout the record may still be sent later, after
     * records sent meanwhile.
     *
     * <p>A timeout says which of two things is wrong: no broker at the bootstrap address has answered (is one
     * running there, does its listener need {@link ProducerOptions.Builder#security} for TLS or a login?), or
     * the cluster answers but has no such topic (a cluster with {@code auto.create.topics.enable=false}).
     *
     * @param topic   the topic; not null
     * @param key     the key, or null
     * @param value   the value, or null for a tombstone
     * @param timeout how long to wait for the answer; when it passes the record is <em>not</em> cancelled and
     *                may still be stored
     * @return where the record was stored
     * @throws SerializationException if the key or value cannot be written; nothing was sent
     * @throws TimeoutException       if {@code timeout} passes without an answer, or Kafka timed out; the
     *                                message names the bootstrap address, and whether the cluster answered
     * @throws InterruptException     if the thread is interrupted while waiting (the interrupt flag stays set)
     * @throws KafkaException         Kafka's own exception for any other failure, such as
     *                                {@code RecordTooLargeException}
     * @throws IllegalStateException  if this producer is closed
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public SendResult sendAndWait(String topic, K key, V value, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, was " + timeout);
        }
        if (closed.get()) {
            throw new IllegalStateException("the producer is closed");
        }
        // send() may block for metadata up to max.block.ms: on the helper thread, so the wait below is the bound.
        CompletableFuture<SendResult> sending = CompletableFuture
                .supplyAsync(() -> send(topic, key, value), sendAndWaitThread())
                .thenCompose(sent -> sent);
        try {
            return sending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof TimeoutException kafkaTimeout && isMetadataWait(kafkaTimeout)) {
                throw noAnswer(topic, options.maxBlock(), kafkaTimeout);
            }
            throw unchecked(cause);
        } catch (java.util.concurrent.TimeoutException e) {
            throw noAnswer(topic, timeout, e);
        } catch (InterruptedException e) {
            throw new InterruptException("interrupted while waiting for a record to topic " + topic, e);
        }
    }

    /** The helper thread of {@link #sendAndWait}, started on first use and stopped by {@link #close(Duration)}. */
    private synchronized ExecutorService sendAndWaitThread() {
        if (sendAndWait == null) {
            sendAndWait = Executors.newSingleThreadExecutor(task -> {
                Thread thread = new Thread(task, "json-producer-send-and-wait");
                // Only ever blocked in send(): it must not keep a JVM alive whose code forgot to close us.
                thread.setDaemon(true);
                return thread;
            });
        }
        return sendAndWait;
    }

    /** Whether kafka-clients gave up waiting for a topic's metadata (its message says "not present in metadata"). */
    private static boolean isMetadataWait(TimeoutException timeout) {
        return timeout.getMessage() != null && timeout.getMessage().contains("not present in metadata");
    }

    /**
     * Says why no answer came: the producer's own {@code connection-count} metric tells a cluster that never
     * answered from one that answers but does not have the topic.
     */
    private TimeoutException noAnswer(String topic, Duration waited, Throwable cause) {
        String where = " at " + options.bootstrapServers();
        String why = connections() > 0
                ? "the cluster" + where + " answers, but gave no metadata for topic " + topic + ": does the topic"
                        + " exist? (a cluster with auto.create.topics.enable=false does not create it on first use)"
                : "no broker" + where + " answered: is one running there? A listener that needs TLS or a login needs"
                        + " ProducerOptions.Builder.security(ClientSecurity)";
        return new TimeoutException("no answer within " + waited.toMillis() + " ms for a record to topic " + topic
                + "; " + why + ". The record was not cancelled and may still be stored", cause);
    }

    /** The producer's open connections to brokers, from its {@code producer-metrics} group. */
    private double connections() {
        return producer.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals("connection-count") && e.getKey().group().equals("producer-metrics"))
                .mapToDouble(e -> e.getValue().metricValue() instanceof Number n ? n.doubleValue() : 0)
                .sum();
    }

    /**
     * The producer's own metrics as kafka-clients keeps them (record send rate, request latency, buffer use, per
     * topic and per broker), for a metrics library to sample: Micrometer's {@code KafkaClientMetrics}, or
     * {@code kafka-primer-micrometer}'s {@code ProducerMetrics}. Any thread; a read-only view that gains entries as
     * the producer meets new topics and brokers.
     *
     * @return the metrics by name
     */
    public Map<MetricName, ? extends Metric> metrics() {
        return producer.metrics();
    }

    /**
     * Sends every buffered record now and blocks until each has succeeded or failed (their futures are done).
     * Useful before a checkpoint; not needed before {@link #close(Duration)}, which flushes.
     *
     * @throws InterruptException if the thread is interrupted while waiting
     */
    public void flush() {
        producer.flush();
    }

    /**
     * Sends buffered records, waiting at most {@code timeout}, then releases the producer's thread and
     * sockets. Records not answered by then fail with a {@code KafkaException}. Calling it again does nothing.
     *
     * @param timeout how long to wait for buffered records; zero fails them at once
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws InterruptException       if the thread is interrupted while waiting
     */
    public void close(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, was " + timeout);
        }
        if (closed.compareAndSet(false, true)) {
            try {
                producer.close(timeout);
            } finally {
                keySerializer.close();
                synchronized (this) {
                    if (sendAndWait != null) {
                        sendAndWait.shutdownNow();
                    }
                }
            }
        }
    }

    /**
     * Closes with {@link ProducerOptions#deliveryTimeout()} as the wait: by then every buffered record has
     * been stored or has failed anyway.
     */
    @Override
    public void close() {
        close(options.deliveryTimeout());
    }

    /** {@return the producer's options, secrets hidden} */
    @Override
    public String toString() {
        return "JsonProducer{" + options + "}";
    }

    private byte[] serializeKey(String topic, K key) {
        try {
            return keySerializer.serialize(topic, key);
        } catch (SerializationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new SerializationException("cannot serialize a key of type " + typeOf(key)
                    + " for topic " + topic + ": " + e.getMessage(), e);
        }
    }

    /**
     * The headers for kafka-clients, or null for none: {@code ProducerRecord} then starts empty headers itself.
     * Most sends have no headers, and this runs once per record, so that case builds nothing at all: a stream
     * per record was 7% of the sending thread's time in a profile of {@code ./primer bench}.
     */
    private static List<Header> toHeaders(Map<String, String> headers) {
        if (headers.isEmpty()) {
            return null;
        }
        List<Header> list = new ArrayList<>(headers.size());
        headers.forEach((name, text) ->
                list.add(new TextHeader(name, text == null ? null : text.getBytes(StandardCharsets.UTF_8))));
        return list;
    }

    private static String typeOf(Object value) {
        return value == null ? "null" : value.getClass().getName();
    }

    /** Kafka's exceptions are unchecked: pass them on as they are, so callers can catch them by type. */
    private static RuntimeException unchecked(Throwable failure) {
        return failure instanceof RuntimeException runtime ? runtime : new KafkaException(failure);
    }

    /**
     * The future {@link #send} returns, which is also the callback the producer completes it with: one object
     * per record instead of a future plus a callback lambda. The producer's network thread calls back long after
     * the record was sent, when every object it touches is a cache miss; in a profile of {@code ./primer bench}
     * the jump into the lambda was the largest single cost of that thread.
     */
    private static final class SendFuture extends CompletableFuture<SendResult> implements Callback {
        @Override
        public void onCompletion(RecordMetadata metadata, Exception error) {
            if (error != null) {
                completeExceptionally(error);
            } else {
                complete(SendResult.of(metadata));
            }
        }
    }

    /** A header as kafka-clients reads it: a record's components match {@link Header}'s two methods. */
    private record TextHeader(String key, byte[] value) implements Header {
    }
}
