package dev.kafkaprimer.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import dev.kafkaprimer.examples.cli.Primer;
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
}
