package io.graytorrent.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Hears of every torrent's status as it changes, instead of polling {@link TorrentService#list()}:
 * register one as an OSGi service (the whiteboard pattern) and the engine calls it. A running
 * torrent's status changes about once a second (rates, progress); a stopped one only on a change.
 *
 * <p>Called on one engine thread, every event in the order it happened; must return quickly and not block.
 * An exception it throws is logged and changes nothing.
 */
@ConsumerType
public interface TorrentListener {

    /** A torrent was added or its status changed. */
    void statusChanged(TorrentStatus status);

    /** A torrent was removed; no event for {@code id} follows. */
    void removed(int id, InfoHash infoHash);
}
