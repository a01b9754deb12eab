package dev.kafkaprimer.examples.wallet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.kafkaprimer.examples.cli.SmallMachines;
import io.micrometer.observation.ObservationRegistry;

/**
 * What the wallet's third party allows at most: HTTP calls per second of a bare client loop (the wallet's own
 * {@link NotifierClient} and its {@link NotifierClient#notifyAll}, retries included, nothing else: no Kafka, no
 * database) against the same {@link PaymentNotifier}, failing the same share of calls, with as many clients as
 * the wallet has members, each with as many calls open as a member has. No wallet run can notify faster than
 * this, so it bounds the wallet's events per second. For {@code ./primer bench}.
 */
public final class NotifierBound {

    /** Calls each client has open at once, as each wallet member has. */
    public static final int IN_FLIGHT = NotifierClient.IN_FLIGHT;
    /** What {@link #main} prints before {@code =} and the calls per second. */
    public static final String OUTPUT_KEY = "notifier_calls_per_s";

    private NotifierBound() {
    }

    /**
     * {@code NotifierBound CLIENTS EVENTS FAILURE_RATE TIMEOUT_SECONDS}: {@link #callsPerSecond} in a JVM of its own,
     * as {@code ./primer bench} runs it (a new JVM, as each of its wallet runs has, set up as {@code ./primer}'s
     * are); prints {@code notifier_calls_per_s=N}.
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: NotifierBound CLIENTS EVENTS FAILURE_RATE TIMEOUT_SECONDS");
            System.exit(2);
        }
        SmallMachines.apply();
        double calls = callsPerSecond(Integer.parseInt(args[0]), Integer.parseInt(args[1]),
                Double.parseDouble(args[2]), Long.parseLong(args[3]));
        System.out.println(OUTPUT_KEY + "=" + Math.round(calls));
    }

    /**
     * Notifies {@code events} new event ids from {@code clients} clients at once, each on a thread of its own
     * handing its whole share to {@link NotifierClient#notifyAll}; from an event that failed every attempt on,
     * the share is handed over again, as the wallet's loop does. The same is done once before, not timed: a
     * first pass in a JVM that has not run these classes yet took 1.5 to 1.6 times as long per call (the JIT still
     * compiling the JDK's HTTP client and server), and a bound should be what the notifier allows at its best.
     *
     * @return HTTP calls per second of the timed pass, failed calls (retried by the client) included
     * @throws IllegalStateException if not every event was notified within {@code timeoutSeconds}
     */
    public static double callsPerSecond(int clients, int events, double failureRate, long timeoutSeconds)
            throws Exception {
        try (PaymentNotifier notifier = PaymentNotifier.start(failureRate, 1)) {
            pass(notifier, clients, events, timeoutSeconds);
            long callsBefore = notifier.calls();
            long started = System.nanoTime();
            pass(notifier, clients, events, timeoutSeconds);
            double seconds = (System.nanoTime() - started) / 1e9;
            if (notifier.acceptedCount() != 2 * events) {
                throw new IllegalStateException("the notifier accepted " + notifier.acceptedCount() + " of "
                        + 2 * events + " events");
            }
            return (notifier.calls() - callsBefore) / seconds;
        }
    }

    /** One pass: {@code events} new event ids over {@code clients} clients at once; returns when all are done. */
    private static void pass(PaymentNotifier notifier, int clients, int events, long timeoutSeconds)
            throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int share = events / clients + (c < events % clients ? 1 : 0);
                NotifierClient client = new NotifierClient(notifier.uri(), 5, ObservationRegistry.NOOP);
                running.add(threads.submit(() -> notifyShare(client, share, timeoutSeconds)));
            }
            for (Future<?> caller : running) {
                caller.get(timeoutSeconds, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private static Void notifyShare(NotifierClient client, int share, long timeoutSeconds) throws Exception {
        List<WalletEvent> events = new ArrayList<>(share);
        for (int i = 0; i < share; i++) {
            events.add(new WalletEvent(UUID.randomUUID().toString(), "user-bench", WalletEvent.Type.CHARGE, 100, 1));
        }
        // All at once: the client keeps its calls open, a new one starting as soon as one ends, without waiting
        // for a batch to finish as a wallet member does between polls: nothing slows it but the calls.
        Optional<NotifierClient.FirstFailure> failed;
        while ((failed = client.notifyAll(events, Duration.ofSeconds(timeoutSeconds))).isPresent()) {
            events = events.subList(failed.get().index(), events.size());
        }
        return null;
    }
}
