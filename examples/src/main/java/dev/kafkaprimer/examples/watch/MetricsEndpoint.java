package dev.kafkaprimer.examples.watch;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import dev.kafkaprimer.core.consumer.ConsumerOptions;
import dev.kafkaprimer.examples.cli.ParsedOptions;
import dev.kafkaprimer.core.producer.ProducerOptions;
import dev.kafkaprimer.micrometer.LoopMetrics;
import dev.kafkaprimer.micrometer.SendMetrics;

/**
 * A Prometheus scrape endpoint for one example run: {@value #PORT} {@code P} serves
 * {@code http://127.0.0.1:P/metrics} in Prometheus' text format, from a Micrometer {@link PrometheusMeterRegistry}
 * that the example's loops ({@link LoopMetrics}) and producers ({@link SendMetrics}) report to. Without the option
 * it is switched off: {@link #measure} adds nothing. Only the loopback address is served: the endpoint is for
 * this machine. {@link Watch} declares the option and holds the run open at its end ({@code --hold}), so that a
 * scraper sees the end state.
 *
 * <p>Lifecycle: {@link #start} binds and serves on a thread of its own; {@link #close} stops at once. Thread-safe.
 */
public final class MetricsEndpoint implements AutoCloseable {

    /** Serve the metrics on this port; 0 takes any free one. */
    public static final String PORT = "--metrics-port";
    /** The text format Prometheus reads, version 0.0.4. */
    private static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private final HttpServer server;
    private final ExecutorService thread;

    private MetricsEndpoint(PrometheusMeterRegistry registry, HttpServer server, ExecutorService thread) {
        this.registry = registry;
        this.server = server;
        this.thread = thread;
    }

    /**
     * Starts serving when {@value #PORT} was given, and prints where; otherwise returns a switched-off endpoint.
     *
     * @throws dev.kafkaprimer.examples.cli.ExampleFailedException if the port cannot be bound (in use, or not allowed), naming it
     */
    static MetricsEndpoint start(ParsedOptions args, PrintStream out) throws IOException {
        if (args.value(PORT).isEmpty()) {
            return new MetricsEndpoint(null, null, null);
        }
        int port = args.integer(PORT);
        HttpServer server = LoopbackServers.bind(PORT, port, "metrics");
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ExecutorService thread = Executors.newSingleThreadExecutor(LoopbackServers.daemon("metrics-endpoint"));
        MetricsEndpoint endpoint = new MetricsEndpoint(registry, server, thread);
        server.createContext("/metrics", endpoint::scrape);
        server.setExecutor(thread);
        server.start();
        out.println("Metrics: " + endpoint.uri() + " (Prometheus text format: curl it, or point a scrape job at it)");
        return endpoint;
    }

    /** Whether {@value #PORT} was given. */
    public boolean enabled() {
        return registry != null;
    }

    /** Where the metrics are served; only when {@link #enabled()}. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/metrics");
    }

    /** The registry, for meters of the example's own; only when {@link #enabled()}. */
    public MeterRegistry registry() {
        if (registry == null) {
            throw new IllegalStateException("no " + PORT + " was given");
        }
        return registry;
    }

    /** Gives a loop's options a {@link LoopMetrics} tagged {@code member=NAME}, when enabled. */
    public ConsumerOptions.Builder measure(ConsumerOptions.Builder options, String member) {
        return enabled() ? options.listener(new LoopMetrics(registry, Tags.of("member", member))) : options;
    }

    /** Gives a producer's options a {@link SendMetrics}, when enabled. */
    public ProducerOptions.Builder measure(ProducerOptions.Builder options) {
        return enabled() ? options.listener(new SendMetrics(registry)) : options;
    }

    private void scrape(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] text = registry.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", TEXT_FORMAT);
            exchange.sendResponseHeaders(200, text.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(text);
            }
        }
    }

    @Override
    public void close() {
        if (enabled()) {
            server.stop(0);
            thread.shutdownNow();
            registry.close();
        }
    }
}
