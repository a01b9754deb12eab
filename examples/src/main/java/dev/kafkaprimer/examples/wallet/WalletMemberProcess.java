package dev.kafkaprimer.examples.wallet;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import dev.kafkaprimer.core.config.ClientSecurity;
import dev.kafkaprimer.examples.cli.HelperJvm;
import dev.kafkaprimer.examples.cli.SmallMachines;
import dev.kafkaprimer.core.consumer.Ordering;

/**
 * A wallet member in a JVM of its own, so {@code --crash-consumer} can kill it the honest way: SIGKILL, no
 * commit, no clean close, no leaving the group. {@link #main} runs the member and reports its progress on
 * standard output; the parent reads that to know when to strike.
 *
 * <p>The security settings (passwords included) reach the child on its standard input, as a properties text:
 * not on its command line, which any user of the machine can read with {@code ps}, and not in a file.
 */
final class WalletMemberProcess {

    private final HelperJvm jvm;

    private WalletMemberProcess(HelperJvm jvm) {
        this.jvm = jvm;
    }

    /** Starts a member JVM with this JVM's class path, and hands it the security settings. */
    static WalletMemberProcess start(WalletMember.Settings settings) throws IOException {
        return new WalletMemberProcess(HelperJvm.start(WalletMemberProcess.class, List.of(
                settings.bootstrapServers(), settings.topic(), settings.groupId(), settings.db(),
                settings.notifier().toString(), settings.ordering().name(), Integer.toString(settings.concurrency()),
                settings.handling().name()), settings.security()));
    }

    /**
     * Waits until the member reports that it owns partitions.
     *
     * @throws IllegalStateException if it does not within {@code deadline}
     */
    void awaitAssignment(Duration deadline) throws IOException, InterruptedException {
        if (awaitReport("assigned", 1, deadline) < 1) {
            throw new IllegalStateException("the member JVM (pid " + pid() + ") got no partitions within "
                    + deadline.toSeconds() + " s");
        }
    }

    /**
     * Waits until the member has processed at least {@code events} events, or the deadline passes.
     *
     * @return what it reported last
     */
    long awaitProcessed(long events, Duration deadline) throws IOException, InterruptedException {
        return awaitReport("processed", events, deadline);
    }

    /** Reads the child's {@code WORD N} lines until N reaches {@code target}; returns the last N seen. */
    private long awaitReport(String word, long target, Duration deadline) throws IOException, InterruptedException {
        long giveUpAt = System.nanoTime() + deadline.toNanos();
        long last = 0;
        String line;
        while (last < target && (line = jvm.nextLine(giveUpAt)) != null) {
            if (line.startsWith(word + " ")) {
                last = Long.parseLong(line.substring(word.length() + 1).trim());
            }
        }
        return last;
    }

    /** SIGKILL: the JVM dies at once, mid-transaction or mid-commit, exactly like a crash. */
    void kill() throws InterruptedException {
        jvm.kill();
    }

    long pid() {
        return jvm.pid();
    }

    /**
     * Child JVM entry: {@code bootstrap topic group db notifierUri ordering concurrency handling}, and the
     * security settings on standard input. Prints {@code assigned N} once it owns partitions and
     * {@code processed N} every 50 events; runs until killed.
     */
    public static void main(String[] args) throws Exception {
        SmallMachines.apply();
        Properties security = new Properties();
        security.load(System.in);
        WalletMember.Settings settings = new WalletMember.Settings(args[0], ClientSecurity.fromProperties(security),
                args[1], args[2], args[3], URI.create(args[4]), Ordering.valueOf(args[5]), Integer.parseInt(args[6]),
                WalletMember.Handling.valueOf(args[7]));
        WalletMember member = WalletMember.start("wallet-child", settings, WalletMember.Watchers.NONE);
        long reported = 0;
        boolean assignedReported = false;
        while (member.failure() == null) {
            if (!assignedReported && !member.assignment().isEmpty()) {
                System.out.println("assigned " + member.assignment().size());
                System.out.flush();
                assignedReported = true;
            }
            long processed = member.processed();
            if (processed / 50 > reported / 50) {
                System.out.println("processed " + processed);
                System.out.flush();
                reported = processed;
            }
            Thread.sleep(5);  // a reporting tick, not synchronisation: the parent decides when to kill
        }
        System.out.println("failed " + member.failure());
        System.exit(1);
    }
}
