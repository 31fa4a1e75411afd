package io.graytorrent.api.util;

import java.util.concurrent.CompletionException;

/** What a failed {@link java.util.concurrent.CompletableFuture} stage hands on, as the failure itself. */
public final class Completions {
    private Completions() {
    }

    /** The cause a dependent stage wrapped in a {@link CompletionException}, else {@code failure}. */
    public static Throwable cause(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
