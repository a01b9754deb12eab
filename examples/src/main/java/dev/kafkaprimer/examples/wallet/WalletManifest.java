package dev.kafkaprimer.examples.wallet;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kafkaprimer.core.json.Json;
import dev.kafkaprimer.examples.cli.ExampleFailedException;

/**
 * What a wallet run spread over processes agrees on, written by {@code --role produce} as the last record of the
 * topic {@code <events topic>.manifest} and read by every {@code consume} and {@code check} process: which
 * group to join, how many events to expect, how the notifier fails. Small and JSON, so it can be looked at with
 * the CLI ({@code kafka-console-consumer --topic wallet-events.manifest --from-beginning}).
 *
 * @param runId          names the run (eight hex digits)
 * @param groupId        the consumer group every consume process joins
 * @param users          users the events belong to
 * @param events         events produced (malformed records not counted)
 * @param malformed      records that are not JSON, for the dead-letter topic
 * @param seed           the seed the events were made with
 * @param keyed          whether events carry the user id as key
 * @param failureRate    share of notifier calls that fail on purpose
 * @param producedAtMs   when producing began (epoch milliseconds): the check's clock starts there
 */
record WalletManifest(String runId, String groupId, int users, int events, int malformed, long seed,
                      boolean keyed, double failureRate, long producedAtMs) {

    /** The manifest topic's name is the event topic's with this appended. */
    static final String SUFFIX = ".manifest";

    private static final ObjectMapper JSON = Json.defaultMapper();

    /** The manifest topic of {@code eventTopic}. */
    static String topicOf(String eventTopic) {
        return eventTopic + SUFFIX;
    }

    byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException("could not write the manifest as JSON", e);
        }
    }

    /**
     * The last manifest in {@code eventTopic}'s manifest topic, waiting for one until {@code deadline}: a consume
     * or check process may be started before the producer has finished.
     *
     * @throws ExampleFailedException if none comes in time, or the last record is not a manifest
     */
    static WalletManifest await(Map<String, Object> client, String eventTopic, Duration deadline)
            throws InterruptedException {
        String topic = topicOf(eventTopic);
        long giveUpAt = System.nanoTime() + deadline.toNanos();
        String why;
        do {
            AtomicReference<byte[]> last = new AtomicReference<>();
            try {
                WholeTopic.read(client, topic, Duration.ofSeconds(10), record -> last.set(record.value()));
                if (last.get() != null) {
                    return parse(last.get(), topic);
                }
                why = "it is empty";
            } catch (IllegalStateException e) {
                why = e.getMessage();
            }
            Thread.sleep(500);  // the producer has not written it yet: look again; the deadline bounds the wait
        } while (System.nanoTime() < giveUpAt);
        throw new ExampleFailedException("no manifest in topic '" + topic + "' within " + deadline.toSeconds()
                + " s (" + why + "): run ./primer wallet --role produce against this cluster first");
    }

    private static WalletManifest parse(byte[] json, String topic) {
        try {
            return JSON.readValue(json, WalletManifest.class);
        } catch (IOException e) {
            throw new ExampleFailedException("the last record of '" + topic + "' is not a wallet manifest: "
                    + e.getMessage());
        }
    }
}
