package dev.kafkaprimer.examples.cli;

import java.time.Duration;
import java.util.function.Consumer;

import dev.kafkaprimer.core.consumer.CommitLoop;
import dev.kafkaprimer.core.consumer.ShareLoop;

/**
 * A {@link CommitLoop} or a {@link ShareLoop} on a thread of its own, keeping how it ended: what every example
 * member does. The loop's {@code run()} throws when processing stops or the consumer fails; on a bare thread
 * that exception would be printed and lost, so it is kept here for the example to report.
 *
 * <p>Thread-safe: any thread may ask for the failure or stop the loop.
 */
public final class LoopThread {

    private final String name;
    private final Runnable loop;
    private final Consumer<Duration> close;
    private final Thread thread;
    private volatile Throwable failure;

    private LoopThread(String name, Runnable loop, Consumer<Duration> close) {
        this.name = name;
        this.loop = loop;
        this.close = close;
        this.thread = new Thread(this::runLoop, name);
    }

    /** Starts {@code loop} on a new thread called {@code name}. */
    public static LoopThread start(String name, CommitLoop<?, ?> loop) {
        return start(new LoopThread(name, loop, loop::close));
    }

    /** Starts a share group member's {@code loop} on a new thread called {@code name}. */
    public static LoopThread start(String name, ShareLoop<?, ?> loop) {
        return start(new LoopThread(name, loop, loop::close));
    }

    private static LoopThread start(LoopThread running) {
        running.thread.start();
        return running;
    }

    private void runLoop() {
        try {
            loop.run();
        } catch (RuntimeException | Error e) {
            failure = e;
        }
    }

    /** The thread's name, which examples print as the member's. */
    public String name() {
        return name;
    }

    /** Why the loop stopped on its own, if it did; null while it runs or after a clean close. */
    public Throwable failure() {
        return failure;
    }

    /** Whether the loop's thread is still going. */
    public boolean isRunning() {
        return thread.isAlive();
    }

    /**
     * Waits until the loop has stopped by itself (committed and closed its consumer).
     *
     * @throws IllegalStateException if it is still running after {@code timeout}, or it ended with a failure
     */
    public void awaitStopped(Duration timeout) throws InterruptedException {
        thread.join(timeout.toMillis());
        if (thread.isAlive()) {
            throw new IllegalStateException(name + " did not stop within " + timeout.toSeconds() + " s");
        }
        if (failure != null) {
            throw new IllegalStateException(name + " failed: " + failure, failure);
        }
    }

    /**
     * Stops the loop, which commits what it finished and leaves its group, and waits for it.
     *
     * @throws IllegalStateException if it did not finish within {@code timeout}, or ended with a failure
     */
    public void stop(Duration timeout) throws InterruptedException {
        close.accept(timeout);
        awaitStopped(timeout);
    }

    /**
     * Stops the loop and waits for it, as {@link #stop}, but reports nothing: for clean-up after another
     * failure, which must not be hidden. Interrupted while waiting, it returns with the interrupt kept.
     */
    public void stopQuietly(Duration timeout) {
        close.accept(timeout);
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
