package dev.kafkaprimer.examples.queue;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the example's in-process members finished: how many jobs each member did, how often each job was
 * finished, and, for the jobs a killed member held, who did them later and at which delivery. Thread-safe: every
 * member's handler writes to it.
 */
final class JobTally {

    /** A job finished after an earlier delivery went wrong: by whom, at which delivery, how long after the kill. */
    record Redelivery(String member, int deliveryCount, long nanosAfterKill) {
    }

    private final Map<String, AtomicInteger> perMember = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicInteger> timesFinished = new ConcurrentHashMap<>();
    private final Map<Integer, Redelivery> redeliveries = new ConcurrentHashMap<>();
    private volatile long killedAtNanos;

    /** Makes {@code member} known with 0 jobs, so that an idle member is printed too. */
    void join(String member) {
        perMember.putIfAbsent(member, new AtomicInteger());
    }

    void finished(String member, int jobId, int deliveryCount) {
        perMember.computeIfAbsent(member, name -> new AtomicInteger()).incrementAndGet();
        timesFinished.computeIfAbsent(jobId, id -> new AtomicInteger()).incrementAndGet();
        if (deliveryCount > 1) {
            redeliveries.put(jobId, new Redelivery(member, deliveryCount, System.nanoTime() - killedAtNanos));
        }
    }

    void killedNow() {
        killedAtNanos = System.nanoTime();
    }

    int jobsOf(String member) {
        AtomicInteger count = perMember.get(member);
        return count == null ? 0 : count.get();
    }

    /** How many different jobs were finished at least once. */
    int distinctJobs() {
        return timesFinished.size();
    }

    /** Jobs finished more than once: 0 when every acknowledgement reached the broker. */
    long finishedTwice() {
        return timesFinished.values().stream().filter(times -> times.get() > 1).count();
    }

    Redelivery redeliveryOf(int jobId) {
        return redeliveries.get(jobId);
    }
}
