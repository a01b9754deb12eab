package dev.kafkaprimer.core.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kafkaprimer.core.RawTopicReader;
import dev.kafkaprimer.core.admin.PartitionLag;
import dev.kafkaprimer.core.admin.TopicAdmin;
import dev.kafkaprimer.testkit.Await;
import dev.kafkaprimer.testkit.KafkaCluster;
import dev.kafkaprimer.testkit.TestTopics;
import dev.kafkaprimer.testkit.WithKafkaCluster;

/**
 * The README's Java, compiled and run: the complete programs of this package, each in a JVM of its own as a
 * user would start it, and a check that every {@code java} block of README.md and README.ko.md is one of the
 * marked regions of the test sources, as it is compiled there.
 */
@WithKafkaCluster
class ReadmeProgramsTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    /** A {@code //} comment, on a line of its own or after the code (not {@code ://} inside a URL). */
    private static final Pattern COMMENT = Pattern.compile("(^|\\s)//\\s.*$");
    /** A line that is exactly a region's first or last marker, such as {@code // README:consume-start}. */
    private static final Pattern MARKER = Pattern.compile("^\\s*// README[-:][a-z:-]*(start|end)\\s*$",
            Pattern.MULTILINE);
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

    @Test
    void shouldStoreThePlacedOrderAsPlainJsonKeyedByItsId(KafkaCluster kafka, TestTopics topics) throws Exception {
        // Given an existing topic
        String topic = topics.next();
        try (TopicAdmin admin = TopicAdmin.connect(kafka.bootstrapServers())) {
            admin.createTopic(topic, 3);
        }

        // When the README's producer program runs
        String output = runToEnd(PlaceOrder.class, kafka.bootstrapServers(), topic);

        // Then it says where the order went, and the topic holds it, keyed by its id, as JSON any consumer reads
        ConsumerRecord<String, String> stored = RawTopicReader.readAll(kafka.bootstrapServers(), topic, 1,
                new StringDeserializer()).get(0);
        assertTrue(output.contains("stored in partition " + stored.partition() + " at offset " + stored.offset()),
                output);
        assertEquals("order-17", stored.key());
        String json = "\\{\"orderId\":\"order-17\",\"total\":12\\.50,\"placedAt\":\"[0-9T:.Z-]+\"}";
        assertTrue(stored.value().matches(json), stored.value());
    }

    @Test
    void shouldBillGoodOrdersDeadLetterTheBadOneAndCommitEverythingWhenStoppedBySigterm(
            KafkaCluster kafka, TestTopics topics, @TempDir Path directory) throws Exception {
        // Given the README's billing program, started first, as the README says: it creates the topics
        String topic = topics.next();
        Path log = directory.resolve("bill-orders.log");
        Process billing = start(BillOrders.class, log, kafka.bootstrapServers(), topic);
        try {
            try (TopicAdmin admin = TopicAdmin.connect(kafka.bootstrapServers())) {
                Await.until(WAIT, topic + " and its dead-letter topic created (log: " + log + ")",
                        () -> !billing.isAlive() || admin.listTopics().containsAll(List.of(topic, topic + ".DLT")));
            }
            // When the README's producer places two orders to bill and one with nothing to bill
            runToEnd(PlaceOrder.class, kafka.bootstrapServers(), topic, "order-1", "10.00");
            runToEnd(PlaceOrder.class, kafka.bootstrapServers(), topic, "order-2", "0.00");
            runToEnd(PlaceOrder.class, kafka.bootstrapServers(), topic, "order-3", "7.25");

            // Then the program bills both good ones and dead-letters the other
            Await.until(WAIT, "order-1 and order-3 billed, order-2 dead-lettered (log: " + log + ")",
                    () -> !billing.isAlive() || read(log).contains("billed order-1")
                            && read(log).contains("billed order-3")
                            && RawTopicReader.endOffsetSum(kafka.bootstrapServers(), topic + ".DLT") == 1);
            assertTrue(billing.isAlive(), () -> "the program ended by itself:\n" + read(log));

            // And when it is stopped with SIGTERM, as Ctrl-C or a container stop would
            billing.destroy();
            assertTrue(billing.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "stopped within its close timeout");
        } finally {
            billing.destroyForcibly();
        }

        // Then its shutdown hook committed everything it finished: the group has no lag left
        String output = read(log);
        assertTrue(output.matches("(?s).*billed order-1 \\(partition \\d, offset 0\\).*"), output);
        try (TopicAdmin admin = TopicAdmin.connect(kafka.bootstrapServers())) {
            List<PartitionLag> lag = admin.groupLag("billing");
            // (only partitions that held an order have a committed offset)
            assertEquals(3, lag.stream().mapToLong(partition -> partition.committedOffset().orElse(0)).sum(),
                    lag.toString());
            lag.forEach(partition -> assertEquals(OptionalLong.of(0), partition.lag(), lag.toString()));
        }
        // (a JVM stopped by SIGTERM exits with 128 + 15 once its shutdown hooks have run)
        assertEquals(143, billing.exitValue(), output);

        // And the README's report names the dead letter's origin and the reason
        String report = runToEnd(DeadLetterReport.class, kafka.bootstrapServers(), topic + ".DLT");
        assertTrue(report.matches("(?s).*" + Pattern.quote(topic) + " partition \\d offset 0, key order-2, 3 attempt\\(s\\): "
                + "java\\.lang\\.IllegalStateException: nothing to bill for order-2.*"), report);
    }

    @Test
    void shouldShowEveryJavaBlockOfBothReadmesAsItIsCompiledInTheTests() throws IOException {
        // The library's snippets compile here; the Micrometer module's in its own tests, beside this module.
        Map<String, String> regions = markedRegions(Path.of("src/test/java"));
        regions.putAll(markedRegions(Path.of("../micrometer/src/test/java")));
        assertTrue(regions.size() >= 7, "found the README's regions: " + regions.keySet());
        for (Path readme : List.of(Path.of("../README.md"), Path.of("../README.ko.md"))) {
            List<String> blocks = new ArrayList<>();
            Matcher block = JAVA_BLOCK.matcher(Files.readString(readme));
            while (block.find()) {
                blocks.add(normalized(block.group(1)));
            }
            for (String shown : blocks) {
                assertTrue(regions.containsValue(shown), readme + " shows Java that no test compiles:\n" + shown);
            }
            regions.forEach((where, region) -> assertTrue(blocks.contains(region),
                    readme + " must show the region of " + where + " as a java block, exactly:\n" + region));
        }
    }

    @Test
    void shouldNameTheLogbackVersionTheBuildUses() throws IOException {
        Matcher property = Pattern.compile("<logback\\.version>([^<]+)</logback\\.version>")
                .matcher(Files.readString(Path.of("../pom.xml")));
        assertTrue(property.find(), "the parent pom has a logback.version property");
        String dependency = "<artifactId>logback-classic</artifactId>\n  <version>" + property.group(1) + "</version>";
        for (String readme : List.of("../README.md", "../README.ko.md")) {
            assertTrue(Files.readString(Path.of(readme)).contains(dependency), readme + " must show " + dependency);
        }
    }

    /** Every marked region of the sources under {@code root}, by file and position, normalized. */
    private static Map<String, String> markedRegions(Path root) throws IOException {
        Map<String, String> regions = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".java")).toList()) {
                String source = Files.readString(file);
                Matcher marker = MARKER.matcher(source);
                while (marker.find()) {
                    if (marker.group(1).equals("start")) {
                        int from = marker.end();
                        assertTrue(marker.find() && marker.group(1).equals("end"), file + ": a start without an end");
                        String region = normalized(source.substring(from, marker.start()));
                        regions.put(file.getFileName() + ":" + from, region);
                    }
                }
            }
        }
        assertTrue(!regions.isEmpty(), "found no README region under " + root);
        return regions;
    }

    /**
     * The code without its layout and without its comments: a README may translate the comments (README.ko.md
     * does), never the code.
     */
    private static String normalized(String text) {
        return text.lines().map(line -> COMMENT.matcher(line).replaceAll("").strip()).filter(line -> !line.isEmpty())
                .collect(Collectors.joining("\n"));
    }

    /** Runs {@code main} of {@code program} in a JVM of its own until it ends with 0, and returns its output. */
    private static String runToEnd(Class<?> program, String... args) throws Exception {
        Path log = Files.createTempFile(program.getSimpleName(), ".log");
        try {
            Process process = start(program, log, args);
            try {
                assertTrue(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), program.getSimpleName() + " ended");
            } finally {
                process.destroyForcibly();
            }
            assertEquals(0, process.exitValue(), () -> program.getSimpleName() + " failed:\n" + read(log));
            return read(log);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static Process start(Class<?> program, Path log, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                program.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
