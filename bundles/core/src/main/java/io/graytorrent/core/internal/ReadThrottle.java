package io.graytorrent.core.internal;

import io.graytorrent.core.internal.limit.RateLimits;
import io.graytorrent.peerwire.PeerConnection;
import io.graytorrent.storage.DiskPool;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Back-pressure on the receiving side of one torrent: a connection is not read from while it owes
 * the download limit, and none is read from while the disk pool is overloaded.
 *
 * <p>Thread-safe, because blocks are charged on the Netty event loop as they arrive: charging them
 * later on the torrent's executor would let the event loop read on (megabytes over loopback) before
 * the pause took effect.
 */
final class ReadThrottle {
    private final RateLimits limits;
    private final DiskPool disk;
    private final ScheduledExecutorService timer;
    /** Per connection, bytes received beyond the limit and not yet paid for (0 = reading). */
    private final Map<PeerConnection, AtomicLong> debts = new ConcurrentHashMap<>();
    private final AtomicBoolean diskPaused = new AtomicBoolean();

    ReadThrottle(RateLimits limits, DiskPool disk, ScheduledExecutorService timer) {
        this.limits = limits;
        this.disk = disk;
        this.timer = timer;
    }

    void connected(PeerConnection connection) {
        debts.put(connection, new AtomicLong());
        if (diskPaused.get()) {
            connection.setReading(false);
        }
    }

    void closed(PeerConnection connection) {
        debts.remove(connection);
    }

    /**
     * Charges a received block to the download limits. Bytes already read cannot be refused, so
     * what the buckets cannot grant becomes the connection's debt: it is not read from until the
     * debt is paid off at the limited rate.
     */
    void received(PeerConnection connection, int length) {
        AtomicLong debt = debts.get(connection);
        if (debt == null) {
            return;
        }
        long unpaid = length - limits.take(length);
        if (unpaid > 0) {
            connection.setReading(false); // every time: a repayment may have just switched reading back on
            if (debt.getAndAdd(unpaid) == 0) {
                payLater(connection, debt);
            }
        }
    }

    private void payLater(PeerConnection connection, AtomicLong debt) {
        long waitNanos = Math.max(1, limits.nanosUntilAvailable(debt.get()));
        timer.schedule(() -> {
            long paid = limits.take(debt.get());
            if (debt.addAndGet(-paid) > 0) {
                payLater(connection, debt);
            } else if (!diskPaused.get()) {
                connection.setReading(true);
            }
        }, waitNanos, TimeUnit.NANOSECONDS);
    }

    /** After a write was queued: stops reading every connection while too many bytes wait for the disk. */
    void checkDisk() {
        if (!disk.isOverloaded() || !diskPaused.compareAndSet(false, true)) {
            return;
        }
        debts.keySet().forEach(connection -> connection.setReading(false));
        disk.whenDrained().thenRun(() -> {
            diskPaused.set(false);
            debts.forEach((connection, debt) -> {
                if (debt.get() == 0) {
                    connection.setReading(true);
                }
            });
        });
    }
}
