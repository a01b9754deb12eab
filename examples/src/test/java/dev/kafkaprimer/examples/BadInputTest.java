package dev.kafkaprimer.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A user's mistakes on the command line, as a new user makes them: each is answered with one line that names
 * the value, the right exit code (2 for a command line that cannot run as written, 1 for something outside that
 * cannot be reached), no stack trace, and well within the example's deadline. None of these starts a broker.
 */
class BadInputTest {

    /** Far above what any of these takes (the slowest waits out a 2 s deadline), far below a hang. */
    private static final Duration BOUND = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    static Stream<Arguments> badInputs() throws IOException {
        Path notSqlite = Files.writeString(dir.resolve("notes.txt"), "not a database");
        String closed = "127.0.0.1:" + closedPort();
        return Stream.of(
                usage("a topic name with a space and a '!'", "'bad topic!'", "wallet", "--topic", "bad topic!"),
                usage("an empty topic name", "'' is empty", "wallet", "--topic", ""),
                usage("a topic name too long for Kafka", "is 300 characters long", "wallet", "--topic",
                        "t".repeat(300)),
                usage("a topic name with a slash", "'x/y'", "offsets", "--topic", "x/y"),
                usage("the topic name '..'", "'..'", "hello", "--topic", ".."),
                usage("a database in a folder that does not exist", "/nonexistent/dir", "wallet",
                        "--db", "/nonexistent/dir/w.db"),
                usage("a database the wallet has no driver for", "'jdbc:mysql://localhost/x'", "wallet",
                        "--db", "jdbc:mysql://localhost/x"),
                usage("a file that is not an SQLite database", notSqlite.toString(), "wallet",
                        "--db", notSqlite.toString()),
                usage("a host that does not resolve", "nosuchhost.invalid", "wallet",
                        "--bootstrap-server", "nosuchhost.invalid:9092"),
                usage("an address without a port", "'localhost'", "groups", "--bootstrap-server", "localhost"),
                usage("a port out of range", "'localhost:70000'", "keys", "--bootstrap-server", "localhost:70000"),
                usage("a zero timeout", "was 0", "hello", "--timeout", "0"),
                usage("a timeout that is not a number", "'ten'", "segments", "--timeout", "ten"),
                usage("a negative partition count", "was -1", "keys", "--partitions", "-1"),
                usage("an unknown ordering", "'random'", "wallet", "--ordering", "random"),
                usage("a failure rate above 1", "'1.5'", "wallet", "--notify-failure-rate", "1.5"),
                usage("a crash with one consumer", "was 1", "wallet", "--crash-consumer", "--consumers", "1"),
                usage("a backlog with poison pills", "was 2", "wallet", "--produce-first", "--malformed", "2"),
                usage("bulk notifications without batches", "--bulk-notify", "wallet", "--bulk-notify"),
                usage("a backlog for one part of a run", "was --role check", "wallet", "--produce-first", "--role",
                        "check"),
                usage("no keys at all", "',,'", "keys", "--keys", ",,"),
                usage("an unknown group protocol", "'eager'", "groups", "--protocol", "eager"),
                usage("an unknown listener security", "'tls'", "broker", "--security", "tls"),
                usage("a bench with too few rounds", "was 2", "bench", "--rounds", "2"),
                failed("a database that refuses connections", "jdbc:postgresql://127.0.0.1:1/x?user=a", "wallet",
                        "--db", "jdbc:postgresql://127.0.0.1:1/x?user=a"),
                failed("no broker at the address", "no Kafka broker answered at " + closed + " within 2 s", "offsets",
                        "--bootstrap-server", closed, "--timeout", "2"),
                failed("no broker at the address, for the flagship", "no Kafka broker answered at " + closed,
                        "wallet", "--bootstrap-server", closed, "--timeout", "2", "--db", dir.resolve("w.db").toString()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void shouldAnswerAMistakeWithOneLineNamingTheValue(String mistake, int exitCode, String named, List<String> args) {
        long started = System.nanoTime();
        PrimerRun run = PrimerRun.of(Map.of(), args.toArray(String[]::new));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertEquals(exitCode, run.exitCode(), run::toString);
        String printed = run.out() + run.err();
        assertFalse(printed.contains("\tat "), "no stack trace: " + run);
        List<String> complaint = (exitCode == 2 ? run.err() : run.out()).lines()
                .filter(line -> line.contains(named)).toList();
        assertEquals(1, complaint.size(), "one line names " + named + ": " + run);
        if (exitCode == 2) {
            assertTrue(run.out().isEmpty(), "nothing started before the usage error: " + run);
            assertEquals(2, run.err().lines().count(), "the error and where to find help: " + run);
        } else {
            assertTrue(complaint.get(0).startsWith(args.get(0) + ": FAILED: "), run::toString);
            assertTrue(run.err().isEmpty(), "nothing on stderr: " + run);
        }
        assertTrue(took.compareTo(BOUND) < 0, "answered in " + took + ": " + run);
    }

    private static Arguments usage(String mistake, String named, String... args) {
        return Arguments.of(mistake, 2, named, List.of(args));
    }

    private static Arguments failed(String mistake, String named, String... args) {
        return Arguments.of(mistake, 1, named, List.of(args));
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
