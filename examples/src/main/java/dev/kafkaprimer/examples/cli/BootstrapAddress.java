package dev.kafkaprimer.examples.cli;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a {@code bootstrap.servers} value before any client is built: {@code HOST:PORT[,HOST:PORT...]} with a
 * port from 1 to 65535, and at least one host that resolves. kafka-clients would otherwise throw
 * "No resolvable bootstrap urls" from the client's constructor, as a stack trace. A list where only some
 * hosts resolve is accepted, as kafka-clients accepts it: the client uses the ones it can reach.
 *
 * <p>Thread-safe (stateless).
 */
final class BootstrapAddress {

    private BootstrapAddress() {
    }

    /**
     * @param source where the value came from, for the message ({@code --bootstrap-server} or the variable)
     * @param servers the value
     * @throws UsageException naming the value if it is malformed or none of its hosts resolves
     */
    static void check(String source, String servers) {
        List<String> hosts = new ArrayList<>();
        for (String server : servers.trim().split(",")) {
            String entry = server.trim();
            int colon = entry.lastIndexOf(':');
            boolean ok = colon > 0 && colon < entry.length() - 1;
            if (ok) {
                try {
                    int port = Integer.parseInt(entry.substring(colon + 1));
                    ok = port > 0 && port <= 65_535;
                } catch (NumberFormatException e) {
                    ok = false;
                }
            }
            if (!ok) {
                throw new UsageException(source + " must look like HOST:PORT (e.g. localhost:9092), was '"
                        + servers + "'");
            }
            hosts.add(entry.substring(0, colon).replace("[", "").replace("]", ""));
        }
        for (String host : hosts) {
            try {
                InetAddress.getByName(host);
                return;
            } catch (UnknownHostException e) {
                // try the next one; only when none resolves is the address unusable
            }
        }
        throw new UsageException(source + " '" + servers + "': " + (hosts.size() == 1 ? "the host " : "none of the hosts ")
                + String.join(", ", hosts) + (hosts.size() == 1 ? " does" : " do") + " not resolve to an address."
                + " Check the spelling, or use an IP address such as 127.0.0.1");
    }
}
