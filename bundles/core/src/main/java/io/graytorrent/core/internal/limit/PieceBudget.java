package io.graytorrent.core.internal.limit;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes all torrents may hold in partly received pieces ({@code maxBufferedPieceBytes}).
 * Thread-safe: reserved on torrent executors, released on disk-pool threads.
 */
public final class PieceBudget {
    private final long capacity;
    private final AtomicLong held = new AtomicLong();

    public PieceBudget(long capacity) {
        this.capacity = capacity;
    }

    /** Takes {@code bytes} from the budget; false, taking nothing, when they do not fit. */
    public boolean tryReserve(long bytes) {
        long now;
        do {
            now = held.get();
            if (now + bytes > capacity) {
                return false;
            }
        } while (!held.compareAndSet(now, now + bytes));
        return true;
    }

    public void release(long bytes) {
        held.addAndGet(-bytes);
    }

    public long held() {
        return held.get();
    }
}
