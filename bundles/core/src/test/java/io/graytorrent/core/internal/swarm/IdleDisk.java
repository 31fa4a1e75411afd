package io.graytorrent.core.internal.swarm;

import io.graytorrent.storage.DiskPool;
import java.util.concurrent.CompletableFuture;

/** A disk pool with nothing pending: reading is never paused for it. */
public final class IdleDisk implements DiskPool {
    @Override
    public long pendingBytes() {
        return 0;
    }

    @Override
    public boolean isOverloaded() {
        return false;
    }

    @Override
    public CompletableFuture<Void> whenDrained() {
        return CompletableFuture.completedFuture(null);
    }
}
