package dev.kafkaprimer.core.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

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

    private static void assertMessage(String expected, IllegalArgumentException error) {
        assertTrue(error.getMessage().contains(expected), "expected '" + expected + "' in: " + error.getMessage());
    }
}
