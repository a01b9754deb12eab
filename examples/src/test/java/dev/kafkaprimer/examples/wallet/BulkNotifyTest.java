package dev.kafkaprimer.examples.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

/**
 * The notifier's bulk endpoint and {@link NotifierClient#notifyInBulk}, over real HTTP on loopback (no Kafka:
 * this is the third party and its client alone; the wallet's runs with {@code --bulk-notify} are in
 * {@link WalletExampleTest}).
 */
class BulkNotifyTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @Test
    void shouldNotifyEveryEventInFewCallsAndNeverTwice() throws Exception {
        // Given a notifier that refuses a tenth of the events it gets, on purpose
        try (PaymentNotifier notifier = PaymentNotifier.start(0.1, 42)) {
            NotifierClient client = new NotifierClient(notifier.uri(), 10, ObservationRegistry.NOOP);
            List<WalletEvent> events = events("a", 1_200);

            // When 1,200 events are notified in bulk, and then the same events once more
            Optional<NotifierClient.FirstFailure> first = client.notifyInBulk(events, DEADLINE);
            long callsAfterFirst = notifier.bulkCalls();
            Optional<NotifierClient.FirstFailure> second = client.notifyInBulk(events, DEADLINE);

            // Then each was accepted once (the ids are idempotency keys), in a handful of calls per round, and
            // only refused ones were sent again
            assertEquals(Optional.empty(), first);
            assertEquals(Optional.empty(), second);
            assertEquals(1_200, notifier.acceptedCount());
            assertTrue(callsAfterFirst >= 4 && callsAfterFirst <= 3 * 10,
                    "calls of up to " + NotifierClient.BULK_SIZE + " ids, rounds for the refused: " + callsAfterFirst);
            assertEquals(2 * 1_200 + notifier.refusedInBulk(), notifier.bulkEvents(),
                    "every id once per pass, and again each time it was refused");
        }
    }

    @Test
    void shouldNameTheFirstEventRefusedEveryAttempt() throws Exception {
        // Given a notifier that refuses everything
        try (PaymentNotifier notifier = PaymentNotifier.start(1.0, 1)) {
            NotifierClient client = new NotifierClient(notifier.uri(), 3, ObservationRegistry.NOOP);
            List<WalletEvent> events = events("b", 700);

            // When they are notified in bulk
            Optional<NotifierClient.FirstFailure> failure = client.notifyInBulk(events, DEADLINE);

            // Then the first event is named, after its three attempts: two calls per round (500 + 200), three rounds
            assertTrue(failure.isPresent());
            assertEquals(0, failure.get().index());
            assertEquals("notifying event b-0 failed 3 times, last: refused in a bulk call",
                    failure.get().cause().getMessage());
            assertEquals(6, notifier.bulkCalls());
            assertEquals(0, notifier.acceptedCount());
        }
    }

    @Test
    void shouldRefuseABulkCallThatIsNotAListOfIds() throws Exception {
        try (PaymentNotifier notifier = PaymentNotifier.start(0, 1)) {
            HttpClient http = HttpClient.newHttpClient();
            for (String body : List.of("not json", "{\"eventIds\":[\"ok\",\" \"]}", "{}")) {
                HttpRequest request = HttpRequest.newBuilder(notifier.bulkUri())
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                assertEquals(400, response.statusCode(), body);
            }
            assertEquals(0, notifier.acceptedCount(), "a refused call accepts none of its ids");
        }
    }

    private static List<WalletEvent> events(String prefix, int count) {
        List<WalletEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(new WalletEvent(prefix + "-" + i, "user-" + i % 7, WalletEvent.Type.CHARGE, 10, i / 7 + 1));
        }
        return events;
    }
}
