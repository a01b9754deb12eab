package dev.kafkaprimer.examples.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The events of one bench, made before anything is timed: {@code records} events whose JSON is about
 * {@code valueBytes} long, with keys spread over {@value #KEYS} values. Both sides send these same objects.
 */
final class Workload {

    /** Distinct keys: enough to spread evenly over the partitions, as user ids or order ids would. */
    static final int KEYS = 1_000;

    private final List<BenchEvent> events;
    private final String payload;
    private final long valueBytes;

    private Workload(List<BenchEvent> events, String payload, long valueBytes) {
        this.events = events;
        this.payload = payload;
        this.valueBytes = valueBytes;
    }

    static Workload of(ObjectMapper mapper, int records, int valueBytes) throws JsonProcessingException {
        // The JSON around the payload, measured with the widest numbers a latency event carries.
        int envelope = mapper.writeValueAsBytes(new BenchEvent(key(KEYS - 1), records, Long.MAX_VALUE, "")).length;
        String payload = letters(Math.max(1, valueBytes - envelope));
        List<BenchEvent> events = new ArrayList<>(records);
        long bytes = 0;
        for (int seq = 0; seq < records; seq++) {
            BenchEvent event = new BenchEvent(key(seq), seq, 0, payload);
            events.add(event);
            bytes += mapper.writeValueAsBytes(event).length;
        }
        return new Workload(List.copyOf(events), payload, bytes);
    }

    List<BenchEvent> events() {
        return events;
    }

    /** All values' JSON bytes together. */
    long valueBytes() {
        return valueBytes;
    }

    /** A new event numbered {@code seq}, stamped with the time it is sent (latency runs). */
    BenchEvent stamped(long seq) {
        return new BenchEvent(key(seq), seq, System.nanoTime(), payload);
    }

    /** A start-up event: not counted, it only shows that a consumer reads. */
    BenchEvent starter() {
        return new BenchEvent(key(0), -1, 0, payload);
    }

    private static String key(long seq) {
        return "key-" + Math.floorMod(seq, KEYS);
    }

    /** Lower-case letters: plain JSON text that no character escaping makes longer. */
    private static String letters(int length) {
        Random random = new Random(42);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) ('a' + random.nextInt(26)));
        }
        return text.toString();
    }
}
