package dev.kafkaprimer.core.producer;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import dev.kafkaprimer.core.config.ClientSecurity;
import dev.kafkaprimer.core.config.PassThroughProperties;
import dev.kafkaprimer.core.config.SecretMasking;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Settings for a {@link JsonProducer}: where the cluster is, how safely records are stored, how long the
 * producer may wait. The defaults are safe for real data: {@link Acks#ALL} with idempotence on, so a record
 * reported as sent is on every in-sync replica, and a retry after a lost answer is not stored twice.
 *
 * <p><b>Thread-safety and lifecycle.</b> Immutable: build once, share freely, create any number of producers
 * from it. {@link Builder#build()} copies the builder, so later builder calls do not change built options.
 *
 * <p><b>Failure modes.</b> Every value is checked when it is given (or, for rules spanning two settings, in
 * {@code build()}), and the exception names the setting and the bad value. That is earlier than
 * kafka-clients, which only complains when the producer is constructed. Security (TLS, a SASL login) goes
 * through {@link Builder#security(ClientSecurity)}, which checks it too; settings without a builder method
 * (batch size, ...) go through {@link Builder#property(String, String)}, and kafka-clients checks their values
 * when the producer starts. A wrong password or an untrusted broker certificate fails the first {@code send}
 * with {@code SaslAuthenticationException} or {@code SslAuthenticationException}, not a timeout.
 *
 * <p><b>Secrets.</b> {@link #toString()} shows every setting except secret ones (passwords, JAAS configs,
 * tokens, key material), which print as {@code [hidden]}; see {@link SecretMasking}.
 *
 * <pre>{@code
 * ProducerOptions options = ProducerOptions.builder("localhost:9092")
 *         .clientId("checkout")
 *         .linger(Duration.ofMillis(20))          // wait a little to fill bigger batches
 *         .compression(Compression.LZ4)
 *         .security(ClientSecurity.sasl(SaslMechanism.SCRAM_SHA_512, "checkout", password))
 *         .build();
 * }</pre>
 *
 * <p>Why one class of some 450 lines: one getter and one builder method per choice, each documented; the rules
 * every client shares live in {@link PassThroughProperties}.
 */
public final class ProducerOptions {

    /** Default {@link Builder#acks(Acks)}: every in-sync replica has the record. */
    public static final Acks DEFAULT_ACKS = Acks.ALL;
    /** Default {@link Builder#idempotence(boolean)}: on, so retries never store a record twice. */
    public static final boolean DEFAULT_IDEMPOTENCE = true;
    /** Default {@link Builder#compression(Compression)}: none, as in kafka-clients. */
    public static final Compression DEFAULT_COMPRESSION = Compression.NONE;
    /** Default {@link Builder#linger(Duration)}: 5 ms, the kafka-clients 4.x default. */
    public static final Duration DEFAULT_LINGER = Duration.ofMillis(5);
    /** Default {@link Builder#requestTimeout(Duration)}: 30 s, as in kafka-clients. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** Default {@link Builder#deliveryTimeout(Duration)}: 2 min, as in kafka-clients. */
    public static final Duration DEFAULT_DELIVERY_TIMEOUT = Duration.ofMinutes(2);
    /** Default {@link Builder#maxBlock(Duration)}: 1 min, as in kafka-clients. */
    public static final Duration DEFAULT_MAX_BLOCK = Duration.ofMinutes(1);

    /** Kafka keeps these times in an {@code int} of milliseconds. */
    private static final Duration LONGEST_TIME = Duration.ofMillis(Integer.MAX_VALUE);

    /** Settings that {@link Builder#property} refuses, each with what to use instead. */
    private static final Map<String, String> NOT_PASS_THROUGH = Map.ofEntries(
            Map.entry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "the bootstrapServers argument of ProducerOptions.builder(...)"),
            Map.entry(ProducerConfig.CLIENT_ID_CONFIG, "clientId(String)"),
            Map.entry(ProducerConfig.ACKS_CONFIG, "acks(Acks)"),
            Map.entry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "idempotence(boolean)"),
            Map.entry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "compression(Compression)"),
            Map.entry(ProducerConfig.LINGER_MS_CONFIG, "linger(Duration)"),
            Map.entry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "requestTimeout(Duration)"),
            Map.entry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "deliveryTimeout(Duration)"),
            Map.entry(ProducerConfig.MAX_BLOCK_MS_CONFIG, "maxBlock(Duration)"),
            Map.entry(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, "a key Serializer given to JsonProducer.create"),
            Map.entry(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, "nothing: JsonProducer writes values as JSON"),
            Map.entry(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "nothing: JsonProducer does not run transactions"));

    private final String bootstrapServers;
    private final String clientId;
    private final Acks acks;
    private final boolean idempotence;
    private final Compression compression;
    private final Duration linger;
    private final Duration requestTimeout;
    private final Duration deliveryTimeout;
    private final Duration maxBlock;
    private final ClientSecurity security;
    private final Map<String, Object> properties;
    private final List<SendListener> listeners;
    private final List<SendInterceptor> interceptors;

    private ProducerOptions(Builder builder) {
        this.bootstrapServers = builder.bootstrapServers;
        this.clientId = builder.clientId;
        this.acks = builder.acks;
        this.idempotence = builder.idempotence;
        this.compression = builder.compression;
        this.linger = builder.linger;
        this.requestTimeout = builder.requestTimeout;
        this.deliveryTimeout = builder.deliveryTimeout;
        this.maxBlock = builder.maxBlock;
        this.security = builder.security;
        this.properties = Collections.unmodifiableMap(new LinkedHashMap<>(builder.properties));
        this.listeners = List.copyOf(builder.listeners);
        this.interceptors = List.copyOf(builder.interceptors);
    }

    /**
     * Starts options for the cluster at {@code bootstrapServers}, every other setting at its default.
     *
     * @param bootstrapServers one or more {@code host:port} separated by commas, such as
     *                         {@code "localhost:9092"}; the producer asks them for the rest of the cluster
     * @return a new builder
     * @throws NullPointerException     if {@code bootstrapServers} is null
     * @throws IllegalArgumentException if {@code bootstrapServers} is blank or an entry is not {@code host:port}
     */
    public static Builder builder(String bootstrapServers) {
        return new Builder(bootstrapServers);
    }

    /**
     * The client properties for {@code KafkaProducer}, built in this one place: the pass-through settings,
     * then each typed setting. Serializers are not included; {@link JsonProducer} passes its own.
     */
    Map<String, Object> clientProperties() {
        Map<String, Object> client = new LinkedHashMap<>(properties);
        // How the producer proves who it is and encrypts; build() made sure no pass-through setting says otherwise.
        security().ifPresent(given -> client.putAll(given.clientProperties()));
        // Any broker of the cluster will do: the producer learns the others from its first metadata answer.
        client.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        // Names this producer in broker logs, quotas and metrics; without it kafka-clients makes one up.
        clientId().ifPresent(id -> client.put(ProducerConfig.CLIENT_ID_CONFIG, id));
        // How many replicas must hold a record before the send succeeds: the durability choice.
        client.put(ProducerConfig.ACKS_CONFIG, acks.configValue());
        // Sequence numbers per partition let the broker drop a retried duplicate and keep order under retries.
        client.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, idempotence);
        // Batches are compressed once by the producer and stay compressed on the broker's disk.
        client.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression.configValue());
        // How long a batch may wait for more records: a little latency buys fewer, bigger requests.
        client.put(ProducerConfig.LINGER_MS_CONFIG, linger.toMillis());
        // How long to wait for one broker answer before retrying the request.
        client.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) requestTimeout.toMillis());
        // The whole budget of one record, retries included; after it the send fails instead of retrying forever.
        client.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) deliveryTimeout.toMillis());
        // How long send() itself may block the caller, waiting for topic metadata or for buffer space.
        client.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, maxBlock.toMillis());
        return client;
    }

    /** {@return the {@code host:port} list the producer starts from} */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** {@return the client id, or empty when kafka-clients chooses one ({@code producer-1}, ...)} */
    public Optional<String> clientId() {
        return Optional.ofNullable(clientId);
    }

    /** {@return how many replicas must hold a record before a send succeeds} */
    public Acks acks() {
        return acks;
    }

    /** {@return whether the broker drops duplicates caused by retries} */
    public boolean idempotence() {
        return idempotence;
    }

    /** {@return how batches are compressed} */
    public Compression compression() {
        return compression;
    }

    /** {@return how long a batch waits for more records before it is sent} */
    public Duration linger() {
        return linger;
    }

    /** {@return how long the producer waits for one broker answer before it retries} */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** {@return the time from {@code send} until the record is stored or reported failed, retries included} */
    public Duration deliveryTimeout() {
        return deliveryTimeout;
    }

    /** {@return how long {@code send} may block the calling thread (metadata, buffer space)} */
    public Duration maxBlock() {
        return maxBlock;
    }

    /**
     * {@return the security given to {@link Builder#security}, or empty: then kafka-clients' default, PLAINTEXT,
     * unless pass-through {@link #properties()} set {@code security.protocol}}
     */
    public Optional<ClientSecurity> security() {
        return Optional.ofNullable(security);
    }

    /** {@return who is told the outcome of every send, in the order given; immutable, maybe empty} */
    public List<SendListener> listeners() {
        return listeners;
    }

    /** {@return what sees every record before it is sent, and may add headers, in the order given; immutable} */
    public List<SendInterceptor> interceptors() {
        return interceptors;
    }

    /** {@return the pass-through kafka-clients settings, in the order given; unmodifiable, secrets included} */
    public Map<String, Object> properties() {
        return properties;
    }

    /** {@return every setting, with secret values shown as {@code [hidden]}} */
    @Override
    public String toString() {
        return "ProducerOptions{bootstrapServers=" + bootstrapServers
                + ", clientId=" + clientId().orElse("(kafka-clients default)")
                + ", acks=" + acks
                + ", idempotence=" + idempotence
                + ", compression=" + compression
                + ", linger=" + linger
                + ", requestTimeout=" + requestTimeout
                + ", deliveryTimeout=" + deliveryTimeout
                + ", maxBlock=" + maxBlock
                + ", security=" + security().map(ClientSecurity::toString).orElse("(kafka-clients default)")
                + ", properties=" + PassThroughProperties.display(properties) + "}";
    }

    /**
     * Builds {@link ProducerOptions}. Not thread-safe; each method checks its value at once and returns
     * this builder.
     */
    public static final class Builder {

        private final String bootstrapServers;
        private String clientId;
        private Acks acks = DEFAULT_ACKS;
        private boolean idempotence = DEFAULT_IDEMPOTENCE;
        private Compression compression = DEFAULT_COMPRESSION;
        private Duration linger = DEFAULT_LINGER;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private Duration deliveryTimeout = DEFAULT_DELIVERY_TIMEOUT;
        private Duration maxBlock = DEFAULT_MAX_BLOCK;
        private ClientSecurity security;
        private final Map<String, Object> properties = new LinkedHashMap<>();
        private final List<SendListener> listeners = new java.util.ArrayList<>();
        private final List<SendInterceptor> interceptors = new java.util.ArrayList<>();

        private Builder(String bootstrapServers) {
            this.bootstrapServers = PassThroughProperties.bootstrapServers(bootstrapServers);
        }

        /**
         * Names this producer in broker logs, quotas and metrics.
         *
         * @param clientId a short name such as {@code "checkout"}
         * @return this builder
         * @throws NullPointerException     if {@code clientId} is null
         * @throws IllegalArgumentException if {@code clientId} is blank
         */
        public Builder clientId(String clientId) {
            Objects.requireNonNull(clientId, "clientId");
            if (clientId.isBlank()) {
                throw new IllegalArgumentException("clientId must not be blank, was '" + clientId + "'");
            }
            this.clientId = clientId;
            return this;
        }

        /**
         * How many replicas must hold a record before a send succeeds; default {@link #DEFAULT_ACKS}.
         * Anything but {@link Acks#ALL} also needs {@code idempotence(false)}.
         *
         * @param acks the durability choice
         * @return this builder
         * @throws NullPointerException if {@code acks} is null
         */
        public Builder acks(Acks acks) {
            this.acks = Objects.requireNonNull(acks, "acks");
            return this;
        }

        /**
         * Whether the broker drops duplicates that retries would otherwise store, and keeps each partition's
         * order under retries; default {@link #DEFAULT_IDEMPOTENCE}. Requires {@link Acks#ALL}.
         *
         * @param enabled true to turn it on
         * @return this builder
         */
        public Builder idempotence(boolean enabled) {
            this.idempotence = enabled;
            return this;
        }

        /**
         * How batches are compressed; default {@link #DEFAULT_COMPRESSION}.
         *
         * @param compression the codec
         * @return this builder
         * @throws NullPointerException if {@code compression} is null
         */
        public Builder compression(Compression compression) {
            this.compression = Objects.requireNonNull(compression, "compression");
            return this;
        }

        /**
         * How long a batch may wait for more records before it is sent; default {@link #DEFAULT_LINGER}.
         * Zero sends as soon as the network allows; longer gives bigger batches and more latency.
         *
         * @param linger zero or more, whole milliseconds (smaller parts are dropped)
         * @return this builder
         * @throws NullPointerException     if {@code linger} is null
         * @throws IllegalArgumentException if {@code linger} is negative or longer than {@code Integer.MAX_VALUE} ms
         */
        public Builder linger(Duration linger) {
            this.linger = checkTime("linger", linger, Duration.ZERO);
            return this;
        }

        /**
         * How long to wait for one broker answer before retrying; default {@link #DEFAULT_REQUEST_TIMEOUT}.
         *
         * @param requestTimeout at least 1 ms
         * @return this builder
         * @throws NullPointerException     if {@code requestTimeout} is null
         * @throws IllegalArgumentException if {@code requestTimeout} is under 1 ms or over {@code Integer.MAX_VALUE} ms
         */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = checkTime("requestTimeout", requestTimeout, Duration.ofMillis(1));
            return this;
        }

        /**
         * The whole budget of one record from {@code send} to stored, retries included; default
         * {@link #DEFAULT_DELIVERY_TIMEOUT}. When it runs out the send fails with Kafka's
         * {@code TimeoutException}. It must be at least {@code linger + requestTimeout} (checked in
         * {@link #build()}).
         *
         * @param deliveryTimeout at least 1 ms
         * @return this builder
         * @throws NullPointerException     if {@code deliveryTimeout} is null
         * @throws IllegalArgumentException if {@code deliveryTimeout} is under 1 ms or over
         *                                  {@code Integer.MAX_VALUE} ms
         */
        public Builder deliveryTimeout(Duration deliveryTimeout) {
            this.deliveryTimeout = checkTime("deliveryTimeout", deliveryTimeout, Duration.ofMillis(1));
            return this;
        }

        /**
         * How long {@code send} may block the calling thread: waiting for the topic's metadata (the first send
         * to a topic, or a topic that does not exist) or for buffer space; default {@link #DEFAULT_MAX_BLOCK}.
         *
         * @param maxBlock zero or more
         * @return this builder
         * @throws NullPointerException     if {@code maxBlock} is null
         * @throws IllegalArgumentException if {@code maxBlock} is negative or over {@code Integer.MAX_VALUE} ms
         */
        public Builder maxBlock(Duration maxBlock) {
            this.maxBlock = checkTime("maxBlock", maxBlock, Duration.ZERO);
            return this;
        }

        /**
         * How the producer proves who it is and keeps its traffic private: TLS, a SASL login, or both; see
         * {@link ClientSecurity}. Without it the producer uses PLAINTEXT, kafka-clients' default.
         *
         * @param security the security settings, checked when they were made
         * @return this builder
         * @throws NullPointerException if {@code security} is null
         */
        public Builder security(ClientSecurity security) {
            this.security = Objects.requireNonNull(security, "security");
            return this;
        }

        /**
         * Adds a listener told the outcome and latency of every send: for metrics. May be called several times;
         * see {@link SendListener} for the thread it runs on. With none, sends are not timed.
         *
         * @param listener thread-safe, quick; not null
         * @return this builder
         */
        public Builder listener(SendListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Adds an interceptor that sees every record on the sending thread just before it is sent, and may add
         * headers (a trace's {@code traceparent}). May be called several times; they run in the order added. See
         * {@link SendInterceptor} for threads and failures. With none, nothing runs.
         *
         * @param interceptor thread-safe, quick; not null
         * @return this builder
         */
        public Builder interceptor(SendInterceptor interceptor) {
            interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
            return this;
        }

        /**
         * Any other kafka-clients producer setting, such as {@code batch.size}
         * ({@code ProducerConfig.*_CONFIG} names the constants). Settings with their own method here are
         * refused, so that each value has one source. Giving a name twice keeps the last value.
         *
         * @param name  the kafka-clients setting name
         * @param value its value, as Kafka accepts it (text as in a {@code .properties} file, number, boolean,
         *              class, list); not null
         * @return this builder
         * @throws NullPointerException     if {@code name} or {@code value} is null
         * @throws IllegalArgumentException if {@code name} is blank or has a method of its own (the message
         *                                  says which), or is one {@link JsonProducer} sets itself
         */
        public Builder property(String name, Object value) {
            PassThroughProperties.check(name, value, NOT_PASS_THROUGH);
            properties.put(name, value);
            return this;
        }

        /**
         * Checks the rules that span settings and returns the options.
         *
         * @return new immutable options with a copy of this builder's values
         * @throws IllegalArgumentException if idempotence is on with acks other than {@link Acks#ALL}, with
         *                                  {@code max.in.flight.requests.per.connection} above 5 or with
         *                                  {@code retries} 0; if {@code deliveryTimeout} is shorter than
         *                                  {@code linger + requestTimeout}; or if a pass-through property sets
         *                                  what {@link #security(ClientSecurity)} sets
         */
        public ProducerOptions build() {
            PassThroughProperties.checkNotAlsoInSecurity(properties, security);
            if (idempotence) {
                checkIdempotenceAllowed();
            }
            if (deliveryTimeout.compareTo(linger.plus(requestTimeout)) < 0) {
                throw new IllegalArgumentException("deliveryTimeout must be at least linger + requestTimeout ("
                        + linger + " + " + requestTimeout + "), was " + deliveryTimeout);
            }
            return new ProducerOptions(this);
        }

        /** The broker can only drop duplicates it can order: all replicas, few requests in flight, retries on. */
        private void checkIdempotenceAllowed() {
            if (acks != Acks.ALL) {
                throw new IllegalArgumentException("idempotence needs acks ALL, was acks " + acks
                        + "; call idempotence(false) to accept duplicates after retries");
            }
            String inFlightName = ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION;
            Integer inFlight = intProperty(inFlightName);
            if (inFlight != null && inFlight > 5) {
                throw new IllegalArgumentException("idempotence allows at most 5 requests in flight, but "
                        + inFlightName + " was " + inFlight + "; lower it or call idempotence(false)");
            }
            Integer retries = intProperty(ProducerConfig.RETRIES_CONFIG);
            if (retries != null && retries == 0) {
                throw new IllegalArgumentException("idempotence needs retries, but " + ProducerConfig.RETRIES_CONFIG
                        + " was 0; remove it or call idempotence(false)");
            }
        }

        private Integer intProperty(String name) {
            Object value = properties.get(name);
            if (value == null) {
                return null;
            }
            String text = value.toString();
            try {
                return Integer.valueOf(text.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be a whole number, was '" + text + "'", e);
            }
        }

        private static Duration checkTime(String setting, Duration value, Duration shortest) {
            Objects.requireNonNull(value, setting);
            if (value.compareTo(shortest) < 0) {
                throw new IllegalArgumentException(setting + " must be at least " + shortest + ", was " + value);
            }
            if (value.compareTo(LONGEST_TIME) > 0) {
                throw new IllegalArgumentException(setting + " must be at most " + LONGEST_TIME
                        + " (Integer.MAX_VALUE ms), was " + value);
            }
            return value;
        }
    }
}
