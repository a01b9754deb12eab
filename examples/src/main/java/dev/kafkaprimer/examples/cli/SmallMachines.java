package dev.kafkaprimer.examples.cli;

/**
 * A JVM setting the examples make for machines with two cores or fewer, before anything else runs.
 *
 * <p>{@code CompletableFuture} runs its asynchronous steps in {@code ForkJoinPool.commonPool()}, whose size is
 * the number of cores minus one, unless that is below 2: then it starts a <em>new thread for every step</em>
 * (its javadoc says so). The JDK's own HTTP client takes such a step for every response, so on a 2-core machine
 * (a laptop VM, a small container) the wallet's notifier calls started one thread each: thousands a second,
 * costing more than the calls themselves. A common pool of two threads ends that. Code of your own on small
 * machines does the same with {@code -Djava.util.concurrent.ForkJoinPool.common.parallelism=2}.
 *
 * <p>Stateless; call {@link #apply} first thing in {@code main}, before the common pool is first used.
 */
public final class SmallMachines {

    static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

    private SmallMachines() {
    }

    /** Sets the common pool's parallelism to 2 on a machine with fewer than 3 cores, unless it was set already. */
    public static void apply() {
        if (System.getProperty(COMMON_POOL_PARALLELISM) == null && Runtime.getRuntime().availableProcessors() < 3) {
            System.setProperty(COMMON_POOL_PARALLELISM, "2");
        }
    }
}
