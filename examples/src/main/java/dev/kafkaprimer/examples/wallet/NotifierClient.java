package dev.kafkaprimer.examples.wallet;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kafkaprimer.core.json.Json;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.SenderContext;

/**
 * Calls the payment notifier for one applied event, retrying failed calls with exponential backoff
 * (a few attempts, 20 ms doubling): the service is idempotent by event id, so a retry can never notify twice.
 * When every attempt failed it throws, and the consumer's commit loop takes over: it retries the whole
 * record, and in the end sends it to the dead-letter topic; it is never dropped silently.
 *
 * <p>Each call, its attempts together, is an observation ({@value WalletTracing#NOTIFY}) of the given registry:
 * a child of the handler's, whose trace context goes in the request's {@code traceparent} header, so the trace
 * reaches the third party. With {@link ObservationRegistry#NOOP} nothing is observed.
 *
 * <p>{@link #notifyInBulk} uses the notifier's bulk endpoint instead: hundreds of events per call, each still
 * with its own idempotency key, the refused ones sent again in the next call after the backoff.
 *
 * <p>Thread-safe (the JDK's {@link HttpClient} is).
 */
final class NotifierClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final long FIRST_BACKOFF_MS = 20;
    /** Calls open at once from {@link #notifyAll}. */
    static final int IN_FLIGHT = 32;
    /** Event ids per call in {@link #notifyInBulk}: a call of 500 ids is about 20 KB. */
    static final int BULK_SIZE = 500;
    private static final ObjectMapper JSON = Json.defaultMapper();

    /**
     * The threads that finish calls and start retries, shared by every client in the JVM (daemons: they never keep
     * it alive). Without an executor of its own, the JDK's client hands each response to a new thread when the
     * machine has two cores or fewer (CompletableFuture's default then starts a thread per task): thousands of
     * thread starts a second, which cost more than the calls.
     */
    private static final ScheduledExecutorService CALLBACKS = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "notifier-client");
        thread.setDaemon(true);
        return thread;
    });

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).executor(CALLBACKS).build();
    private final URI uri;
    private final URI bulkUri;
    private final int attempts;
    private final ObservationRegistry observations;
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT);

    NotifierClient(URI uri, int attempts, ObservationRegistry observations) {
        this.uri = uri;
        this.bulkUri = uri.resolve(PaymentNotifier.BULK_PATH);
        this.attempts = attempts;
        this.observations = observations;
    }

    /**
     * Notifies about {@code event}.
     *
     * @throws NotificationFailedException after the last failed attempt, naming the event and the last status
     * @throws InterruptedException if interrupted while waiting between attempts
     */
    void notify(WalletEvent event) throws InterruptedException {
        HttpRequest.Builder request = request(event);
        // A tracer writes the trace context into the request as the observation starts.
        SenderContext<HttpRequest.Builder> context = new SenderContext<>(HttpRequest.Builder::setHeader, Kind.CLIENT);
        context.setCarrier(request);
        context.setRemoteServiceName("payment-notifier");
        Observation.createNotStarted(WalletTracing.NOTIFY, () -> context, observations)
                .observeChecked(() -> callWithRetries(event, request));
    }

    /**
     * Notifies about every event of {@code events} at once, without waiting for one call before the next: each
     * call and its retries run on the HTTP client's threads, a retry waits for its backoff on a timer instead of
     * a thread, so one event's failures hold back no other event. At most {@value #IN_FLIGHT} calls are open at a
     * time (more would only queue at the notifier, which serves a few at once); a retry keeps its event's place.
     *
     * @return the first event whose every attempt failed, with why; empty if all were notified
     * @throws InterruptedException if interrupted while waiting
     * @throws IllegalStateException if not every call has ended within {@code deadline}
     */
    Optional<FirstFailure> notifyAll(List<WalletEvent> events, Duration deadline) throws InterruptedException {
        long giveUpAt = System.nanoTime() + deadline.toNanos();
        List<CompletableFuture<Void>> calls = new ArrayList<>(events.size());
        for (WalletEvent event : events) {
            if (!inFlight.tryAcquire(Math.max(0, giveUpAt - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw notFinishedWithin(deadline);
            }
            CompletableFuture<Void> call = new CompletableFuture<>();
            call.whenComplete((ok, failure) -> inFlight.release());
            attempt(request(event).build(), event, 1, FIRST_BACKOFF_MS, call);
            calls.add(call);
        }
        for (int i = 0; i < calls.size(); i++) {
            try {
                calls.get(i).get(Math.max(0, giveUpAt - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException failed) {
                return Optional.of(new FirstFailure(i, failed.getCause()));
            } catch (TimeoutException e) {
                throw notFinishedWithin(deadline);
            }
        }
        return Optional.empty();
    }

    /**
     * Notifies about every event of {@code events} with the notifier's bulk endpoint: the events go in calls of up
     * to {@value #BULK_SIZE} ids, all of those calls at once; the ids a call's answer names as refused (or all of
     * its ids, if the call itself failed) go again in the next round, after a backoff that doubles from 20 ms,
     * until each event has had as many attempts as {@link #notify} gives one. An accepted event is never sent
     * again, and a refused one holds back no other: the others were accepted in the first round. This thread
     * waits for each round and its backoff (300 ms in all at most with five attempts), as a batch waits for its
     * slowest notification with {@link #notifyAll}.
     *
     * @return the first event (by position) that was refused every attempt, with why; empty if all were accepted
     * @throws InterruptedException if interrupted while waiting
     * @throws IllegalStateException if a round's calls have not all ended within what is left of {@code deadline}
     */
    Optional<FirstFailure> notifyInBulk(List<WalletEvent> events, Duration deadline) throws InterruptedException {
        long giveUpAt = System.nanoTime() + deadline.toNanos();
        List<Integer> pending = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            pending.add(i);
        }
        String[] lastRefusal = new String[events.size()];
        long delayMs = FIRST_BACKOFF_MS;
        for (int attempt = 1; ; attempt++) {
            pending = refusedIn(bulkRound(events, pending), events, lastRefusal, giveUpAt, deadline);
            if (pending.isEmpty()) {
                return Optional.empty();
            }
            if (attempt == attempts) {
                int first = pending.get(0);
                return Optional.of(new FirstFailure(first, failedEveryAttempt(events.get(first), lastRefusal[first])));
            }
            TimeUnit.MILLISECONDS.sleep(Math.min(delayMs, Math.max(0, (giveUpAt - System.nanoTime()) / 1_000_000)));
            delayMs *= 2;
        }
    }

    /** One round of {@link #notifyInBulk}: the events at {@code positions}, in calls of up to BULK_SIZE, at once. */
    private List<BulkCall> bulkRound(List<WalletEvent> events, List<Integer> positions) {
        List<BulkCall> calls = new ArrayList<>();
        for (int from = 0; from < positions.size(); from += BULK_SIZE) {
            List<Integer> part = positions.subList(from, Math.min(from + BULK_SIZE, positions.size()));
            List<String> ids = new ArrayList<>(part.size());
            for (int position : part) {
                ids.add(events.get(position).eventId());
            }
            HttpRequest request = HttpRequest.newBuilder(bulkUri)
                    .timeout(TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bulkBody(ids)))
                    .build();
            calls.add(new BulkCall(part, http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())));
        }
        return calls;
    }

    /** A bulk call in flight: the positions of the events it carries, and its answer to come. */
    private record BulkCall(List<Integer> positions, CompletableFuture<HttpResponse<byte[]>> answer) {
    }

    /**
     * Waits for a round's calls; returns, in order, the positions of the events to send again, and writes why
     * each was refused into {@code lastRefusal}.
     */
    private List<Integer> refusedIn(List<BulkCall> calls, List<WalletEvent> events, String[] lastRefusal,
                                    long giveUpAt, Duration deadline) throws InterruptedException {
        List<Integer> refused = new ArrayList<>();
        for (BulkCall call : calls) {
            Set<String> refusedIds;
            String why;
            try {
                HttpResponse<byte[]> response = call.answer()
                        .get(Math.max(0, giveUpAt - System.nanoTime()), TimeUnit.NANOSECONDS);
                refusedIds = response.statusCode() == 200 ? refusedIds(response.body()) : null;
                why = refusedIds != null ? "refused in a bulk call"
                        : response.statusCode() == 200 ? "a bulk call answered without a list of refused ids"
                        : "HTTP " + response.statusCode() + " for the whole bulk call";
            } catch (ExecutionException failed) {
                refusedIds = null;
                why = failed.getCause().toString();
            } catch (TimeoutException e) {
                throw notFinishedWithin(deadline);
            }
            for (int position : call.positions()) {
                if (refusedIds == null || refusedIds.contains(events.get(position).eventId())) {
                    refused.add(position);
                    lastRefusal[position] = why;
                }
            }
        }
        return refused;
    }

    private static IllegalStateException notFinishedWithin(Duration deadline) {
        return new IllegalStateException("notifier calls did not finish within " + deadline.toSeconds() + " s");
    }

    private static byte[] bulkBody(List<String> ids) {
        try {
            return JSON.writeValueAsBytes(new PaymentNotifier.BulkRequest(ids));
        } catch (IOException e) {
            throw new IllegalStateException("could not write a list of event ids as JSON", e);
        }
    }

    /** The refused ids of a bulk call's answer; null (all of the call's events to send again) if unreadable. */
    private static Set<String> refusedIds(byte[] answer) {
        try {
            List<String> refused = JSON.readValue(answer, PaymentNotifier.BulkResponse.class).refused();
            return refused == null ? null : new HashSet<>(refused);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The first event of a {@link #notifyAll} whose notification failed every attempt.
     *
     * @param index where it is in the list given
     * @param cause why its last attempt failed ({@link NotificationFailedException} naming the event)
     */
    record FirstFailure(int index, Throwable cause) {
    }

    /** One attempt of an asynchronous call; on failure the next is scheduled after {@code delayMs}. */
    private void attempt(HttpRequest request, WalletEvent event, int attempt, long delayMs,
                         CompletableFuture<Void> call) {
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
            String outcome = error != null ? error.toString()
                    : response.statusCode() / 100 == 2 ? null : "HTTP " + response.statusCode();
            if (outcome == null) {
                call.complete(null);
            } else if (attempt == attempts) {
                call.completeExceptionally(failedEveryAttempt(event, outcome));
            } else {
                CALLBACKS.schedule(() -> attempt(request, event, attempt + 1, delayMs * 2, call), delayMs,
                        TimeUnit.MILLISECONDS);
            }
        });
    }

    private HttpRequest.Builder request(WalletEvent event) {
        return HttpRequest.newBuilder(uri)
                .timeout(TIMEOUT)
                .header(PaymentNotifier.IDEMPOTENCY_KEY, event.eventId())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"eventId\":\"" + event.eventId() + "\"}"));
    }

    private NotificationFailedException failedEveryAttempt(WalletEvent event, String last) {
        return new NotificationFailedException("notifying event " + event.eventId() + " failed " + attempts
                + " times, last: " + last);
    }

    private void callWithRetries(WalletEvent event, HttpRequest.Builder requestBuilder) throws InterruptedException {
        HttpRequest request = requestBuilder.build();
        String last = "no attempt";
        long delayMs = FIRST_BACKOFF_MS;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status / 100 == 2) {
                    return;
                }
                last = "HTTP " + status;
            } catch (IOException e) {
                last = e.toString();
            }
            if (attempt < attempts) {
                Thread.sleep(delayMs);
                delayMs *= 2;
            }
        }
        throw failedEveryAttempt(event, last);
    }

    /** The notifier refused every attempt for one event. */
    static final class NotificationFailedException extends RuntimeException {
        NotificationFailedException(String message) {
            super(message);
        }
    }
}
