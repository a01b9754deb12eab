package dev.kafkaprimer.examples.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import dev.kafkaprimer.core.consumer.ConsumerOptions;
import dev.kafkaprimer.core.producer.ProducerOptions;
import dev.kafkaprimer.micrometer.LoopMetrics;
import dev.kafkaprimer.micrometer.SendMetrics;

/**
 * A Prometheus scrape endpoint for one example run: {@value #PORT} {@code P} serves
 * {@code http://127.0.0.1:P/metrics} in Prometheus' text format, from a Micrometer {@link PrometheusMeterRegistry}
 * that the example's loops ({@link LoopMetrics}) and producers ({@link SendMetrics}) report to. Without the option
 * it is switched off: {@link #measure} adds nothing and {@link #hold} returns at once.
 *
 * <p>{@value #HOLD} {@code S} keeps the example's clients and the endpoint up for {@code S} seconds once its work
 * is done, so a scraper sees the end state (Prometheus scrapes every 15 s unless told otherwise; a short run can
 * end between two scrapes). Only the loopback address is served: the endpoint is for this machine.
 *
 * <p>Lifecycle: {@link #start} binds and serves on a thread of its own; {@link #close} stops at once. Thread-safe.
 */
public final class MetricsEndpoint implements AutoCloseable {

    /** Serve the metrics on this port; 0 takes any free one. */
    public static final String PORT = "--metrics-port";
    /** Keep serving this many seconds after the work is done. */
    public static final String HOLD = "--metrics-hold";
    /** The text format Prometheus reads, version 0.0.4. */
    private static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private final HttpServer server;
    private final ExecutorService thread;
    private final Duration hold;

    private MetricsEndpoint(PrometheusMeterRegistry registry, HttpServer server, ExecutorService thread,
                            Duration hold) {
        this.registry = registry;
        this.server = server;
        this.thread = thread;
        this.hold = hold;
    }

    /** Adds {@value #PORT} and {@value #HOLD} to an example's options. */
    public static ExampleOptions declare(ExampleOptions options) {
        return options
                .integer(PORT, "P", null, 0, 65_535,
                        "serve Prometheus metrics at http://127.0.0.1:P/metrics while it runs (0: any free port)")
                .integer(HOLD, "SECONDS", "0", 0, 3_600,
                        "with " + PORT + ": keep running and serving this long once the work is done");
    }

    /**
     * Refuses {@value #HOLD} without {@value #PORT}: holding with nothing to scrape would only be a wait.
     *
     * @throws UsageException naming both options
     */
    public static void checkOptions(ParsedOptions args) {
        if (args.value(PORT).isEmpty() && args.integer(HOLD) > 0) {
            throw new UsageException(HOLD + " " + args.integer(HOLD) + " needs " + PORT + " (there is nothing to "
                    + "scrape without it)");
        }
    }

    /**
     * Starts serving when {@value #PORT} was given, and prints where; otherwise returns a switched-off endpoint.
     *
     * @throws ExampleFailedException if the port cannot be bound (in use, or not allowed), naming it
     */
    public static MetricsEndpoint start(ParsedOptions args, PrintStream out) throws IOException {
        if (args.value(PORT).isEmpty()) {
            return new MetricsEndpoint(null, null, null, Duration.ZERO);
        }
        int port = args.integer(PORT);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        } catch (BindException e) {
            registry.close();
            throw new ExampleFailedException(PORT + " " + port + ": cannot serve metrics there (" + e.getMessage()
                    + "); choose another port, or 0 for any free one");
        }
        ExecutorService thread = Executors.newSingleThreadExecutor(runnable -> {
            Thread serving = new Thread(runnable, "metrics-endpoint");
            serving.setDaemon(true);
            return serving;
        });
        MetricsEndpoint endpoint = new MetricsEndpoint(registry, server, thread,
                Duration.ofSeconds(args.integer(HOLD)));
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

    /** With {@value #HOLD}: says so and waits that long, the endpoint serving; otherwise returns at once. */
    public void hold(PrintStream out) throws InterruptedException {
        if (!enabled() || hold.isZero()) {
            return;
        }
        out.println("   Holding for " + hold.toSeconds() + " s (" + HOLD + ") so a scraper sees the end state at "
                + uri() + ".");
        Thread.sleep(hold.toMillis());  // the wait the user asked for, bounded by the option's maximum
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
