package dev.kafkaprimer.examples.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What the bench prints at the end: a table for people, then one JSON object for scripts, as the very last line.
 * Each measurement adds its rows and its JSON key where it is made, so a new headline number is one
 * {@link #put} in the stage that measures it; the keys keep the order they were put in.
 */
final class BenchReport {

    private static final String COMPARISON = "%-40s %12s %12s %9s %11s %8s%n";

    private final List<String> comparisons = new ArrayList<>();
    private final List<String> singles = new ArrayList<>();
    private final Map<String, Object> json = new LinkedHashMap<>();

    /** A row comparing the two sides; {@code ratio}, {@code rounds} and {@code target} may be empty. */
    void compare(String measure, String ours, String raw, String ratio, String rounds, String target) {
        comparisons.add(String.format(COMPARISON, measure, ours, raw, ratio, rounds, target));
    }

    /** A row with one value. */
    void single(String measure, String value) {
        singles.add(String.format("%-50s %s%n", measure, value));
    }

    /** A key of the JSON line: a number, or null for a measurement that was skipped. */
    void put(String key, Object value) {
        json.put(key, value);
    }

    /** Prints the table, then the JSON line; also writes the JSON to {@code jsonFile} if given. */
    void print(String header, PrintStream out, ObjectMapper mapper, Path jsonFile) throws IOException {
        String line = jsonLine(mapper);
        if (jsonFile != null) {
            Files.writeString(jsonFile, line + System.lineSeparator(), StandardCharsets.UTF_8);
        }
        out.println();
        out.println(header);
        out.printf(COMPARISON, "medians", "ours", "raw", "ours/raw", "one round", "target");
        comparisons.forEach(out::print);
        out.println();
        singles.forEach(out::print);
        out.println(line);
    }

    private String jsonLine(ObjectMapper mapper) throws JsonProcessingException {
        return mapper.writeValueAsString(json);
    }

    /** A ratio or a rate rounded to three decimals, so the JSON stays short. */
    static double round3(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
