package dev.kafkaprimer.core.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/** What a loop does before it ever connects, or when nothing answers: no broker needed. */
class CommitLoopLifecycleTest {

    @Test
    void shouldNeverConnectWhenClosedBeforeItRuns() {
        // Given a loop for a cluster that does not exist
        CommitLoop<String, String> loop = CommitLoop.create(
                ConsumerOptions.builder("127.0.0.1:1", "nobody", List.of("orders")).build(),
                new StringDeserializer(), record -> { });

        // When it is closed before run()
        boolean finished = loop.close(Duration.ZERO);
        long began = System.nanoTime();
        loop.run();

        // Then close() reports it finished, run() returns at once, and seeks fail instead of waiting forever
        assertTrue(finished);
        assertTrue(System.nanoTime() - began < Duration.ofSeconds(1).toNanos(), "run() returned at once");
        ExecutionException seek = assertThrows(ExecutionException.class, () -> loop.seekToBeginning().get());
        assertInstanceOf(IllegalStateException.class, seek.getCause());
        assertEquals(Set.of(), loop.assignment());
    }

    @Test
    void shouldFailRunWithinItsStartupTimeoutNamingTheAddressWhenNoBrokerAnswers() throws Exception {
        // Given a loop pointed at a loopback port where nobody listens, with a 2 s startup timeout
        String address = "127.0.0.1:" + closedPort();
        CommitLoop<String, String> loop = CommitLoop.create(
                ConsumerOptions.builder(address, "nobody", List.of("orders")).startupTimeout(Duration.ofSeconds(2))
                        .build(),
                new StringDeserializer(), record -> { });

        // When it runs
        long began = System.nanoTime();
        TimeoutException error = assertThrows(TimeoutException.class, loop::run);

        // Then run() fails, well before anything like a hang, saying where it looked and what to check
        Duration took = Duration.ofNanos(System.nanoTime() - began);
        assertTrue(took.compareTo(Duration.ofSeconds(20)) < 0, "failed after " + took);
        assertTrue(error.getMessage().contains("no answer from the cluster at " + address + " within 2000 ms"),
                error.getMessage());
        assertTrue(error.getMessage().contains("security(ClientSecurity)"), error.getMessage());
        assertThrows(IllegalStateException.class, () -> loop.awaitAssignment(Duration.ofSeconds(1)));
    }

    @Test
    void shouldRefuseANonPositiveStartupTimeoutNamingIt() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> ConsumerOptions.builder("127.0.0.1:1", "nobody", List.of("orders")).startupTimeout(Duration.ZERO));
        assertTrue(error.getMessage().contains("startupTimeout must be positive, was PT0S"), error.getMessage());
    }

    @Test
    void shouldRefuseANegativeCloseTimeoutNamingIt() {
        CommitLoop<String, String> loop = CommitLoop.create(
                ConsumerOptions.builder("127.0.0.1:1", "nobody", List.of("orders")).build(),
                new StringDeserializer(), record -> { });

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> loop.close(Duration.ofSeconds(-1)));
        assertTrue(error.getMessage().contains("PT-1S"), error.getMessage());
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
