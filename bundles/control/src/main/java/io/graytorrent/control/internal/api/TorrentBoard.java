package io.graytorrent.control.internal.api;

import io.graytorrent.api.InfoHash;
import io.graytorrent.api.TorrentListener;
import io.graytorrent.api.TorrentStatus;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Every torrent's latest status as the engine pushes it ({@link TorrentListener}), so the event
 * streams read a snapshot instead of asking the engine for its list. Filled once from the engine's
 * list when an engine arrives and emptied when it goes; from then on only events change it. Applied
 * in the engine's order, the last event for a torrent is its latest status. Thread-safe.
 */
public final class TorrentBoard implements TorrentListener {
    private final Map<Integer, TorrentStatus> torrents = new TreeMap<>();

    @Override
    public synchronized void statusChanged(TorrentStatus status) {
        torrents.put(status.id(), status);
    }

    @Override
    public synchronized void removed(int id, InfoHash infoHash) {
        torrents.remove(id);
    }

    /**
     * An engine arrived: its torrents as it lists them. Called with this listener registered already,
     * so an event the list misses still comes; one older than the list that is applied after it is
     * followed by the newer event that made the list differ.
     */
    public synchronized void fill(Supplier<List<TorrentStatus>> list) {
        torrents.clear();
        list.get().forEach(status -> torrents.put(status.id(), status));
    }

    /** The engine went away: no torrents until the next one arrives. */
    public synchronized void clear() {
        torrents.clear();
    }

    /** Every torrent by id, as last told. */
    public synchronized List<TorrentStatus> torrents() {
        return List.copyOf(torrents.values());
    }
}
