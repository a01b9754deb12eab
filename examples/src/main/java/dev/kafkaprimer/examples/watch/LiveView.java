package dev.kafkaprimer.examples.watch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.kafkaprimer.core.consumer.ConsumerOptions;
import dev.kafkaprimer.core.json.Json;
import dev.kafkaprimer.examples.cli.KafkaConnection;
import dev.kafkaprimer.examples.cli.ParsedOptions;

/**
 * The live view: {@value #OPTION} {@code [PORT]} serves one page at {@code http://127.0.0.1:PORT/} that draws the
 * run as it happens: each partition as a log from its start offset to its end, with the committed offset and the
 * lag; which member owns it; the rebalances, leader changes and broker stops on a timeline; each member's records
 * per second, retries and dead letters; the brokers and the active controller; and the lines the example prints.
 *
 * <p>How it works: the example's loops report through a {@link LiveListener}, a {@link KafkaWatcher} reads the
 * rest with the admin client twice a second, and a sender thread pushes the whole state as JSON to every open
 * page with server-sent events, at most four times a second and only when something changed. The page (plain
 * HTML, CSS and JavaScript from this module's resources, nothing fetched from elsewhere) redraws from each
 * message; it never talks to Kafka. Without the option the view is switched off and every method does nothing.
 *
 * <p>Only the loopback address is served. Thread-safe. Lifecycle: {@link #start}, then {@link #watch} once the
 * example knows its topic and group; {@link #close} stops the sender, the watcher and the server.
 */
public final class LiveView implements AutoCloseable {

    /** Show the run in a browser. */
    public static final String OPTION = "--web";
    /** The port of {@value #OPTION} given alone. */
    public static final int DEFAULT_PORT = 8088;

    private static final long SEND_PERIOD_MS = 250;
    private static final Map<String, String> PAGES = Map.of(
            "/", "index.html", "/live.js", "live.js", "/live.css", "live.css");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8");

    private final LiveState state;
    private final HttpServer server;
    private final ExecutorService serving;
    private final ScheduledExecutorService sending;
    private final List<OutputStream> pages = new CopyOnWriteArrayList<>();
    private final ObjectMapper json = Json.defaultMapper();
    private volatile long sentVersion = -1;
    private volatile KafkaWatcher watcher;

    private LiveView(LiveState state, HttpServer server, ExecutorService serving, ScheduledExecutorService sending) {
        this.state = state;
        this.server = server;
        this.serving = serving;
        this.sending = sending;
    }

    /**
     * Starts serving when {@value #OPTION} was given, and prints the address; otherwise a switched-off view.
     *
     * @param example the example's name, the page's title
     * @throws dev.kafkaprimer.examples.cli.ExampleFailedException if the port cannot be served, naming it
     */
    static LiveView start(String example, ParsedOptions args, PrintStream out) throws IOException {
        if (args.value(OPTION).isEmpty()) {
            return new LiveView(null, null, null, null);
        }
        int port = Integer.parseInt(args.string(OPTION).trim());
        HttpServer server = LoopbackServers.bind(OPTION, port, "the live view");
        ExecutorService serving = Executors.newCachedThreadPool(LoopbackServers.daemon("live-view-http"));
        ScheduledExecutorService sending = Executors.newSingleThreadScheduledExecutor(LoopbackServers.daemon("live-view-sender"));
        LiveView view = new LiveView(new LiveState(example), server, serving, sending);
        server.createContext("/", view::page);
        server.createContext("/events", view::events);
        server.setExecutor(serving);
        server.start();
        sending.scheduleWithFixedDelay(view::send, SEND_PERIOD_MS, SEND_PERIOD_MS, TimeUnit.MILLISECONDS);
        out.println("Live view: " + view.uri() + " (open it in a browser; it updates as the run goes)");
        return view;
    }

    /** Whether {@value #OPTION} was given. */
    public boolean enabled() {
        return state != null;
    }

    /** Where the page is; only when {@link #enabled()}. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    /**
     * Starts reading the cluster for the view: the brokers, and {@code topic}'s partitions (every topic's, when
     * null) with the committed offsets and owners of {@code group} (none, when null).
     */
    public void watch(KafkaConnection kafka, String topic, String group) {
        if (enabled()) {
            watch(kafka.adminProperties(Duration.ofSeconds(3)), topic, group, false);
        }
    }

