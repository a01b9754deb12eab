package dev.kafkaprimer.core.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/** What a loop does before it ever connects: no broker needed. */
class CommitLoopLifecycleTest {

    @Test
    void shouldNeverConnectWhenClosedBeforeItRuns() {
        // Given a loop for a cluster that does not exist
        CommitLoop<String> loop = CommitLoop.create(
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
    void shouldRefuseANegativeCloseTimeoutNamingIt() {
        CommitLoop<String> loop = CommitLoop.create(
                ConsumerOptions.builder("127.0.0.1:1", "nobody", List.of("orders")).build(),
                new StringDeserializer(), record -> { });

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> loop.close(Duration.ofSeconds(-1)));
        assertTrue(error.getMessage().contains("PT-1S"), error.getMessage());
    }
}
