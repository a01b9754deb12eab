package dev.kafkaprimer.core.consumer;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.function.Supplier;

import dev.kafkaprimer.testkit.Await;

/**
 * Runs a {@link CommitLoop} or a {@link ShareLoop} on a thread of its own, as an application would, and keeps
 * what {@code run()} threw. Closing it closes the loop and fails the test if the loop had failed unnoticed.
 */
public final class LoopThread implements AutoCloseable {

    private final CommitLoop<?, ?> loop;
    private final Predicate<Duration> closer;
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private boolean failureSeen;

    private LoopThread(CommitLoop<?, ?> loop, Predicate<Duration> closer) {
        this.loop = loop;
        this.closer = closer;
    }

    public static LoopThread start(CommitLoop<?, ?> loop, String name) {
        return start(new LoopThread(loop, loop::close), loop, name);
    }

    public static LoopThread start(ShareLoop<?, ?> loop, String name) {
        return start(new LoopThread(null, loop::close), loop, name);
    }

    private static LoopThread start(LoopThread thread, Runnable loop, String name) {
        new Thread(() -> {
            try {
                loop.run();
                thread.ended.complete(null);
            } catch (Throwable e) {
                thread.ended.completeExceptionally(e);
            }
        }, name).start();
        return thread;
    }

    /** The commit loop it runs; null for a share loop. */
    public CommitLoop<?, ?> loop() {
        return loop;
    }

    public boolean hasEnded() {
        return ended.isDone();
    }

    /**
     * Waits up to {@link BrokerClients#TIMEOUT} for {@code probe} to pass {@code accept}, as
     * {@link Await#until}, but fails at once, with the loop's failure, if the loop ends meanwhile.
     */
    public <T> T awaitWhileRunning(String description, Supplier<T> probe, Predicate<T> accept) {
        return Await.until(BrokerClients.TIMEOUT, description, () -> {
            if (ended.isDone()) {
                throw new AssertionError("the loop ended while waiting for " + description, awaitEnd(Duration.ZERO));
            }
            return probe.get();
        }, accept);
    }

    /** As {@link #awaitWhileRunning(String, Supplier, Predicate)}, for a condition. */
    public void awaitWhileRunning(String description, Supplier<Boolean> condition) {
        awaitWhileRunning(description, condition, Boolean.TRUE::equals);
    }

    /** Waits for {@code run()} to end by itself and returns what it threw, or null if it returned. */
    public Throwable awaitEnd(Duration timeout) {
        try {
            ended.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return null;
        } catch (ExecutionException e) {
            failureSeen = true;
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("the loop did not end within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public void close() {
        if (!closer.test(Duration.ofSeconds(30))) {
            throw new AssertionError("the loop did not finish within 30 s of close()");
        }
        boolean alreadyChecked = failureSeen;
        Throwable failure = awaitEnd(Duration.ofSeconds(5));
        if (failure != null && !alreadyChecked) {
            throw new AssertionError("the loop had failed", failure);
        }
    }
}
