package dev.kafkaprimer.examples.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

import org.apache.kafka.clients.producer.KafkaProducer;

/** The version of the Kafka client (and embedded broker) on the class path, e.g. {@code 4.4.0}. */
public final class KafkaVersion {

    private KafkaVersion() {
    }

    /** Read from the version file inside the kafka-clients jar; "unknown" if a repackaged jar lacks it. */
    public static String current() {
        try (InputStream in = KafkaProducer.class.getResourceAsStream("/kafka/kafka-version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read kafka-clients' version file", e);
        }
    }
}
