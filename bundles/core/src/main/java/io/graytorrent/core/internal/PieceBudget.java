package io.graytorrent.core.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes all torrents may hold in partly received pieces ({@code maxBufferedPieceBytes}).
 * Thread-safe: reserved on torrent executors, released on disk-pool threads.
 */
final class PieceBudget {
    private final long capacity;
    private final AtomicLong held = new AtomicLong();

    PieceBudget(long capacity) {
        this.capacity = capacity;
    }

    /** Takes {@code bytes} from the budget; false, taking nothing, when they do not fit. */
    boolean tryReserve(long bytes) {
        long now;
        do {
            now = held.get();
            if (now + bytes > capacity) {
                return false;
            }
        } while (!held.compareAndSet(now, now + bytes));
        return true;
    }

    void release(long bytes) {
        held.addAndGet(-bytes);
    }

    long held() {
        return held.get();
    }
}
