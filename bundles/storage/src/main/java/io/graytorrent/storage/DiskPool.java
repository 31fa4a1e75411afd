package io.graytorrent.storage;

import java.util.concurrent.CompletableFuture;

/**
 * The bounded pool of threads that does all disk I/O and SHA-1 work, shared by all torrents.
 * Back-pressure: callers stop feeding bytes (stop reading peers) while {@link #isOverloaded()}
 * and resume when {@link #whenDrained()} completes.
 */
@org.osgi.annotation.versioning.ProviderType
public interface DiskPool {

    /** Bytes of submitted writes (and pieces being hashed) not yet done. */
    long pendingBytes();

    /** Whether {@link #pendingBytes()} is at or above the high watermark. */
    boolean isOverloaded();

    /**
     * Completes once {@link #pendingBytes()} is at or below the low watermark (at once if it already
     * is). Completion runs on a disk-pool thread: hop back to your own thread before touching state.
     */
    CompletableFuture<Void> whenDrained();
}
