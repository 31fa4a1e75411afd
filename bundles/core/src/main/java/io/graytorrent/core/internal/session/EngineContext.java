package io.graytorrent.core.internal.session;

import io.graytorrent.api.SeedingGoals;
import io.graytorrent.api.TorrentStatus;
import io.graytorrent.core.internal.concurrent.Clock;
import io.graytorrent.core.internal.config.EngineSettings;
import io.graytorrent.core.internal.connect.Admission;
import io.graytorrent.core.internal.limit.ActiveSlots;
import io.graytorrent.core.internal.limit.PieceBudget;
import io.graytorrent.core.internal.source.PeerSources;
import io.graytorrent.core.internal.state.TorrentRecord;
import io.graytorrent.core.internal.tracker.TrackerClients;
import io.graytorrent.peerwire.PeerWire;
import io.graytorrent.storage.StorageService;
import java.net.InetAddress;
import java.util.Collection;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What a torrent's runtime is given by the engine that runs it, in place of the engine itself: the
 * shared settings, clock, threads, peer wire, storage, tracker clients and peer sources, the admission gate, the
 * piece budget, the active slots and the record writer. Thread-safe.
 */
public interface EngineContext {

    /** The current settings; replaced whole when the session settings change. */
    EngineSettings settings();

    Clock clock();

    /** The threads torrent executors run on. */
    ExecutorService pool();

    ScheduledExecutorService timer();

    StorageService storage();

    PeerWire wire();

    TrackerClients trackerClients();

    /** The peer source plugins, told here which torrents run. */
    PeerSources peerSources();

    Admission admission();

    /** A peer ({@code yourip}) or tracker ({@code external ip}) sees us at {@code ip}: with our listen port, that is ourselves. */
    void seenAs(InetAddress ip);

    PieceBudget pieceBudget();

    /** A piece with data from {@code address} alone failed its hash check; past a threshold the address is banned. */
    void recordHashFailure(InetAddress address);

    /** Saves a record through the engine's record writer, unless the torrent was removed meanwhile. */
    void saveRecord(TorrentRecord record);

    ActiveSlots<TorrentRuntime> slots();

    /** Torrents that got a slot another one gave up. */
    void promote(Collection<TorrentRuntime> promoted);

    /**
     * The torrent's {@link TorrentRuntime#swarmHashes() swarm hashes} grew (a hybrid's magnet link brought its metadata):
     * connections under the new ones reach it from now on.
     */
    void swarmHashesKnown(TorrentRuntime torrent);

    /** The torrent's status changed: told to the status listeners, unless it is no longer the engine's. */
    void published(TorrentRuntime torrent, TorrentStatus status);

    /** The global seeding goals in force. */
    SeedingGoals seedingGoals();

    /** The torrent met a seeding goal whose action is to remove it (it has stopped already): removed, its data kept. */
    void seedingGoalReached(TorrentRuntime torrent);
}
