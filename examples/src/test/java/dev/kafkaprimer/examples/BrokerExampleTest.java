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

import dev.kafkaprimer.examples.cli.Primer;
import dev.kafkaprimer.testkit.Await;
import org.junit.jupiter.api.Test;

class BrokerExampleTest {

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
    void shouldWriteTheClientFileOfASaslSslBrokerThatHelloThenUses() throws Exception {
        // Given ./primer broker --security sasl_ssl running on a thread, its output read as it comes
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        CompletableFuture<Integer> broker = CompletableFuture.supplyAsync(() -> Primer.run(new String[] {"broker",
                "--security", "sasl_ssl", "--port", "0", "--seconds", "15"}, Map.of(), out, out));
        String shown = Await.until(Duration.ofSeconds(90), "the broker to print its client file",
                () -> printed(printed), text -> text.contains("Stopping by itself") || broker.isDone());
        Matcher tryLine = Pattern.compile("Try: \\./primer hello --bootstrap-server (\\S+) --command-config (\\S+)")
                .matcher(shown);
        assertTrue(tryLine.find(), shown);
        Path file = Path.of(tryLine.group(2));

        // When hello uses the printed address and file
        PrimerRun hello = PrimerRun.of(Map.of(), "hello", "--bootstrap-server", tryLine.group(1),
                "--command-config", file.toString(), "--timeout", "10");

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
        assertEquals(0, broker.get(60, TimeUnit.SECONDS), () -> printed(printed));
        assertFalse(Files.exists(file), "the file goes with the broker's data");
    }

    @Test
    void shouldRejectATenNodeClusterNamingTheValue() {
        PrimerRun run = PrimerRun.of(Map.of(), "broker", "--nodes", "10");
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("--nodes must be between 1 and 9, was 10"), run::toString);
    }

    /** What was printed so far; {@code ByteArrayOutputStream} is safe to read while another thread writes. */
    private static String printed(ByteArrayOutputStream printed) {
        return printed.toString(StandardCharsets.UTF_8);
    }
}
