package dev.kafkaprimer.examples.segments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One segment of a partition's log as it lies on the broker's disk: {@code <base offset>.log}, 20 digits, with
 * its {@code .index} and {@code .timeindex} beside it.
 */
record SegmentFile(long baseOffset, long bytes) {

    /**
     * The live segments in {@code partitionDirectory}, oldest first. Files of segments being deleted
     * ({@code .log.deleted}) or rewritten by the cleaner ({@code .cleaned}, {@code .swap}) are not counted.
     */
    static List<SegmentFile> in(Path partitionDirectory) throws IOException {
        try (Stream<Path> files = Files.list(partitionDirectory)) {
            return files.filter(f -> f.getFileName().toString().matches("\\d{20}\\.log"))
                    .map(SegmentFile::of)
                    .sorted(Comparator.comparingLong(SegmentFile::baseOffset))
                    .toList();
        }
    }

    String fileName() {
        return String.format("%020d.log", baseOffset);
    }

    private static SegmentFile of(Path file) {
        String name = file.getFileName().toString();
        try {
            return new SegmentFile(Long.parseLong(name.substring(0, 20)), Files.size(file));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read the size of " + file, e);
        }
    }
}
