package dev.kafkaprimer.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.kafkaprimer.testkit.KafkaCluster;
import dev.kafkaprimer.testkit.TestTopics;
import dev.kafkaprimer.testkit.WithKafkaCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One run of {@code ./primer segments} on its own embedded broker, shared by the first tests. */
@WithKafkaCluster(brokerProperties = {
        "log.retention.check.interval.ms=500", "log.initial.task.delay.ms=0", "log.cleaner.backoff.ms=200"})
class SegmentsExampleTest {

    private static final Pattern SEGMENT_LINE =
            Pattern.compile("   (\\d{20})\\.log +[\\d,]+ bytes  offsets (\\d+)\\.\\.(\\d+)");

    private static PrimerRun run;

    @BeforeAll
    static void runTheExample() {
        run = PrimerRun.of(Map.of(), "segments");
    }

    @Test
    void shouldListSegmentFilesNamedByTheirBaseOffset() {
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("Broker settings for this example: log.cleaner.backoff.ms=200,"
                + " log.initial.task.delay.ms=0, log.retention.check.interval.ms=500."), run::toString);
        String listing = between(run.out(), "3. ", "4. ");
        List<MatchResult> segments = SEGMENT_LINE.matcher(listing).results().toList();
        assertTrue(segments.size() >= 3, "several 1 MiB segments for 4 MB: " + run);
        for (MatchResult segment : segments) {
            assertEquals(Long.parseLong(segment.group(1)), Long.parseLong(segment.group(2)), "name = base offset");
        }
        assertEquals(0, Long.parseLong(segments.get(0).group(2)), run::toString);
        assertEquals(3999, Long.parseLong(segments.get(segments.size() - 1).group(3)), run::toString);
    }

    @Test
    void shouldDeleteTheOldestWholeSegmentsAndMoveTheLogStartOffset() {
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("Deleted whole segments [00000000000000000000.log, "), run::toString);
        Matcher moved = Pattern.compile("the log start offset moved from 0 to (\\d+) ").matcher(run.out());
        assertTrue(moved.find(), run::toString);
        long start = Long.parseLong(moved.group(1));
        assertTrue(start > 0 && start <= 3000, "only segments of old records (offsets below 3000) go: " + run);
        // The first segment left starts at the new log start offset, and a consumer asking for 0 lands there
        assertTrue(between(run.out(), "Left:", "5. ").contains(String.format("%020d.log", start)), run::toString);
        assertTrue(run.out().contains("poll() throws OffsetOutOfRangeException"), run::toString);
        assertTrue(run.out().contains("the first record it reads is at offset " + start + "."), run::toString);
    }

    @Test
    void shouldKeepOnlyTheLatestValuePerKeyWhenCompacted() {
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("16 records before cleaning"), run::toString);
        assertTrue(run.out().contains("4 records are left, the latest per key"), run::toString);
        assertTrue(run.out().contains("   12:user-1=v5 13:user-2=v5 14:user-3=v5 15:user-4=v1\n"), run::toString);
        assertTrue(run.out().contains("segments: OK"), run::toString);
    }

    @Test
    void shouldShowWhatItCanWithoutDiskAccessOnAClusterGivenByAddress(KafkaCluster kafka, TestTopics topics) {
        String topic = topics.next();
        PrimerRun external = PrimerRun.of(Map.of(), "segments", "--bootstrap-server", kafka.bootstrapServers(),
                "--topic", topic);

        assertEquals(0, external.exitCode(), external::toString);
        assertTrue(external.out().contains("cannot see on a cluster given by address"), external::toString);
        assertTrue(external.out().contains("Admin.describeLogDirs tells their total: "), external::toString);
        assertTrue(external.out().contains("the log start offset moved from 0 to"), external::toString);
        assertTrue(external.out().contains("12:user-1=v5 13:user-2=v5 14:user-3=v5 15:user-4=v1"), external::toString);
        assertTrue(external.out().contains("Deleted topics '" + topic + "' and '" + topic + "-compacted'."),
                external::toString);
    }

    private static String between(String text, String from, String to) {
        int start = text.indexOf(from);
        int end = text.indexOf(to, start + 1);
        assertTrue(start >= 0 && end > start, "no '" + from + "' … '" + to + "' in:\n" + text);
        return text.substring(start, end);
    }
}
