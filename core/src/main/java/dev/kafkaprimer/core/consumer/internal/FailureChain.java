package dev.kafkaprimer.core.consumer.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Looks through an exception and its causes: an {@code UncheckedIOException} around an {@code IOException}, a
 * {@code CompletionException} around whatever failed, are judged by what they wrap. The walk stops at the end
 * of the chain, at a cause seen before (chains may loop), or after {@value #MAX_DEPTH} links. Stateless;
 * callable from any thread.
 *
 * <p><b>Not API:</b> public only so that {@link dev.kafkaprimer.core.consumer.RetryPolicy} can use it; it may
 * change in any release.
 */
public final class FailureChain {

    /** Deeper chains are cut here: no real chain is this long, and a loop without repeats must still end. */
    static final int MAX_DEPTH = 32;

    private FailureChain() {
    }

    /**
     * The first exception of {@code failure}'s chain, {@code failure} itself first, that is a {@code type}.
     *
     * @param failure the exception to look through; may be null
     * @param type    what to look for; not null
     * @param <T>     what to look for
     * @return the first match, or null if there is none (or {@code failure} is null)
     */
    public static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable link : links(failure)) {
            if (type.isInstance(link)) {
                return type.cast(link);
            }
        }
        return null;
    }

    /**
     * Whether any exception of {@code failure}'s chain is one of {@code types} (or a subclass of one).
     *
     * @param failure the exception to look through; may be null
     * @param types   the types to look for; not null
     * @return true if one matches
     */
    public static boolean containsAny(Throwable failure, Set<Class<? extends Throwable>> types) {
        for (Throwable link : links(failure)) {
            for (Class<? extends Throwable> type : types) {
                if (type.isInstance(link)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The last exception of {@code failure}'s chain: the root cause, or {@code failure} itself if it has none.
     *
     * @param failure the exception to look through; not null
     * @return the root cause
     */
    public static Throwable root(Throwable failure) {
        List<Throwable> links = links(failure);
        return links.get(links.size() - 1);
    }

    /** {@code failure} and its causes, in order, each once, at most {@link #MAX_DEPTH}. */
    static List<Throwable> links(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Throwable> links = new ArrayList<>();
        for (Throwable link = failure; link != null && links.size() < MAX_DEPTH && seen.add(link);
             link = link.getCause()) {
            links.add(link);
        }
        return links;
    }
}
