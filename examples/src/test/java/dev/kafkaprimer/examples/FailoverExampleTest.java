package dev.kafkaprimer.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One run of {@code ./primer failover} (its own 3-node cluster, about 20 s) is shared by the tests below, each
 * checking one behaviour it shows; the example checks the counts itself and exits 1 on a loss. The run serves its
 * live view ({@code --web}), whose pushed states are read as a page would read them.
 */
class FailoverExampleTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final Pattern LIVE_VIEW = Pattern.compile("Live view: (http://127\\.0\\.0\\.1:\\d+/)");

    private static PrimerRun run;
    /** Every state the live view pushed, as JSON, in order. */
    private static List<String> pushed;

    @BeforeAll
    static void runTheExample() throws Exception {
        BackgroundRun background = BackgroundRun.start("failover", "--topic", "failover-test", "--web", "0",
                "--hold", "2");
        URI events = URI.create(background.await(LIVE_VIEW, 1, TIMEOUT) + "events");
        CompletableFuture<List<String>> states = CompletableFuture.supplyAsync(() -> readEvents(events));
        int exitCode = background.exitCode(TIMEOUT);
        run = new PrimerRun(exitCode, background.out(), background.err());
        // The stream ends when the example closes its view.
        pushed = states.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /** The server-sent events of the live view, read until the example closes the stream. */
    private static List<String> readEvents(URI events) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try (Stream<String> lines = http.send(HttpRequest.newBuilder(events).build(),
                HttpResponse.BodyHandlers.ofLines()).body()) {
            return lines.filter(line -> line.startsWith("data: ")).map(line -> line.substring(6)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void shouldShowTheBrokerStopAndTheNewLeaderInTheLiveView() throws Exception {
        assertEquals(0, run.exitCode(), run::toString);
        Matcher stopped = Pattern.compile("Stopping broker (\\d), leader of partition 0, abruptly").matcher(run.out());
        assertTrue(stopped.find(), run::toString);
        JsonNode last = new ObjectMapper().readTree(pushed.get(pushed.size() - 1));
        List<String> timeline = new ArrayList<>();
        last.get("timeline").forEach(entry -> timeline.add(entry.get("kind").asText() + ": " + entry.get("text").asText()));
        assertTrue(timeline.contains("broker: broker " + stopped.group(1) + " stopped answering"), timeline::toString);
        assertTrue(timeline.stream().anyMatch(entry -> entry.startsWith("leader: partition 0: leader " + stopped.group(1)
                + " → ")), timeline::toString);
        assertEquals(3, last.get("brokers").size(), last::toString);
        assertEquals(3, last.get("partitions").size(), last::toString);
        last.get("partitions").forEach(partition -> assertEquals(3, partition.get("isr").size(), partition::toString));
    }

    @Test
    void shouldLoseNoAcknowledgedRecordWhenTheLeaderStopsWhileProducing() {
        assertEquals(0, run.exitCode(), run::toString);
        Matcher stopped = Pattern.compile("Stopping broker (\\d), leader of partition 0, abruptly").matcher(run.out());
        assertTrue(stopped.find(), run::toString);
        assertTrue(Pattern.compile("fenced it, and elected broker (?!" + stopped.group(1) + ")\\d from the in-sync replicas")
                .matcher(run.out()).find(), run::toString);
        assertTrue(run.out().contains("4. Restarted broker " + stopped.group(1) + ": "), run::toString);

        Matcher counts = Pattern.compile("failover: acknowledged=(\\d+) read=(\\d+) lost=(\\d+) duplicates=(\\d+)")
                .matcher(run.out());
        assertTrue(counts.find(), run::toString);
        long acknowledged = Long.parseLong(counts.group(1));
        assertTrue(acknowledged >= 300, "a few hundred values acknowledged around the failover: " + run);
        assertEquals(acknowledged, Long.parseLong(counts.group(2)), run::toString);
        assertEquals("0", counts.group(3), run::toString);
        assertEquals("0", counts.group(4), run::toString);
    }

    @Test
    void shouldRefuseAcksAllWritesWhenFewerReplicasThanMinInsyncAreInSync() {
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(Pattern.compile("partition 0: leader broker \\d, replicas \\[\\d, \\d, \\d], in-sync \\[\\d],"
                + " fewer than min.insync.replicas=2").matcher(run.out()).find(), run::toString);
        assertTrue(run.out().contains("acks=all write, no retries: refused after"), run::toString);
        assertTrue(run.out().contains("with NotEnoughReplicasException"), run::toString);
        assertTrue(run.out().contains("failed after") && run.out().contains("with TimeoutException: Expiring 1 record(s)"),
                run::toString);
        assertTrue(run.out().contains("an acks=all write is accepted at partition 0"), run::toString);
    }

    @Test
    void shouldRefuseToRunOnAClusterGivenByAddressChangingNothing() {
        PrimerRun external = PrimerRun.of(Map.of(), "failover", "--bootstrap-server", "127.0.0.1:9");
        assertEquals(2, external.exitCode(), external::toString);
        assertTrue(external.err().contains("runs only on the embedded cluster it starts itself"), external::toString);
    }
}
