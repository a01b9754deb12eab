package dev.kafkaprimer.examples.wallet;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns the JVM's shutdown (SIGTERM, Ctrl-C) into a signal a long-running loop can wait on, and makes the
 * shutdown wait (up to {@link #GRACE}) until the loop has cleaned up and {@link #close}d this: so consumers
 * stopped that way still commit what they finished and leave their group. Without it the JVM would end while
 * they are mid-commit, exactly like a crash.
 *
 * <p>Thread-safe. Lifecycle: {@link #onShutdown} registers the hook; {@link #close} releases a waiting shutdown
 * and removes the hook.
 */
final class StopSignal implements AutoCloseable {

    /** How long a shutdown waits for the clean-up. */
    static final Duration GRACE = Duration.ofSeconds(30);

    private final CountDownLatch asked = new CountDownLatch(1);
    private final CountDownLatch cleanedUp = new CountDownLatch(1);
    private final Thread hook = new Thread(this::holdShutdown, "wallet-stop-signal");

    private StopSignal() {
    }

    static StopSignal onShutdown() {
        StopSignal signal = new StopSignal();
        Runtime.getRuntime().addShutdownHook(signal.hook);
        return signal;
    }

    /** Waits up to {@code tick}; true once a stop was asked for. */
    boolean await(Duration tick) throws InterruptedException {
        return asked.await(tick.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void holdShutdown() {
        asked.countDown();
        try {
            cleanedUp.await(GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The clean-up is done: a shutdown waiting for it goes on. */
    @Override
    public void close() {
        cleanedUp.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs right now, and returns because of the countDown above
        }
    }
}
