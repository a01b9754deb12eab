package dev.kafkaprimer.examples.wallet;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

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
 * <p>Thread-safe (the JDK's {@link HttpClient} is).
 */
final class NotifierClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final URI uri;
    private final int attempts;
    private final ObservationRegistry observations;

    NotifierClient(URI uri, int attempts, ObservationRegistry observations) {
        this.uri = uri;
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
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(TIMEOUT)
                .header(PaymentNotifier.IDEMPOTENCY_KEY, event.eventId())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"eventId\":\"" + event.eventId() + "\"}"));
        // A tracer writes the trace context into the request as the observation starts.
        SenderContext<HttpRequest.Builder> context = new SenderContext<>(HttpRequest.Builder::setHeader, Kind.CLIENT);
        context.setCarrier(request);
        context.setRemoteServiceName("payment-notifier");
        Observation.createNotStarted(WalletTracing.NOTIFY, () -> context, observations)
                .observeChecked(() -> callWithRetries(event, request));
    }

    private void callWithRetries(WalletEvent event, HttpRequest.Builder requestBuilder) throws InterruptedException {
        HttpRequest request = requestBuilder.build();
        String last = "no attempt";
        long delayMs = 20;
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
        throw new NotificationFailedException("notifying event " + event.eventId() + " failed " + attempts
                + " times, last: " + last);
    }

    /** The notifier refused every attempt for one event. */
    static final class NotificationFailedException extends RuntimeException {
        NotificationFailedException(String message) {
            super(message);
        }
    }
}
