package dev.kafkaprimer.core.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.concurrent.CompletionException;

import org.apache.kafka.common.errors.SerializationException;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    @Test
    void shouldGrowTheDelayByTheMultiplierUpToTheMaximum() {
        // Given waits from 100 ms, tripled, at most 1 s
        RetryPolicy retry = RetryPolicy.builder().maxAttempts(6).initialDelay(Duration.ofMillis(100))
                .multiplier(3.0).maxDelay(Duration.ofSeconds(1)).build();

        // Then the waits after 1, 2, 3, 4 failures are 100, 300, 900, then capped at 1000 ms
        assertEquals(Duration.ofMillis(100), retry.delayAfter(1));
        assertEquals(Duration.ofMillis(300), retry.delayAfter(2));
        assertEquals(Duration.ofMillis(900), retry.delayAfter(3));
        assertEquals(Duration.ofSeconds(1), retry.delayAfter(4));
        assertEquals(Duration.ofSeconds(1), retry.delayAfter(60));
    }

    @Test
    void shouldMakeOneAttemptOnlyWithoutRetries() {
        assertEquals(1, RetryPolicy.noRetries().maxAttempts());
        assertEquals(RetryPolicy.DEFAULT_MAX_ATTEMPTS, RetryPolicy.defaults().maxAttempts());
    }

    @Test
    void shouldNameTheBadValueOfEveryInvalidChoice() {
        assertMessage("was 0", assertThrows(IllegalArgumentException.class,
                () -> RetryPolicy.builder().maxAttempts(0)));
        assertMessage("was 0.5", assertThrows(IllegalArgumentException.class,
                () -> RetryPolicy.builder().multiplier(0.5)));
        assertMessage("was NaN", assertThrows(IllegalArgumentException.class,
                () -> RetryPolicy.builder().multiplier(Double.NaN)));
        assertMessage("was PT-0.001S", assertThrows(IllegalArgumentException.class,
                () -> RetryPolicy.builder().initialDelay(Duration.ofMillis(-1))));
        assertMessage("maxDelay=PT0.1S with initialDelay=PT1S", assertThrows(IllegalArgumentException.class,
                () -> RetryPolicy.builder().initialDelay(Duration.ofSeconds(1)).maxDelay(Duration.ofMillis(100))
                        .build()));
        assertMessage("was 0", assertThrows(IllegalArgumentException.class,
                () -> RetryPolicy.defaults().delayAfter(0)));
    }

    @Test
    void shouldNotRetryBadDataByDefaultWhereverItIsInTheCauseChain() throws Exception {
        RetryPolicy retry = RetryPolicy.defaults();
        // Bad data, thrown as it is or wrapped: the same on every attempt
        assertFalse(retry.isRetryable(new IllegalArgumentException("amount must be positive")));
        assertFalse(retry.isRetryable(new NumberFormatException("For input string: \"12,5\"")));
        assertFalse(retry.isRetryable(new ClassCastException("String cannot be cast to Long")));
        assertFalse(retry.isRetryable(new SerializationException("cannot read JSON")));
        DateTimeParseException badDate = assertThrows(DateTimeParseException.class, () -> LocalDate.parse("3.12.2026"));
        assertFalse(retry.isRetryable(badDate));
        IOException badJson = assertThrows(IOException.class, () -> new ObjectMapper().readTree("{\"id\":"));
        assertFalse(retry.isRetryable(new UncheckedIOException(badJson)));
        assertFalse(retry.isRetryable(new CompletionException(new RuntimeException(new IllegalArgumentException()))));
        // Anything else may pass: a plain IOException (the network), a lock, a timeout
        assertTrue(retry.isRetryable(new UncheckedIOException(new IOException("connection reset"))));
        assertTrue(retry.isRetryable(new IllegalStateException("locked")));
        assertEquals(RetryPolicy.DEFAULT_NOT_RETRYABLE, retry.notRetryable());
    }

    @Test
    void shouldRetryOnlyTheNamedTypesUnlessTheChainAlsoHoldsBadData() {
        RetryPolicy retry = RetryPolicy.builder().retryOnly(SQLTransientException.class).build();
        assertTrue(retry.isRetryable(new RuntimeException(new SQLTransientException("deadlock"))));
        assertFalse(retry.isRetryable(new IllegalStateException("locked")));
        assertFalse(retry.isRetryable(new SQLTransientException("deadlock", new IllegalArgumentException("bad"))),
                "a not-retryable type wins");
    }

    @Test
    void shouldAddAndClearNotRetryableTypes() {
        class InsufficientFundsException extends Exception {
        }
        RetryPolicy added = RetryPolicy.builder().notRetryable(InsufficientFundsException.class).build();
        assertFalse(added.isRetryable(new InsufficientFundsException()));
        assertFalse(added.isRetryable(new IllegalArgumentException()), "the defaults stay");

        RetryPolicy cleared = RetryPolicy.builder().clearNotRetryable().build();
        assertTrue(cleared.isRetryable(new IllegalArgumentException()));
        assertTrue(cleared.notRetryable().isEmpty());
        assertTrue(cleared.toString().contains("notRetryable=[]"), cleared.toString());
    }

    @Test
    void shouldEndTheSearchOnACauseChainThatLoops() {
        RuntimeException first = new RuntimeException("first");
        RuntimeException second = new RuntimeException("second", first);
        first.initCause(second);
        assertTrue(RetryPolicy.defaults().isRetryable(second));
        assertFalse(RetryPolicy.builder().retryOnly(IOException.class).build().isRetryable(second));
    }

    private static void assertMessage(String expected, IllegalArgumentException error) {
        assertTrue(error.getMessage().contains(expected), "expected '" + expected + "' in: " + error.getMessage());
    }
}
