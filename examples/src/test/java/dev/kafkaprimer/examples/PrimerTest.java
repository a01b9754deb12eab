package dev.kafkaprimer.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;

import org.junit.jupiter.api.Test;

class PrimerTest {

    @Test
    void shouldListEveryExampleWhenRunWithoutArguments() {
        PrimerRun run = PrimerRun.of(Map.of());
        assertEquals(0, run.exitCode(), run::toString);
        for (String name : new String[] {"hello", "keys", "groups", "offsets", "wallet", "dlt", "cluster", "failover",
                "segments", "bench", "broker"}) {
            assertTrue(run.out().contains("  " + name + " "), name + " listed: " + run);
        }
    }

    @Test
    void shouldRejectAnUnknownExampleNamingItAndTheValidNames() {
        PrimerRun run = PrimerRun.of(Map.of(), "helo");
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("unknown example 'helo'"), run::toString);
        assertTrue(run.err().contains(
                "Valid names: hello, keys, groups, offsets, wallet, dlt, exactly-once, queue, cluster, failover, segments, bench, broker"),
                run::toString);
    }

    @Test
    void shouldRejectAnUnknownOptionNamingIt() {
        PrimerRun run = PrimerRun.of(Map.of(), "hello", "--topik", "x");
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("unknown option '--topik'"), run::toString);
        assertTrue(run.err().contains("--topic"), "lists the valid options: " + run);
    }

    @Test
    void shouldRejectAMalformedBootstrapAddressNamingIt() {
        PrimerRun run = PrimerRun.of(Map.of(), "hello", "--bootstrap-server", "localhost");
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("was 'localhost'"), run::toString);
    }

    @Test
    void shouldShowHelpWithTheCommonOptions() {
        PrimerRun run = PrimerRun.of(Map.of(), "hello", "--help");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("--keep-topic") && run.out().contains("--bootstrap-server"), run::toString);
    }

    @Test
    void shouldFailWithinItsDeadlineWhenNoBrokerAnswers() throws IOException {
        // Given a loopback port nobody listens on
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        // When hello is pointed at it with a short deadline
        PrimerRun run = PrimerRun.of(Map.of(), "hello", "--bootstrap-server", "127.0.0.1:" + closedPort,
                "--timeout", "2");
        // Then it ends with exit code 1 and says why
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.out().contains("no Kafka broker answered at 127.0.0.1:" + closedPort + " within 2 s"),
                run::toString);
    }
}
