package io.graytorrent.storage.internal;

import io.graytorrent.storage.DiskPool;
import io.graytorrent.storage.StorageException;
import io.graytorrent.storage.StorageException.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fixed number of daemon threads doing disk I/O and hashing, counting the bytes submitted and not
 * yet done so callers can apply back-pressure. The queue itself is not capped: the engine caps it by
 * stopping its peers while {@link #isOverloaded()}. Disk threads are never interrupted (close()
 * is an orderly shutdown): an interrupt would close the shared FileChannels they are using.
 * Threads and watermarks may change while it runs ({@link #reconfigure}).
 */
final class BoundedDiskPool implements DiskPool, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BoundedDiskPool.class);
    private static final long CLOSE_WAIT_SECONDS = 10;

    /** Disk work that may throw anything; failures become {@link StorageException}s. */
    @FunctionalInterface
    interface DiskTask<T> {
        T run() throws Exception;
    }

    private final ThreadPoolExecutor executor;
    private volatile long highWatermark;
    private volatile long lowWatermark;
    private final AtomicLong pending = new AtomicLong();
    private final List<CompletableFuture<Void>> drainWaiters = new ArrayList<>();

    BoundedDiskPool(int threads, long highWatermark, long lowWatermark) {
        AtomicInteger counter = new AtomicInteger();
        this.executor = (ThreadPoolExecutor) Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "gray-disk-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.highWatermark = highWatermark;
        this.lowWatermark = lowWatermark;
    }

    /**
     * New thread count and watermarks. Fewer threads end as they finish their current task; a raised
     * low watermark releases at once the callers waiting for the pool to drain below it.
     */
    void reconfigure(int threads, long highWatermark, long lowWatermark) {
        if (threads > executor.getMaximumPoolSize()) {
            executor.setMaximumPoolSize(threads);
            executor.setCorePoolSize(threads);
        } else {
            executor.setCorePoolSize(threads);
            executor.setMaximumPoolSize(threads);
        }
        this.highWatermark = highWatermark;
        this.lowWatermark = lowWatermark;
        done(0);
    }

    int threads() {
        return executor.getCorePoolSize();
    }

    /** Runs {@code task} on the pool, counting {@code bytes} as pending until it ends. */
    <T> CompletableFuture<T> submit(long bytes, DiskTask<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        pending.addAndGet(bytes);
        try {
            executor.execute(() -> {
                T value = null;
                Throwable failure = null;
                try {
                    value = task.run();
                } catch (Throwable thrown) {
                    failure = thrown;
                }
                done(bytes); // before completing, so a caller that sees the result sees the bytes released
                if (failure == null) {
                    result.complete(value);
                } else {
                    result.completeExceptionally(Failures.classify(failure));
                }
            });
        } catch (RejectedExecutionException e) {
            done(bytes);
            result.completeExceptionally(new StorageException(Reason.CLOSED, "the disk pool is shut down"));
        }
        return result;
    }

    @Override
    public long pendingBytes() {
        return pending.get();
    }

    @Override
    public boolean isOverloaded() {
        return pending.get() >= highWatermark;
    }

    @Override
    public CompletableFuture<Void> whenDrained() {
        CompletableFuture<Void> drained = new CompletableFuture<>();
        synchronized (drainWaiters) {
            if (pending.get() > lowWatermark) {
                drainWaiters.add(drained);
                return drained;
            }
        }
        drained.complete(null);
        return drained;
    }

    private void done(long bytes) {
        if (pending.addAndGet(-bytes) > lowWatermark) {
            return;
        }
        List<CompletableFuture<Void>> ready;
        synchronized (drainWaiters) {
            ready = new ArrayList<>(drainWaiters);
            drainWaiters.clear();
        }
        ready.forEach(waiter -> waiter.complete(null));
    }

    /**
     * Runs what was queued, then returns: a checkpoint still writing resume data when the storage
     * closes must finish before the caller goes on (and, in tests, before the directory is deleted).
     */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("disk tasks still running {} s after the storage closed", CLOSE_WAIT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
