package dev.kafkaprimer.testkit;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Unique topic names for one test, so tests sharing a cluster never see each other's records:
 * {@code <test method>-<n>-<random>}, e.g. {@code shouldResumeAfterCrash-1-k3x9q}.
 *
 * <p>Thread-safe. Names use only the characters Kafka allows in a topic name.
 */
public final class TestTopics {

    private final String prefix;
    private final AtomicInteger counter = new AtomicInteger();

    /** Names starting with {@code prefix}; characters Kafka does not allow become {@code -}. */
    public TestTopics(String prefix) {
        String cleaned = prefix.replaceAll("[^a-zA-Z0-9._-]", "-");
        this.prefix = cleaned.length() > 150 ? cleaned.substring(0, 150) : cleaned;
    }

    /** A topic name never returned before in this JVM run. */
    public String next() {
        String random = Integer.toString(ThreadLocalRandom.current().nextInt(0x1000000), 36);
        return prefix + "-" + counter.incrementAndGet() + "-" + random;
    }
}
