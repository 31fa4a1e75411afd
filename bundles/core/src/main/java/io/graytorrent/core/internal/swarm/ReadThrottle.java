package io.graytorrent.core.internal.swarm;

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
 * Back-pressure on the receiving side of one torrent. A connection is read from only while it owes
 * nothing to the download limit, has less than {@value #MAX_QUEUED_BYTES} bytes of blocks waiting
 * for the torrent's executor, and the disk pool is not overloaded.
 *
 * <p>Thread-safe: blocks are charged on the Netty event loop as the peer wire hands them over, a
 * read's or at most 256 KiB of them at a time (charged later on the executor, the pause would come
 * after the event loop had read on, megabytes over loopback), and released on the executor. Racing
 * updates can leave a connection paused with nothing left to wake it, so the torrent calls
 * {@link #refresh()} once a second.
 */
public final class ReadThrottle {
    private static final long MAX_QUEUED_BYTES = 4L << 20;

    private final RateLimits limits;
    private final DiskPool disk;
    private final ScheduledExecutorService timer;
    private final Map<PeerConnection, Link> links = new ConcurrentHashMap<>();
    private final AtomicBoolean diskPaused = new AtomicBoolean();

    /** One connection's reasons not to read. */
    private static final class Link {
        /** Bytes received beyond the download limit and not yet paid for. */
        final AtomicLong debt = new AtomicLong();
        /** Bytes of blocks handed to the executor and not yet handled there. */
        final AtomicLong queued = new AtomicLong();
    }

    public ReadThrottle(RateLimits limits, DiskPool disk, ScheduledExecutorService timer) {
        this.limits = limits;
        this.disk = disk;
        this.timer = timer;
    }

    /** Whether reading from every peer is paused until the disk catches up. */
    public boolean diskPaused() {
        return diskPaused.get();
    }

    public void connected(PeerConnection connection) {
        Link link = new Link();
        links.put(connection, link);
        update(connection, link);
    }

    public void closed(PeerConnection connection) {
        links.remove(connection);
    }

    /**
     * On the event loop: blocks of {@code length} bytes in all arrived and go to the executor. Bytes already
     * read cannot be refused, so what the download limits cannot grant becomes the connection's debt, paid off
     * at the limited rate before it is read from again.
     */
    public void received(PeerConnection connection, long length) {
        Link link = links.get(connection);
        if (link == null) {
            return;
        }
        link.queued.addAndGet(length);
        long unpaid = length - limits.take(length);
        if (unpaid > 0 && link.debt.getAndAdd(unpaid) == 0) {
            payLater(connection, link);
        }
        update(connection, link);
    }

    /** On the executor: blocks charged by {@link #received} have been handled. */
    public void handled(PeerConnection connection, long length) {
        Link link = links.get(connection);
        if (link != null && link.queued.addAndGet(-length) < MAX_QUEUED_BYTES) {
            update(connection, link);
        }
    }

    private void payLater(PeerConnection connection, Link link) {
        long waitNanos = Math.max(1, limits.nanosUntilAvailable(link.debt.get()));
        timer.schedule(() -> {
            if (link.debt.addAndGet(-limits.take(link.debt.get())) > 0) {
                payLater(connection, link);
            } else {
                update(connection, link);
            }
        }, waitNanos, TimeUnit.NANOSECONDS);
    }

    /** After a write was queued: stops reading every connection while too many bytes wait for the disk. */
    void checkDisk() {
        if (disk.isOverloaded() && diskPaused.compareAndSet(false, true)) {
            refresh();
            disk.whenDrained().thenRun(() -> {
                diskPaused.set(false);
                refresh();
            });
        }
    }

    /** Sets every connection's reading from its current state. */
    public void refresh() {
        links.forEach(this::update);
    }

    private void update(PeerConnection connection, Link link) {
        connection.setReading(link.debt.get() <= 0 && link.queued.get() < MAX_QUEUED_BYTES && !diskPaused.get());
    }
}
