package dev.kafkaprimer.examples.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import dev.kafkaprimer.examples.BackgroundRun;
import dev.kafkaprimer.examples.PrimerRun;
import dev.kafkaprimer.examples.PrometheusText;
import dev.kafkaprimer.testkit.Await;
import dev.kafkaprimer.testkit.KafkaCluster;
import dev.kafkaprimer.testkit.TestTopics;
import dev.kafkaprimer.testkit.WithKafkaCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Watching the wallet run: its Prometheus endpoint answers while it runs, with a handled count equal to the
 * events and every partition's lag at 0 by the end; and its output shows one event's trace, whose ids agree from
 * the producer's span through the record's traceparent to the handler and the notifier's received header.
 */
@WithKafkaCluster
class WalletWatchTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final Pattern URL = Pattern.compile("Metrics: (http://127\\.0\\.0\\.1:\\d+/metrics)");

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void shouldServeTheHandledCountAndLagZeroWhileItRunsAndPrintOneTraceEndToEnd(KafkaCluster kafka,
                                                                               TestTopics topics) throws Exception {
        // Given: a wallet run with a metrics endpoint on any free port, held 15 s once everything is consumed
        BackgroundRun run = BackgroundRun.start("wallet", "--bootstrap-server", kafka.bootstrapServers(),
                "--topic", topics.next(), "--db", TestDatabases.sqlite(dir), "--events", "1500", "--users", "30",
                "--metrics-port", "0", "--hold", "15");
        try {
            URI metrics = URI.create(run.await(URL, 1, TIMEOUT));

            // When: scraped while it runs, until the end state shows
            // (The clients' own metrics join the registry as Micrometer finds them, every 5 s: wait for them too.)
            PrometheusText done = Await.until(TIMEOUT, "1500 handled and every partition's lag 0 at " + metrics,
                    () -> scrape(metrics), scrape -> scrape != null
                            && scrape.sum("kafka_primer_records_handled_total") == 1500
                            && lagSeries(scrape).size() == 6 && lagSeries(scrape).stream().allMatch(s -> s.value() == 0)
                            && scrape.sum("kafka_consumer_fetch_manager_records_consumed_total") >= 1500);

            // Then: the members' own meters and the clients' beside them, in one registry
            assertTrue(done.named("kafka_primer_records_handled_total").stream()
                    .allMatch(s -> s.labels().get("member").startsWith("wallet-member-")), done::toString);
            assertTrue(done.sum("kafka_primer_sends_seconds_count") >= 1500, done::toString);
            assertTrue(done.sum("kafka_consumer_fetch_manager_records_consumed_total") >= 1500, done::toString);
            assertEquals(0, done.sum("kafka_primer_dead_letters_total"));
        } finally {
            assertEquals(0, run.exitCode(TIMEOUT), run::toString);
        }

        // And: one trace whose ids agree from end to end
        String text = run.out();
        assertTrue(text.contains("wallet: OK"), text);
        String trace = run.find(Pattern.compile("trace ([0-9a-f]{32}), event"), 1);
        String sendSpan = run.find(Pattern.compile("send +span ([0-9a-f]{16})"), 1);
        assertEquals(sendSpan, run.find(Pattern.compile(
                "handle +span [0-9a-f]{16} .* child of the send span \\(([0-9a-f]{16})\\)"), 1), text);
        String notifySpan = run.find(Pattern.compile("notify +span ([0-9a-f]{16})"), 1);
        assertTrue(text.contains("the notifier received traceparent 00-" + trace + "-" + notifySpan + "-"), text);
    }

    @Test
    void shouldRefuseAHoldWithNothingToWatchNamingTheOptions(KafkaCluster kafka) {
        PrimerRun run = PrimerRun.of(Map.of(), "wallet", "--bootstrap-server", kafka.bootstrapServers(),
                "--hold", "30");

        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("--hold 30 needs --metrics-port or --web"), run::toString);
    }

    @Test
    void shouldRefuseAWebPortThatIsNotANumberNamingIt(KafkaCluster kafka) {
        PrimerRun run = PrimerRun.of(Map.of(), "wallet", "--bootstrap-server", kafka.bootstrapServers(),
                "--web", "eighty");

        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("--web must be a whole number, was 'eighty'"), run::toString);
    }

    @Test
    void shouldFailInOneLineNamingAMetricsPortThatIsTaken(KafkaCluster kafka, TestTopics topics) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            PrimerRun run = PrimerRun.of(Map.of(), "wallet", "--bootstrap-server", kafka.bootstrapServers(),
                    "--topic", topics.next(), "--db", TestDatabases.sqlite(dir),
                    "--metrics-port", Integer.toString(taken.getLocalPort()));

            assertEquals(1, run.exitCode(), run::toString);
            assertTrue(run.out().contains("wallet: FAILED: --metrics-port " + taken.getLocalPort()
                    + ": cannot serve metrics there"), run::toString);
            assertTrue(run.err().isEmpty(), run::toString);
        }
    }

    private static List<PrometheusText.Sample> lagSeries(PrometheusText scrape) {
        return scrape.named("kafka_primer_lag_records");
    }

    /** A scrape, or null when the endpoint does not answer (yet, or any more). */
    private PrometheusText scrape(URI metrics) {
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode());
            assertTrue(answer.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
            return PrometheusText.parse(answer.body());
        } catch (java.io.IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
