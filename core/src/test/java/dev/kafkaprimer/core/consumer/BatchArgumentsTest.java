package dev.kafkaprimer.core.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;

import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/** What the batch API refuses, before any broker is involved. */
class BatchArgumentsTest {

    private static ConsumerOptions.Builder options() {
        return ConsumerOptions.builder("localhost:9092", "billing", List.of("orders"));
    }

    @Test
    void shouldRefuseOptionsWithWorkerThreadsForABatchHandlerNamingThem() {
        // Given options that ask for worker threads, by ordering or by concurrency
        ConsumerOptions byKey = options().ordering(Ordering.KEY).build();
        ConsumerOptions fourWorkers = options().concurrency(4).build();

        // When a batch loop is asked for with them
        IllegalArgumentException keyRefused = assertThrows(IllegalArgumentException.class,
                () -> CommitLoop.forJsonBatches(byKey, String.class, batch -> { }));
        IllegalArgumentException workersRefused = assertThrows(IllegalArgumentException.class,
                () -> CommitLoop.createBatching(fourWorkers, new StringDeserializer(), batch -> { }));

        // Then each refusal says what batches need and what the options have
        for (IllegalArgumentException refusal : List.of(keyRefused, workersRefused)) {
            assertTrue(refusal.getMessage().contains("needs ordering PARTITION with concurrency 1"),
                    refusal.getMessage());
        }
        assertTrue(keyRefused.getMessage().endsWith("ordering KEY with concurrency 1"), keyRefused.getMessage());
        assertTrue(workersRefused.getMessage().endsWith("ordering PARTITION with concurrency 4"),
                workersRefused.getMessage());
    }

    @Test
    void shouldRefuseANegativeFailedIndexNamingIt() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new BatchFailedException(-1, new IOException("disk full")));

        assertEquals("failedIndex must be at least 0, was -1", refused.getMessage());
    }

    @Test
    void shouldKeepTheFailedIndexAndItsCause() {
        IOException cause = new IOException("disk full");

        BatchFailedException failed = new BatchFailedException(3, cause);

        assertEquals(3, failed.failedIndex());
        assertSame(cause, failed.getCause());
        assertEquals("record 3 of the batch failed: java.io.IOException: disk full", failed.getMessage());
    }
}
