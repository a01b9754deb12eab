package dev.kafkaprimer.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.kafkaprimer.core.admin.TopicAdmin;
import dev.kafkaprimer.core.consumer.CommitLoop;
import dev.kafkaprimer.core.consumer.ConsumerOptions;
import dev.kafkaprimer.core.consumer.RetryPolicy;
import dev.kafkaprimer.core.consumer.ShareLoop;
import dev.kafkaprimer.core.consumer.ShareOptions;
import dev.kafkaprimer.core.producer.JsonProducer;
import dev.kafkaprimer.core.producer.ProducerOptions;
import dev.kafkaprimer.examples.cli.Primer;
import dev.kafkaprimer.testkit.Await;
import dev.kafkaprimer.testkit.TestTopics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The library and the examples against a real Kafka 4.0.0 broker (the learner's note's version, the one in
 * {@code docker-compose-kafka.yml}), while everything else is tested against the embedded 4.4 broker.
 */
class Kafka400CompatibilityTest {

    private static ExternalKafkaBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = ExternalKafkaBroker.start(Path.of(System.getProperty("kafka.primer.compat.broker.classpath")));
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldRunHelloAgainstTheNotesBroker() {
        String topic = new TestTopics("hello-on-4.0.0").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = Primer.run(new String[] {"hello", "--bootstrap-server", broker.bootstrapServers(), "--topic", topic},
                Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, printed + err.toString(StandardCharsets.UTF_8));
        assertTrue(printed.contains("partition 0, offset 0: hello kafka"), printed);
    }

    @Test
    void shouldProcessExactlyOnceThroughKilledProcessorsOnTheNotesBroker() {
        // The transactional loop of the 4.4 client against the note's broker: a processor JVM killed twice
        // mid-transaction, and still one output per input for read_committed readers.
        String topic = new TestTopics("exactly-once-on-4.0.0").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = Primer.run(new String[] {"exactly-once", "--bootstrap-server", broker.bootstrapServers(),
                        "--topic", topic, "--events", "600", "--users", "20", "--crashes", "2", "--timeout", "120"},
                Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, printed + err.toString(StandardCharsets.UTF_8));
        assertTrue(printed.contains("exactly-once: OK inputs=600 outputs=600 duplicates=0"), printed);
        assertEquals(2, printed.split("killed with SIGKILL", -1).length - 1, printed);
    }

    @Test
    void shouldFailAShareLoopAtStartNamingTheVersionShareGroupsNeed() {
        // Kafka 4.0.0 has no share groups: the loop says so at once instead of polling nothing forever
        ShareOptions options = ShareOptions.builder(broker.bootstrapServers(), "queue-on-4.0.0", List.of("jobs"))
                .startupTimeout(Duration.ofSeconds(30)).build();
        ShareLoop<String, String> loop = ShareLoop.create(options, new StringDeserializer(), new StringDeserializer(),
                record -> { });

        long started = System.nanoTime();
        UnsupportedVersionException refused = assertThrows(UnsupportedVersionException.class, loop::run);

        assertTrue(refused.getMessage().contains("does not run share groups")
                && refused.getMessage().contains("Kafka 4.2 or later"), refused.getMessage());
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(30), "failed before the startup timeout");

        // And ./primer queue: one line and exit code 1, no stack trace
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Primer.run(new String[] {"queue", "--bootstrap-server", broker.bootstrapServers()}, Map.of(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
        assertEquals(1, code, printed);
        assertTrue(printed.contains("queue: FAILED: queue needs share groups")
                && printed.contains("Kafka 4.2 or later"), printed);
        assertFalse(printed.contains("\tat "), printed);
    }

    @Test
    void shouldShowTheDeadLetterHeadersInTheNotesConsoleConsumer() throws Exception {
        // Given a record the handler always fails on, dead-lettered by the loop on the 4.0.0 broker
        String topic = new TestTopics("dlt-on-4.0.0").next();
        String servers = broker.bootstrapServers();
        try (TopicAdmin admin = TopicAdmin.connect(servers)) {
            admin.createTopic(topic, 1);
            admin.createTopic(topic + ".DLT", 1);
        }
        try (JsonProducer<String, String> producer = JsonProducer.create(ProducerOptions.builder(servers).build())) {
            producer.sendAndWait(topic, "order-2", "nothing to bill", Duration.ofSeconds(30));
        }
        ConsumerOptions options = ConsumerOptions.builder(servers, topic + "-billing", List.of(topic))
                .retry(RetryPolicy.builder().initialDelay(Duration.ofMillis(10)).maxDelay(Duration.ofMillis(10)).build())
                .build();
        CommitLoop<String, String> loop = CommitLoop.create(options, new StringDeserializer(), record -> {
            throw new IllegalStateException("nothing to bill for " + record.key());
        });
        Thread running = new Thread(loop, "dlt-on-4.0.0");
        running.start();
        try (TopicAdmin admin = TopicAdmin.connect(servers)) {
            Await.until(Duration.ofSeconds(60), "a dead letter in " + topic + ".DLT",
                    () -> admin.endOffsets(topic + ".DLT").get(0) == 1);
        } finally {
            loop.close();
            running.join(TimeUnit.SECONDS.toMillis(40));
        }

        // When Kafka 4.0.0's own console consumer prints it with its headers, as the README says to
        String classpath = Files.readString(Path.of(System.getProperty("kafka.primer.compat.broker.classpath")))
                .trim();
        Path output = Files.createTempFile("console-consumer", ".txt");
        Process console = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, "org.apache.kafka.tools.consumer.ConsoleConsumer",
                "--bootstrap-server", servers, "--topic", topic + ".DLT", "--from-beginning",
                "--max-messages", "1", "--timeout-ms", "30000", "--property", "print.headers=true")
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            assertTrue(console.waitFor(60, TimeUnit.SECONDS), "the console consumer ended");
        } finally {
            console.destroyForcibly();
        }

        // Then the headers are there, as text
        String printed = Files.readString(output);
        Files.delete(output);
        for (String header : List.of("kafka-primer.dlt.original-topic:" + topic,
                "kafka-primer.dlt.original-offset:0", "kafka-primer.dlt.exception-class:java.lang.IllegalStateException",
                "kafka-primer.dlt.root-cause-class:java.lang.IllegalStateException",
                "kafka-primer.dlt.consumer-group:" + topic + "-billing", "kafka-primer.dlt.attempts:3",
                "kafka-primer.dlt.first-failure:", "kafka-primer.dlt.last-failure:",
                "kafka-primer.dlt.stack-trace:java.lang.IllegalStateException: nothing to bill for order-2")) {
            assertTrue(printed.contains(header), header + " in:\n" + printed);
        }
        assertTrue(printed.contains("\"nothing to bill\""), printed);
    }
}
