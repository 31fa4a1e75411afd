package io.graytorrent.shell.internal;

import io.graytorrent.api.InfoHash;
import io.graytorrent.api.TorrentException;
import io.graytorrent.api.TorrentListener;
import io.graytorrent.api.TorrentStatus;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * One torrent's status as the engine pushes it, for a command that follows the torrent ({@code get}):
 * a {@link TorrentListener} registered while the command runs, instead of asking the engine again and
 * again. It keeps the newest status only: a reader slower than the events skips those in between.
 */
final class StatusFeed implements TorrentListener, AutoCloseable {
    private final InfoHash infoHash;
    private Runnable unregister = () -> { };
    /** Guarded by this. */
    private TorrentStatus newest;
    private boolean removed;

    StatusFeed(InfoHash infoHash) {
        this.infoHash = infoHash;
    }

    /** A feed of {@code infoHash}'s statuses, registered as a listener service until closed. */
    static StatusFeed follow(BundleContext context, InfoHash infoHash) {
        StatusFeed feed = new StatusFeed(infoHash);
        ServiceRegistration<TorrentListener> registration = context.registerService(TorrentListener.class, feed, null);
        feed.unregister = registration::unregister;
        return feed;
    }

    @Override
    public synchronized void statusChanged(TorrentStatus status) {
        if (status.infoHash().equals(infoHash)) {
            newest = status;
            notifyAll();
        }
    }

    @Override
    public synchronized void removed(int id, InfoHash removedHash) {
        if (removedHash.equals(infoHash)) {
            removed = true;
            notifyAll();
        }
    }

    /**
     * The status told since the last call, waiting up to {@code wait} for one; empty if none came.
     * Fails once the torrent has been removed.
     */
    synchronized Optional<TorrentStatus> next(Duration wait) throws InterruptedException, TorrentException {
        long deadline = System.nanoTime() + wait.toNanos();
        for (long left = wait.toNanos(); newest == null && !removed && left > 0; left = deadline - System.nanoTime()) {
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        if (removed) {
            throw new TorrentException(TorrentException.Kind.NOT_FOUND, "torrent " + infoHash + " was removed");
        }
        Optional<TorrentStatus> told = Optional.ofNullable(newest);
        newest = null;
        return told;
    }

    @Override
    public void close() {
        unregister.run();
    }
}
