package dev.kafkaprimer.core.consumer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.GroupProtocol;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The consumer {@link CrashRecoveryTest} runs in a JVM of its own, to kill it. It consumes with a
 * {@link CommitLoop} and appends {@code partition:offset} of every record it finished to a file, then prints
 * its progress.
 *
 * <p>Arguments: bootstrap servers, group id, topic, progress file, {@link Ordering}, concurrency.
 */
final class CrashTestConsumer {

    /** Simulated work per record, so that the test can kill this JVM while records are still coming. */
    static final Duration WORK = Duration.ofMillis(5);

    private CrashTestConsumer() {
    }

    public static void main(String[] args) {
        Path progress = Path.of(args[3]);
        exitWhenParentDies();
        AtomicInteger finished = new AtomicInteger();
        // Commits every 50 records: a kill between two commits leaves finished-but-uncommitted records behind.
        ConsumerOptions options = TestOptions.quick(args[0], args[1], args[2], GroupProtocol.CLASSIC)
                .commitEvery(50, Duration.ofSeconds(10))
                .maxPollRecords(50)
                .ordering(Ordering.valueOf(args[4]))
                .concurrency(Integer.parseInt(args[5]))
                .build();
        Object progressFile = new Object();
        CommitLoop<String, String> loop = CommitLoop.create(options, new StringDeserializer(), record -> {
            Thread.sleep(WORK.toMillis());  // simulated work, so the kill lands mid-run; not a wait for a condition
            synchronized (progressFile) {  // one line at a time, whichever worker finished the record
                Files.writeString(progress, record.partition() + ":" + record.offset() + "\n",
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
            if (finished.incrementAndGet() % 20 == 0) {
                System.out.println("finished " + finished.get() + " records");
            }
        });
        loop.run();
    }

    /** The test holds this JVM's stdin open; end of input means the test JVM is gone, so stop too. */
    private static void exitWhenParentDies() {
        Thread watch = new Thread(() -> {
            try {
                while (System.in.read() != -1) {
                    // the parent never writes; just wait for the end of input
                }
            } catch (IOException e) {
                System.out.println("stdin failed, treating it as the parent's end: " + e);
            }
            Runtime.getRuntime().halt(2);
        }, "parent-watch");
        watch.setDaemon(true);
        watch.start();
    }
}
