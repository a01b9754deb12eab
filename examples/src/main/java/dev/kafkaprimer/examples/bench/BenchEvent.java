package dev.kafkaprimer.examples.bench;

/**
 * The record both sides of every comparison send and read, as JSON:
 * {@code {"key":"key-17","seq":4242,"sentNanos":81234567890123,"payload":"qzvx…"}}.
 *
 * @param key       the record key too, so records spread over partitions as keyed events do
 * @param seq       the event's number in its run; negative for the few records that only start a latency run
 * @param sentNanos {@link System#nanoTime()} when it was handed to the producer (latency runs), else 0
 * @param payload   filler letters that bring the JSON to the asked value size
 */
public record BenchEvent(String key, long seq, long sentNanos, String payload) {
}
