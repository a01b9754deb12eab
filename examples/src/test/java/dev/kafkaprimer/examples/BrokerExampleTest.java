package dev.kafkaprimer.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.kafkaprimer.examples.cli.Primer;
import dev.kafkaprimer.testkit.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerExampleTest {

    @TempDir
    Path dir;

    @Test
    void shouldRunAThreeNodeClusterAndStopByItself() {
        PrimerRun run = PrimerRun.of(Map.of(), "broker", "--nodes", "3", "--port", "0", "--seconds", "1");

        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("bootstrap servers: 127.0.0.1:"), run::toString);
        assertTrue(run.out().contains("broker 3 data: "), run::toString);
        assertTrue(run.out().contains("controllers: [1001, 1002, 1003]"), run::toString);
        assertTrue(run.out().contains("Stopped; data deleted."), run::toString);
    }

    @Test
    void shouldSayWhetherItCreatesTopicsOnFirstUse() {
        PrimerRun run = PrimerRun.of(Map.of(), "broker", "--port", "0", "--seconds", "1", "--auto-create-topics",
                "false");

        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("topics are not created on first use (auto.create.topics.enable=false)"),
                run::toString);
    }

    @Test
    void shouldWriteTheClientFileOfASaslSslBrokerThatHelloThenUses() throws Exception {
        // Given ./primer broker --security sasl_ssl running on a thread
        BackgroundBroker broker = BackgroundBroker.start("--security", "sasl_ssl", "--seconds", "15");
        String shown = broker.shown();
        Path file = broker.clientFile();

        // When hello uses the printed address and file
        PrimerRun hello = broker.hello(file);

        // Then it gets through; the password is in the file (owner-only), not on the screen
        assertEquals(0, hello.exitCode(), hello::toString);
        assertTrue(hello.out().contains("over SASL_SSL"), hello::toString);
        String content = Files.readString(file);
        Matcher password = Pattern.compile("password=\"([^\"]+)\"").matcher(content);
        assertTrue(password.find(), "a password in the file");
        assertFalse(shown.contains(password.group(1)) || hello.out().contains(password.group(1)), shown);
        assertTrue(shown.contains("password=\"[hidden]\"") && shown.contains("ssl.truststore.password=[hidden]"),
                shown);
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        }
        assertEquals(0, broker.awaitExit(), broker::printed);
        assertFalse(Files.exists(file), "the file goes with the broker's data");
    }

    @Test
    void shouldHandOutAClientCertificateWithoutWhichHelloIsRefused() throws Exception {
        // Given ./primer broker --security ssl --client-certificates running on a thread
        BackgroundBroker broker = BackgroundBroker.start("--security", "ssl", "--client-certificates",
                "--seconds", "20");
        String shown = broker.shown();
        Path file = broker.clientFile();
        // and a copy of its client file without the key store: the client trusts the broker, but is nobody
        String withoutKeyStore = Files.readString(file).lines()
                .filter(line -> !line.startsWith("ssl.keystore.") && !line.startsWith("ssl.key.password="))
                .collect(Collectors.joining("\n", "", "\n"));
        Path noCertificate = Files.writeString(dir.resolve("no-certificate.properties"), withoutKeyStore);

        // When hello runs with each file
        PrimerRun hello = broker.hello(file);
        long started = System.nanoTime();
        PrimerRun refused = broker.hello(noCertificate);
        Duration refusal = Duration.ofNanos(System.nanoTime() - started);

        // Then the broker said why it needs the key store, and showed its passwords only as [hidden]
        assertTrue(shown.contains("The broker requires a client certificate (mutual TLS)"), shown);
        assertTrue(shown.contains("ssl.keystore.location=" + file.getParent()), shown);
        assertTrue(shown.contains("ssl.keystore.password=[hidden]") && shown.contains("ssl.key.password=[hidden]"),
                shown);
        Matcher password = Pattern.compile("(?m)^ssl\\.keystore\\.password=(.+)$").matcher(Files.readString(file));
        assertTrue(password.find() && !password.group(1).equals("[hidden]"), "the key store's password in the file");
        assertFalse(shown.contains(password.group(1)), shown);
        // and hello gets in with the certificate, and is refused without it, at once rather than by timing out
        assertEquals(0, hello.exitCode(), hello::toString);
        assertTrue(hello.out().contains("hello: OK"), hello::toString);
        assertEquals(1, refused.exitCode(), refused::toString);
        assertTrue(refused.out().contains("hello: FAILED: the TLS handshake with")
                && refused.out().contains("ssl.keystore.location"), refused::toString);
        assertTrue(refusal.compareTo(Duration.ofSeconds(10)) < 0, "refused after " + refusal);
        assertEquals(0, broker.awaitExit(), broker::printed);
    }

    @Test
    void shouldRejectClientCertificatesWithoutTheSslProtocolNamingIt() {
        PrimerRun run = PrimerRun.of(Map.of(), "broker", "--security", "sasl_ssl", "--client-certificates");
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("--client-certificates needs --security ssl")
                && run.err().contains("was --security sasl_ssl"), run::toString);
    }

    @Test
    void shouldRejectATenNodeClusterNamingTheValue() {
        PrimerRun run = PrimerRun.of(Map.of(), "broker", "--nodes", "10");
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("--nodes must be between 1 and 9, was 10"), run::toString);
    }

    /**
     * {@code ./primer broker ARGS --port 0} running on a thread until its {@code --seconds} are up, and what it
     * printed up to its "Try:" line. Waits with a deadline for that line, never for a fixed time.
     */
    private record BackgroundBroker(CompletableFuture<Integer> exit, ByteArrayOutputStream output, String shown,
                                    String bootstrapServers, Path clientFile) {

        private static final Pattern TRY_HELLO =
                Pattern.compile("Try: \\./primer hello --bootstrap-server (\\S+) --command-config (\\S+)");

        static BackgroundBroker start(String... args) {
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
            String[] command = Stream.concat(Stream.of("broker", "--port", "0"), Stream.of(args))
                    .toArray(String[]::new);
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
                    () -> Primer.run(command, Map.of(), out, out));
            String shown = Await.until(Duration.ofSeconds(90), "the broker to print its client file",
                    () -> output.toString(StandardCharsets.UTF_8),
                    text -> text.contains("Stopping by itself") || exit.isDone());
            Matcher tryHello = TRY_HELLO.matcher(shown);
            assertTrue(tryHello.find(), shown);
            return new BackgroundBroker(exit, output, shown, tryHello.group(1), Path.of(tryHello.group(2)));
        }

        /** {@code ./primer hello} at the printed address, with {@code file} as its {@code --command-config}. */
        PrimerRun hello(Path file) {
            return PrimerRun.of(Map.of(), "hello", "--bootstrap-server", bootstrapServers, "--command-config",
                    file.toString(), "--timeout", "10");
        }

        /** Everything printed so far; {@code ByteArrayOutputStream} is safe to read while another thread writes. */
        String printed() {
            return output.toString(StandardCharsets.UTF_8);
        }

        /** Waits for the broker to stop by itself, and returns its exit code. */
        int awaitExit() throws Exception {
            return exit.get(60, TimeUnit.SECONDS);
        }
    }
}
