package dev.kafkaprimer.examples.wallet;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.kafkaprimer.core.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wallet's "third party": a small local HTTP service standing for a payment notifier, on a loopback port.
 *
 * <p>{@code POST /notify} with header {@value #IDEMPOTENCY_KEY} (the event id). Like real payment APIs it is
 * idempotent: the same key twice counts once. It fails a share of calls on purpose with HTTP 503
 * ({@code failureRate}), so the consumer must retry; a failed call changes nothing. It counts the distinct
 * keys it accepted, which the end check compares with the events applied.
 *
 * <p>{@code POST /notify-bulk} with a JSON body {@code {"eventIds":["…","…"]}} notifies about many events in one
 * call, as many real third parties allow (a batch endpoint): each id is an idempotency key of its own, and each
 * is refused on purpose or accepted on its own, with the same share; the answer, HTTP 200 with
 * {@code {"refused":["…"]}}, names the ones to send again. One round trip then carries hundreds of events.
 *
 * <p>Thread-safe. Lifecycle: {@link #start} binds and serves; {@link #close} stops within a second.
 */
final class PaymentNotifier implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PaymentNotifier.class);
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    /** Where {@link #bulkUri()} points: many events in one call. */
    static final String BULK_PATH = "/notify-bulk";
    /** W3C trace context, sent by a traced client. */
    static final String TRACEPARENT = "traceparent";

    /** The event id and trace context of an accepted call that came with a sampled trace. */
    record ReceivedTrace(String eventId, String traceparent) {
    }

    private final HttpServer server;
    private final ExecutorService threads;
    private final double failureRate;
    private final Random random;
    /** Where accepted keys are also recorded for other processes' notifiers, or null; guarded by itself. */
    private final WalletStore shared;
    private final Set<String> accepted = ConcurrentHashMap.newKeySet();
    private static final ObjectMapper JSON = Json.defaultMapper();

    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong bulkCalls = new AtomicLong();
    /** Event ids sent in bulk calls, and how many of them were refused on purpose. */
    private final AtomicLong bulkEvents = new AtomicLong();
    private final AtomicLong refusedInBulk = new AtomicLong();
    /** By trace id; only sampled traces are kept (a few), so this stays small in a run of millions. */
    private final Map<String, ReceivedTrace> sampledTraces = new ConcurrentHashMap<>();

    private PaymentNotifier(HttpServer server, ExecutorService threads, double failureRate, long seed,
                            WalletStore shared) {
        this.server = server;
        this.threads = threads;
        this.failureRate = failureRate;
        this.random = new Random(seed);
        this.shared = shared;
    }

    /**
     * Starts the service on a free loopback port.
     *
     * @throws IllegalArgumentException if {@code failureRate} is not within 0..1
     */
    static PaymentNotifier start(double failureRate, long seed) throws IOException {
        return start(failureRate, seed, null);
    }

    /**
     * Starts the service on a free loopback port; each key it accepts is also recorded in {@code shared}'s table
     * {@code wallet_notified}, where the notifiers of other processes find it (several {@code --role consume}
     * processes each run one, and together they must act as one third party). A key that cannot be recorded
     * fails the call with HTTP 500, so the client retries it.
     *
     * @param shared the store to record in (the notifier closes it), or null to keep keys in memory only
     */
    static PaymentNotifier start(double failureRate, long seed, WalletStore shared) throws IOException {
        if (!(failureRate >= 0 && failureRate <= 1)) {
            throw new IllegalArgumentException("notify failure rate must be between 0 and 1, was " + failureRate);
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        PaymentNotifier notifier = new PaymentNotifier(server, threads, failureRate, seed, shared);
        server.createContext("/notify", notifier::handle);
        server.createContext(BULK_PATH, notifier::handleBulk);
        server.setExecutor(threads);
        server.start();
        return notifier;
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/notify");
    }

    /** The bulk endpoint: {@code POST {"eventIds":[…]}}, answered with {@code {"refused":[…]}}. */
    URI bulkUri() {
        return uri().resolve(BULK_PATH);
    }

    /** Distinct event ids accepted. */
    int acceptedCount() {
        return accepted.size();
    }

    boolean hasAccepted(String eventId) {
        return accepted.contains(eventId);
    }

    /** The accepted call that carried a sampled traceparent of trace {@code traceId}, if one did. */
    Optional<ReceivedTrace> receivedTrace(String traceId) {
        return Optional.ofNullable(sampledTraces.get(traceId));
    }

    long calls() {
        return calls.get();
    }

    long failedCalls() {
        return failed.get();
    }

    /** Calls to the bulk endpoint (counted in {@link #calls} too). */
    long bulkCalls() {
        return bulkCalls.get();
    }

    /** Event ids the bulk calls carried, refused ones (sent again) included. */
    long bulkEvents() {
        return bulkEvents.get();
    }

    /** Event ids of bulk calls refused on purpose (each then sent again by the client). */
    long refusedInBulk() {
        return refusedInBulk.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream body = exchange.getRequestBody()) {
            body.readAllBytes();
            calls.incrementAndGet();
            String key = exchange.getRequestHeaders().getFirst(IDEMPOTENCY_KEY);
            if (!"POST".equals(exchange.getRequestMethod()) || key == null || key.isBlank()) {
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            if (failsOnPurpose()) {
                failed.incrementAndGet();
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            if (!record(key)) {
                exchange.sendResponseHeaders(500, -1);
                return;
            }
            keepIfSampled(key, exchange.getRequestHeaders().getFirst(TRACEPARENT));
            exchange.sendResponseHeaders(204, -1);
        }
    }

    /** The body of a bulk call. */
    record BulkRequest(List<String> eventIds) {
    }

    /** The answer to a bulk call: the ids it did not accept, to be sent again. */
    record BulkResponse(List<String> refused) {
    }

    private void handleBulk(HttpExchange exchange) throws IOException {
        try (exchange; InputStream body = exchange.getRequestBody()) {
            byte[] bytes = body.readAllBytes();
            calls.incrementAndGet();
            bulkCalls.incrementAndGet();
            List<String> keys = "POST".equals(exchange.getRequestMethod()) ? eventIdsOf(bytes) : null;
            if (keys == null) {
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            bulkEvents.addAndGet(keys.size());
            List<String> refused = new ArrayList<>();
            for (String key : keys) {
                // Each id on its own, as if it had come in a call of its own: one refused holds back no other.
                if (failsOnPurpose()) {
                    refusedInBulk.incrementAndGet();
                    refused.add(key);
                } else if (!record(key)) {
                    refused.add(key);
                }
            }
            byte[] answer = JSON.writeValueAsBytes(new BulkResponse(refused));
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
        }
    }

    /** The ids of a bulk call's body; null if it is not {@code {"eventIds":[…]}} with no blank id. */
    private static List<String> eventIdsOf(byte[] body) {
        try {
            List<String> keys = JSON.readValue(body, BulkRequest.class).eventIds();
            return keys == null || keys.stream().anyMatch(key -> key == null || key.isBlank()) ? null : keys;
        } catch (IOException e) {
            return null;
        }
    }

    private boolean failsOnPurpose() {
        synchronized (random) {
            return random.nextDouble() < failureRate;
        }
    }

    /** Remembers an accepted key; false if the shared record could not be written (the call fails then). */
    private boolean record(String key) {
        if (shared != null) {
            synchronized (shared) {
                try {
                    shared.recordNotified(key);
                } catch (SQLException e) {
                    LOG.warn("notifier: could not record accepted key {}, failing the call: {}", key, e.toString());
                    return false;
                }
            }
        }
        accepted.add(key);
        return true;
    }

    /** {@code 00-<trace id>-<parent span id>-<flags>}: bit 1 of the flags says the trace is recorded. */
    private void keepIfSampled(String eventId, String traceparent) {
        int lastFlagDigit = traceparent == null || traceparent.length() != 55 ? -1
                : Character.digit(traceparent.charAt(54), 16);
        if (lastFlagDigit >= 0 && (lastFlagDigit & 1) == 1) {
            sampledTraces.putIfAbsent(traceparent.substring(3, 35), new ReceivedTrace(eventId, traceparent));
        }
    }

    @Override
    public void close() throws SQLException {
        server.stop(1);
        threads.shutdownNow();
        if (shared != null) {
            synchronized (shared) {
                shared.close();
            }
        }
    }
}
