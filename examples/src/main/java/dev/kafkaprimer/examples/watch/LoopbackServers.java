package dev.kafkaprimer.examples.watch;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ThreadFactory;

import com.sun.net.httpserver.HttpServer;

import dev.kafkaprimer.examples.cli.ExampleFailedException;

/**
 * What the watching servers share: an HTTP server on the loopback address only (for this machine, nobody else),
 * and daemon threads, so that a watcher never keeps a finished example's JVM alive.
 */
final class LoopbackServers {

    private LoopbackServers() {
    }

    /**
     * An HTTP server on 127.0.0.1, not started.
     *
     * @param option the option that chose the port, named in the error
     * @param port   the port; 0 takes any free one
     * @param what   what would be served there, for the error
     * @throws ExampleFailedException if the port is taken or not allowed, naming the option and the port
     */
    static HttpServer bind(String option, int port, String what) throws IOException {
        try {
            return HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        } catch (BindException e) {
            throw new ExampleFailedException(option + " " + port + ": cannot serve " + what + " there ("
                    + e.getMessage() + "); choose another port, or 0 for any free one");
        }
    }

    /** Threads named {@code name} that do not keep the JVM running. */
    static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
