package dev.kafkaprimer.examples.watch;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;

import dev.kafkaprimer.examples.cli.ExampleOptions;
import dev.kafkaprimer.examples.cli.ParsedOptions;
import dev.kafkaprimer.examples.cli.UsageException;

/**
 * The ways to watch an example besides the lines it prints: Prometheus metrics ({@value MetricsEndpoint#PORT}),
 * the live view in a browser ({@value LiveView#OPTION}), and {@value #HOLD}, which keeps the run open once its
 * work is done so that either still shows the end state. An example declares the ones it offers, starts them
 * with {@link #start}, and calls {@link #hold} where its work ends and its clients are still up.
 *
 * <p>Lifecycle: {@link #start} starts what was asked for; {@link #close} stops all of it. Not thread-safe: the
 * example's main thread uses it.
 */
public final class Watch implements AutoCloseable {

    /** Keep running and serving this many seconds once the work is done. */
    public static final String HOLD = "--hold";

    private final MetricsEndpoint metrics;
    private final LiveView web;
    private final Duration hold;

    private Watch(MetricsEndpoint metrics, LiveView web, Duration hold) {
        this.metrics = metrics;
        this.web = web;
        this.hold = hold;
    }

    /** Adds {@value MetricsEndpoint#PORT} and {@value #HOLD}. */
    public static ExampleOptions withMetrics(ExampleOptions options) {
        return hold(metricsPort(options));
    }

    /** Adds {@value LiveView#OPTION} and {@value #HOLD}. */
    public static ExampleOptions withWeb(ExampleOptions options) {
        return hold(webPort(options));
    }

    /** Adds {@value LiveView#OPTION} alone, for an example that runs until it is stopped. */
    public static ExampleOptions withWebUntilStopped(ExampleOptions options) {
        return webPort(options);
    }

    /** Adds {@value MetricsEndpoint#PORT}, {@value LiveView#OPTION} and {@value #HOLD}. */
    public static ExampleOptions withMetricsAndWeb(ExampleOptions options) {
        return hold(webPort(metricsPort(options)));
    }

    private static ExampleOptions metricsPort(ExampleOptions options) {
        return options.integer(MetricsEndpoint.PORT, "P", null, 0, 65_535,
                "serve Prometheus metrics at http://127.0.0.1:P/metrics while it runs (0: any free port)");
    }

    private static ExampleOptions webPort(ExampleOptions options) {
        return options.optionalValue(LiveView.OPTION, "PORT", Integer.toString(LiveView.DEFAULT_PORT),
                "show the run live in a browser at http://127.0.0.1:PORT/ (0: any free port)",
                (option, value) -> ExampleOptions.wholeNumber(option, value, 0, 65_535));
    }

    private static ExampleOptions hold(ExampleOptions options) {
        return options.integer(HOLD, "SECONDS", "0", 0, 3_600,
                "with " + MetricsEndpoint.PORT + " or " + LiveView.OPTION
                        + ": keep running and serving this long once the work is done");
    }

    /**
     * Refuses {@value #HOLD} with nothing to watch: it would only be a wait.
     *
     * @throws UsageException naming the options
     */
    public static void checkOptions(ParsedOptions args) {
        boolean watched = args.value(MetricsEndpoint.PORT).isPresent() || args.value(LiveView.OPTION).isPresent();
        if (!watched && args.value(HOLD).map(Integer::parseInt).orElse(0) > 0) {
            throw new UsageException(HOLD + " " + args.integer(HOLD) + " needs " + MetricsEndpoint.PORT + " or "
                    + LiveView.OPTION + " (there is nothing to watch without them)");
        }
    }

    /**
     * Starts what the options ask for, printing where each is; the others are switched off.
     *
     * @param example the example's name, shown as the live view's title
     * @throws dev.kafkaprimer.examples.cli.ExampleFailedException if a port cannot be served, naming it
     */
    public static Watch start(String example, ParsedOptions args, PrintStream out) throws IOException {
        MetricsEndpoint metrics = MetricsEndpoint.start(args, out);
        try {
            LiveView web = LiveView.start(example, args, out);
            return new Watch(metrics, web, Duration.ofSeconds(args.value(HOLD).map(Integer::parseInt).orElse(0)));
        } catch (IOException | RuntimeException e) {
            metrics.close();
            throw e;
        }
    }

    /** The Prometheus endpoint; {@link MetricsEndpoint#enabled()} says whether it serves. */
    public MetricsEndpoint metrics() {
        return metrics;
    }

    /** The live view; {@link LiveView#enabled()} says whether it serves. */
    public LiveView web() {
        return web;
    }

    /**
     * With {@value #HOLD}: says so and waits that long, everything still serving; otherwise returns at once.
     *
     * @throws InterruptedException if interrupted while holding
     */
    public void hold(PrintStream out) throws InterruptedException {
        if (hold.isZero() || !(metrics.enabled() || web.enabled())) {
            return;
        }
        out.println("   Holding for " + hold.toSeconds() + " s (" + HOLD + ") so that "
                + (web.enabled() ? "the live view" : "a scraper") + " shows the end state.");
        web.finished();
        Thread.sleep(hold.toMillis());  // the wait the user asked for, bounded by the option's maximum
    }

    @Override
    public void close() {
        try {
            web.close();
        } finally {
            metrics.close();
        }
    }
}
