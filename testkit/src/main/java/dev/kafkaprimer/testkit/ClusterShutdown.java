package dev.kafkaprimer.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The last steps of an embedded cluster, in the order that lets each node go quickly: brokers first (a broker
 * shutting down asks the controller to move its leaders away), then the controllers all at once (one by one, the
 * last would wait in vain for a quorum to hand over to), then the data directory. Every step runs even if an
 * earlier one failed; the first failure is thrown with the later ones suppressed in it. Thread-safe (stateless).
 */
final class ClusterShutdown {

    private ClusterShutdown() {
    }

    /**
     * Stops every node and deletes {@code dataDirectory}.
     *
     * @throws RuntimeException the first failure, if any step failed
     */
    static void stopAndDelete(Collection<EmbeddedNode> nodes, Path dataDirectory) {
        RuntimeException failure = null;
        for (NodeRole role : List.of(NodeRole.BROKER, NodeRole.COMBINED, NodeRole.CONTROLLER)) {
            failure = stopInParallel(nodes.stream().filter(n -> n.role() == role).toList(), failure);
        }
        try {
            deleteRecursively(dataDirectory);
        } catch (IOException | UncheckedIOException e) {
            failure = addTo(failure, new UncheckedIOException("could not delete " + dataDirectory,
                    e instanceof IOException io ? io : ((UncheckedIOException) e).getCause()));
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static RuntimeException stopInParallel(List<EmbeddedNode> group, RuntimeException failure) {
        List<CompletableFuture<Void>> stopping = group.stream()
                .map(node -> CompletableFuture.runAsync(node::stop))
                .toList();
        for (CompletableFuture<Void> stop : stopping) {
            try {
                stop.join();
            } catch (CompletionException e) {
                failure = addTo(failure, e.getCause() instanceof RuntimeException r ? r : e);
            }
        }
        return failure;
    }

    private static RuntimeException addTo(RuntimeException failure, RuntimeException next) {
        if (failure == null) {
            return next;
        }
        failure.addSuppressed(next);
        return failure;
    }

    static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        }
    }
}
