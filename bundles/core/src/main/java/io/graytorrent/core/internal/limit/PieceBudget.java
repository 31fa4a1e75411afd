package io.graytorrent.core.internal.limit;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes all torrents may hold in partly received pieces ({@code maxBufferedPieceBytes}).
 * Thread-safe: reserved on torrent executors, released on disk-pool threads. A smaller capacity set
 * while more is held takes nothing back: new reservations wait until enough is released.
 */
public final class PieceBudget {
    private volatile long capacity;
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

    public void setCapacity(long capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must not be negative: " + capacity);
        }
        this.capacity = capacity;
    }

    public void release(long bytes) {
        held.addAndGet(-bytes);
    }

    public long held() {
        return held.get();
    }
}
