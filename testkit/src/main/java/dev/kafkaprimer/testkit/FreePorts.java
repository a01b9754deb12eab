package dev.kafkaprimer.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Finds loopback ports that are free right now.
 *
 * <p>Why not let every listener bind port 0? Controllers must know each other's ports before they start (the
 * static quorum voter list), and a restarted broker must come back on the port clients already know. So
 * ports are chosen once, up front. Another process could take a port between this check and the bind;
 * on a test machine that race is rare, and the broker then fails loudly at startup.
 */
final class FreePorts {

    private FreePorts() {
    }

    static int next() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("could not find a free loopback port", e);
        }
    }
}
