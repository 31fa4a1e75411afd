package io.graytorrent.core.internal;

import io.graytorrent.core.internal.limit.RateLimits;
import io.graytorrent.storage.DiskPool;
import java.util.Collection;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Back-pressure on the receiving side of one torrent: a peer is not read from while it owes the
 * download limit, and no peer is read from while the disk pool is overloaded. Owned by the
 * torrent's executor.
 */
final class ReadThrottle {
    private final RateLimits limits;
    private final DiskPool disk;
    private final ScheduledExecutorService timer;
    private final Executor executor;
    private final Collection<Peer> peers;
    private boolean diskPaused;

    /** {@code peers} is the torrent's live view of its connected peers. */
    ReadThrottle(RateLimits limits, DiskPool disk, ScheduledExecutorService timer, Executor executor,
            Collection<Peer> peers) {
        this.limits = limits;
        this.disk = disk;
        this.timer = timer;
        this.executor = executor;
        this.peers = peers;
    }

    void peerConnected(Peer peer) {
        if (diskPaused) {
            peer.connection.setReading(false);
        }
    }

    /**
     * Charges a received block to the download limits. Bytes already read cannot be refused, so
     * what the buckets cannot grant becomes the peer's debt: it is not read from until the debt is
     * paid off at the limited rate.
     */
    void received(Peer peer, int length) {
        peer.downloadDebt += length - limits.take(length);
        if (peer.downloadDebt > 0 && !peer.readingPaused) {
            peer.readingPaused = true;
            peer.connection.setReading(false);
            payDebtLater(peer);
        }
    }

    private void payDebtLater(Peer peer) {
        long waitNanos = Math.max(1, limits.nanosUntilAvailable(peer.downloadDebt));
        timer.schedule(() -> executor.execute(() -> {
            peer.downloadDebt -= limits.take(peer.downloadDebt);
            if (peer.downloadDebt > 0) {
                payDebtLater(peer);
                return;
            }
            peer.readingPaused = false;
            if (!diskPaused) {
                peer.connection.setReading(true);
            }
        }), waitNanos, TimeUnit.NANOSECONDS);
    }

    /** After a write was queued: stops reading every peer while too many bytes wait for the disk. */
    void checkDisk() {
        if (diskPaused || !disk.isOverloaded()) {
            return;
        }
        diskPaused = true;
        peers.forEach(peer -> peer.connection.setReading(false));
        disk.whenDrained().thenRun(() -> executor.execute(() -> {
            diskPaused = false;
            peers.stream().filter(peer -> !peer.readingPaused).forEach(peer -> peer.connection.setReading(true));
        }));
    }
}
