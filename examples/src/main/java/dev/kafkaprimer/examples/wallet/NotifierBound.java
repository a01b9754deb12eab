package dev.kafkaprimer.examples.wallet;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.micrometer.observation.ObservationRegistry;

/**
 * What the wallet's third party allows at most: HTTP calls per second of a bare client loop (the wallet's own
 * {@link NotifierClient}, its retries included, nothing else: no Kafka, no database) against the same
 * {@link PaymentNotifier}, failing the same share of calls. No wallet run can notify faster than this with as
 * many callers, so it bounds the wallet's events per second. For {@code ./primer bench}.
 */
public final class NotifierBound {

    private NotifierBound() {
    }

    /**
     * Notifies {@code events} new event ids from {@code callers} threads at once, each calling in turn.
     *
     * @return HTTP calls per second, failed calls (retried by the client) included
     * @throws IllegalStateException if not every event was notified within {@code timeoutSeconds}
     */
    public static double callsPerSecond(int callers, int events, double failureRate, long timeoutSeconds)
            throws Exception {
        try (PaymentNotifier notifier = PaymentNotifier.start(failureRate, 1)) {
            NotifierClient client = new NotifierClient(notifier.uri(), 5, ObservationRegistry.NOOP);
            ExecutorService threads = Executors.newFixedThreadPool(callers);
            try {
                long started = System.nanoTime();
                List<Future<?>> running = new ArrayList<>();
                for (int caller = 0; caller < callers; caller++) {
                    int share = events / callers + (caller < events % callers ? 1 : 0);
                    running.add(threads.submit(() -> {
                        for (int i = 0; i < share; i++) {
                            client.notify(new WalletEvent(UUID.randomUUID().toString(), "user-bench",
                                    WalletEvent.Type.CHARGE, 100, 1));
                        }
                        return null;
                    }));
                }
                for (Future<?> caller : running) {
                    caller.get(timeoutSeconds, TimeUnit.SECONDS);
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                if (notifier.acceptedCount() != events) {
                    throw new IllegalStateException("the notifier accepted " + notifier.acceptedCount() + " of "
                            + events + " events");
                }
                return notifier.calls() / seconds;
            } finally {
                threads.shutdownNow();
            }
        }
    }
}
