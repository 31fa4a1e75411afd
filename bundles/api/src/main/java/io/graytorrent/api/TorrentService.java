package io.graytorrent.api;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The engine: the torrents it manages and what can be done with them. Implemented by the core
 * bundle; used by commands, the control endpoint and programs. Thread-safe; no method blocks on
 * the network or on a full disk.
 *
 * <p>Anywhere a torrent is named, {@code ref} is its numeric id, its 40-hex infohash, or a prefix of
 * at least 4 hex digits of the infohash that matches exactly one torrent.
 */
@ProviderType
public interface TorrentService {

    /** Adds a torrent and (unless paused) starts it; refuses one that is already managed. */
    TorrentStatus add(AddTorrent request) throws TorrentException;

    /** All managed torrents, by id. */
    List<TorrentStatus> list();

    TorrentStatus status(String ref) throws TorrentException;

    void start(String ref) throws TorrentException;

    void stop(String ref) throws TorrentException;

    /** Stops and forgets the torrent; with {@code deleteData}, deletes its files too. */
    void remove(String ref, boolean deleteData) throws TorrentException;

    /** Re-hashes the torrent's data and rebuilds what is verified; the torrent shows CHECKING meanwhile. */
    void verify(String ref) throws TorrentException;

    List<FileStatus> files(String ref) throws TorrentException;

    void setFilePriority(String ref, List<Integer> fileIndexes, FilePriority priority) throws TorrentException;

    List<PeerStatus> peers(String ref) throws TorrentException;

    /** The torrent's web seeds (BEP 19) while it runs: state, rate, last error. */
    List<WebSeedStatus> webSeeds(String ref) throws TorrentException;

    /** The torrent's trackers, by tier, with what its announce scheduler last saw of each. */
    List<TrackerStatus> trackers(String ref) throws TorrentException;

    /** The torrent's verified pieces and, while it runs, how many connected peers have each piece. */
    PieceMap pieces(String ref) throws TorrentException;

    /** The global limits in force. */
    SessionSettings sessionSettings();

    /**
     * Applies new global limits at once, to running torrents too, and keeps them for the next start;
     * answers the limits now in force.
     */
    SessionSettings updateSessionSettings(SessionSettings settings) throws TorrentException;

    /** Asks the torrent to connect to {@code peer} (as {@code --peer} does). */
    void connect(String ref, InetSocketAddress peer) throws TorrentException;

    /** The torrent's piece order and own seeding goals. */
    TorrentOptions options(String ref) throws TorrentException;

    /**
     * Replaces the torrent's piece order and own seeding goals; the running swarm follows at once and
     * they are kept across restarts. Answers the options now in force.
     */
    TorrentOptions updateOptions(String ref, TorrentOptions options) throws TorrentException;

    /** Where the torrent stands against its seeding goals (the global ones filled in). */
    SeedingStatus seeding(String ref) throws TorrentException;

    /** The global seeding goals; {@link SeedingGoals#UNLIMITED} unless set. */
    SeedingGoals seedingGoals();

    /**
     * Replaces the global seeding goals (kept for the next start); every torrent following them is held
     * to them from its next check on. INVALID_INPUT for goals that are not {@link SeedingGoals#isComplete()}.
     */
    SeedingGoals updateSeedingGoals(SeedingGoals goals) throws TorrentException;

    /**
     * Moves the torrent's data below {@code directory} (absolute) while it keeps its id, progress and
     * resume data: a running torrent pauses, its files move on the disk pool (copied and checked across
     * file systems), and it resumes from the new place. The future completes with its status once it
     * is there, or fails with a {@link TorrentException} saying why, the data left where it was.
     *
     * @throws TorrentException at once for an unknown torrent, a magnet link without metadata, a
     *                          relative directory, or a move already under way
     */
    CompletableFuture<TorrentStatus> move(String ref, Path directory) throws TorrentException;
}