    /** As {@link #watch(KafkaConnection, String, String)}, for a share group's partitions and members. */
    public void watchShareGroup(KafkaConnection kafka, String topic, String shareGroup) {
        if (enabled()) {
            watch(kafka.adminProperties(Duration.ofSeconds(3)), topic, shareGroup, true);
        }
    }

    /**
     * As {@link #watch(KafkaConnection, String, String)}, with the admin client's settings given (for a cluster
     * this example runs itself).
     */
    public void watch(Map<String, Object> adminProperties, String topic, String group, boolean shareGroup) {
        if (!enabled()) {
            return;
        }
        state.watching(topic, group, shareGroup);
        if (watcher == null) {
            watcher = new KafkaWatcher(adminProperties, state);
        }
    }

    /** Gives a member's loop options a listener that reports to the view, when enabled. */
    public ConsumerOptions.Builder listenTo(ConsumerOptions.Builder options, String member) {
        return enabled() ? options.listener(new LiveListener(state, member)) : options;
    }

    /**
     * The stream to print the example's story to: {@code out} itself, and, when enabled, each line also
     * shown on the page.
     */
    public PrintStream echo(PrintStream out) {
        if (!enabled()) {
            return out;
        }
        return new PrintStream(new LineEcho(out, state), true, StandardCharsets.UTF_8);
    }

    /** The example's work is done; the page says so. */
    void finished() {
        if (enabled()) {
            state.finished();
            send();
        }
    }

    private void page(HttpExchange exchange) throws IOException {
        try (exchange) {
            String file = PAGES.get(exchange.getRequestURI().getPath());
            if (file == null || !"GET".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body;
            try (InputStream resource = LiveView.class.getResourceAsStream("/web/" + file)) {
                if (resource == null) {
                    throw new IOException("the examples' resources have no web/" + file);
                }
                body = resource.readAllBytes();
            }
            exchange.getResponseHeaders().set("Content-Type", TYPES.get(file.substring(file.lastIndexOf('.') + 1)));
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    /** Server-sent events: the response stays open, and {@link #send} writes each new state to it. */
    private void events(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(200, 0);
        OutputStream page = exchange.getResponseBody();
        pages.add(page);
        sentVersion = -1;  // a new page gets the whole state at the next send, changed or not
    }

    private synchronized void send() {
        long version = state.version();
        if (version == sentVersion || pages.isEmpty()) {
            return;
        }
        byte[] message;
        try {
            message = ("data: " + json.writeValueAsString(state.snapshot(System.nanoTime())) + "\n\n")
                    .getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("the live view's state cannot be written as JSON", e);
        }
        for (OutputStream page : pages) {
            try {
                page.write(message);
                page.flush();
            } catch (IOException closed) {
                // The browser went away (a closed tab, a reload): forget it.
                pages.remove(page);
                closeQuietly(page);
            }
        }
        sentVersion = version;
    }

    @Override
    public void close() {
        if (!enabled()) {
            return;
        }
        sending.shutdownNow();
        if (watcher != null) {
            watcher.close();
        }
        pages.forEach(LiveView::closeQuietly);
        server.stop(0);
        serving.shutdownNow();
    }

    private static void closeQuietly(OutputStream page) {
        try {
            page.close();
        } catch (IOException e) {
            // already gone: nothing to tell anyone
        }
    }

    /** Passes every byte on to the real output, and each finished line to the view. */
    private static final class LineEcho extends OutputStream {
        private final PrintStream out;
        private final LiveState state;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LineEcho(PrintStream out, LiveState state) {
            this.out = out;
            this.state = state;
        }

        @Override
        public synchronized void write(int b) {
            out.write(b);
            if (b == '\n') {
                state.printed(line.toString(StandardCharsets.UTF_8).stripTrailing());
                line.reset();
            } else {
                line.write(b);
            }
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                write(bytes[i]);
            }
        }

        @Override
        public void flush() {
            out.flush();
        }
    }
}
