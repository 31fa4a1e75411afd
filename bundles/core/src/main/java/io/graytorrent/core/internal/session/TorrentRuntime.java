package io.graytorrent.core.internal.session;

import io.graytorrent.api.FilePriority;
import io.graytorrent.api.FileStatus;
import io.graytorrent.api.InfoHash;
import io.graytorrent.api.PeerStatus;
import io.graytorrent.api.PieceMap;
import io.graytorrent.api.RunningTorrent;
import io.graytorrent.api.SeedingGoals;
import io.graytorrent.api.SeedingStatus;
import io.graytorrent.api.TorrentOptions;
import io.graytorrent.api.TorrentState;
import io.graytorrent.api.TorrentStatus;
import io.graytorrent.api.TrackerStatus;
import io.graytorrent.api.WebSeedStatus;
import io.graytorrent.api.BlocklistService;
import io.graytorrent.api.TorrentException;
import io.graytorrent.api.TorrentException.Kind;
import io.graytorrent.api.util.Completions;
import io.graytorrent.core.internal.concurrent.SerialExecutor;
import io.graytorrent.core.internal.config.EngineSettings;
import io.graytorrent.core.internal.limit.ActiveSlots;
import io.graytorrent.core.internal.limit.RateLimits;
import io.graytorrent.core.internal.merkle.HashExchange;
import io.graytorrent.core.internal.merkle.LayersInTorrentFile;
import io.graytorrent.core.internal.metadata.MetadataParticipant;
import io.graytorrent.core.internal.source.PeerSources;
import io.graytorrent.core.internal.stall.StallWatch;
import io.graytorrent.core.internal.state.TorrentRecord;
import io.graytorrent.core.internal.swarm.ReadThrottle;
import io.graytorrent.core.internal.webseed.WebSeedSettings;
import io.graytorrent.core.internal.webseed.WebSeeds;
import io.graytorrent.core.internal.swarm.Swarm;
import io.graytorrent.core.internal.swarm.Uploads;
import io.graytorrent.core.internal.tracker.AnnounceScheduler;
import io.graytorrent.api.PeerOrigin;
import io.graytorrent.metainfo.MagnetLink;
import io.graytorrent.metainfo.Metainfo;
import io.graytorrent.metainfo.MetainfoException;
import io.graytorrent.metainfo.MetainfoParser;
import io.graytorrent.metainfo.PieceLayers;
import io.graytorrent.peerwire.CloseReason;
import io.graytorrent.peerwire.TorrentEndpoint;
import io.graytorrent.storage.StorageException;
import io.graytorrent.storage.TorrentStorage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One managed torrent, whatever it was added from, through its phases: FETCHING_METADATA (a magnet
 * link, until the info dictionary arrives: {@link MetadataPhase}), CHECKING, DOWNLOADING or QUEUED,
 * SEEDING, and STOPPED or ERROR. Its connections ({@link TorrentPeers}), trackers and peer sources
 * belong to the torrent, not to a phase: when a magnet link's metadata arrives they stay, and the peer
 * that gave the metadata goes on to give data over the same connection.
 *
 * <p>Threading: every field is owned by {@link #executor}; the peer wire's callbacks (on Netty event
 * loops) and storage completions (on the disk pool) hop onto it. Other threads read only the
 * published {@link #status() snapshot} and volatile fields.
 */
public final class TorrentRuntime implements Swarm.Torrent {
    private static final Logger LOG = LoggerFactory.getLogger(TorrentRuntime.class);
    /** How long a peer has to answer one metadata request before it is dropped and others are asked. */
    public static final long METADATA_REQUEST_TIMEOUT_MILLIS = 10_000;
    /** What trackers hear as "left" while the size is unknown: not 0 (a seed), as libtorrent does. */
    private static final long UNKNOWN_LEFT = 16 * 1024;
    private static final long TICK_MILLIS = 1000;
    private static final long STOPPED_WAIT_SECONDS = 5;

    private final int id;
    private final InfoHash infoHash;
    private final EngineContext engine;
    private final SerialExecutor executor;
    private final RateLimits uploadLimits;
    private final RateLimits downloadLimits;
    private final ReadThrottle throttle;
    private final TorrentPeers peers;
    private final AnnounceScheduler announcer;
    private final StallWatch stallWatch;
    /** Completes (on the executor) once the first attempt to open the storage has ended. */
    private final CompletableFuture<Void> openAttempted = new CompletableFuture<>();
    /** Replaced on the executor; read elsewhere only for its fixed fields (id, save directory). */
    private volatile TorrentRecord record;

    /** Piece layers were learnt from peers since the record's .torrent was last rewritten with them. */
    private final AtomicBoolean layersToKeep = new AtomicBoolean();
    /** The first phase of a magnet link; null once its metadata is known. */
    private MetadataPhase metadata;
    /** What the metadata exchange sees: the fetcher, then the info dictionary to serve (none if private). */
    private volatile Optional<MetadataParticipant> participant;

    /** Files, storage and pieces: known once the metadata is. */
    private volatile TorrentContent content;
    private Uploads uploads;

    /** Downloading or seeding: the protocol with the connected peers. */
    private Swarm swarm;
    /** The swarm's web seeds (BEP 19), made and dropped with it. */
    private WebSeeds webSeeds;
    /** Payload received since the record was last saved. */
    private long downloadedNow;
    /** {@link Uploads#uploaded()} when the record was last saved. */
    private long uploadsBase;
    private long lastCheckpoint;
    private String error;
    /** Shut down (engine closing or torrent removed): never runs again. */
    private boolean closed;
    private ScheduledFuture<?> ticker;
    /** When the swarm was last rechoked; the next round comes a choke interval (as configured now) later. */
    private long lastRechoke;
    /** While it runs: the peer sources' knowledge of it, one registration per swarm it joins (a hybrid: two). */
    private List<PeerSources.Registration> peerSources = List.of();

    private volatile TorrentState state;
    /** Connections, trackers and peer sources are live: FETCHING_METADATA, DOWNLOADING, SEEDING, or checking what a magnet link fetched. */
    private volatile boolean active;
    private volatile Snapshot snapshot;
    /** Its data is moving to another directory: no storage meanwhile. */
    private volatile boolean moving;
    /** Seeding time before the current stretch of seeding, and when that stretch began (-1: not seeding). */
    private long seedingMillisBefore;
    private long seedingSince = -1;
    /** When it last uploaded while seeding, and how much it had uploaded then. */
    private long lastUploadAt;
    private long uploadedAtLastCheck = -1;
    private volatile SeedingStatus seeding;

    /** What other threads may read: the last published status and peers. */
    private record Snapshot(TorrentStatus status, List<PeerStatus> peers, List<WebSeedStatus> webSeeds) {
    }

    /** A torrent added from a .torrent, or resumed with the .torrent its record keeps. */
    public TorrentRuntime(EngineContext engine, TorrentRecord record, Metainfo metainfo, RateLimits downloadLimits,
            RateLimits uploadLimits) {
        this(engine, record, metainfo.infoHash(), metainfo.trackerTiers(), metainfo.pieceCount(), metainfo.name(),
                downloadLimits, uploadLimits);
        knowMetainfo(metainfo);
        state = TorrentState.CHECKING;
        publish();
    }

    /** A torrent added from a magnet link, in its first phase until the metadata arrives. */
    public TorrentRuntime(EngineContext engine, TorrentRecord record, MagnetLink magnet, RateLimits downloadLimits,
            RateLimits uploadLimits) {
        this(engine, record, magnet.infoHash(), magnet.trackerTiers(), 0, magnet.name(), downloadLimits, uploadLimits);
        metadata = new MetadataPhase(id, magnet, engine, executor,
                connection -> metadata != null && active && peers.isConnected(connection), this::metadataArrived);
        peers.fetching(metadata);
        magnet.infoHashV2().filter(v2 -> !magnet.isV2Only()).ifPresent(v2 -> peers.hybrid(v2.truncated()));
        participant = Optional.of(metadata);
        state = record.running() ? TorrentState.FETCHING_METADATA : TorrentState.STOPPED;
        publish();
    }

    private TorrentRuntime(EngineContext engine, TorrentRecord record, InfoHash infoHash, List<List<String>> trackerTiers,
            int pieceCount, String name, RateLimits downloadLimits, RateLimits uploadLimits) {
        this.engine = engine;
        this.id = record.id();
        this.record = record;
        this.infoHash = infoHash;
        this.uploadLimits = uploadLimits;
        this.downloadLimits = downloadLimits;
        this.executor = new SerialExecutor(engine.pool());
        this.throttle = new ReadThrottle(downloadLimits, engine.storage().diskPool(), engine.timer());
        this.peers = new TorrentPeers(engine, executor, infoHash, pieceCount, record.peers(), throttle);
        // one identity to the trackers for the torrent's whole life, metadata phase included
        this.announcer = new AnnounceScheduler(infoHash, trackerTiers, engine.trackerClients(), executor, engine.timer(),
                engine.clock(), this::announceProgress,
                () -> new AnnounceScheduler.Identity(engine.wire().localPeerId().toBytes(), engine.wire().listenAddress().getPort()),
                found -> peers.found(found, PeerOrigin.TRACKER), engine::seenAs);
        this.stallWatch = new StallWatch("torrent " + id + " (" + name + ")", engine.clock()::millis,
                () -> engine.settings().stallAfter());
        this.seedingMillisBefore = record.seedingSeconds() * 1000;
        this.seeding = new SeedingStatus(record.options().seedingGoals().over(engine.seedingGoals()), 0,
                record.seedingSeconds(), 0);
    }

    /** The metadata is known (at construction, or fetched): what needs it is made now. On the executor after construction. */
    private void knowMetainfo(Metainfo known) {
        uploads = new Uploads(known, executor, engine.timer(), uploadLimits, engine.wire().requestQueueLength());
        participant = known.isPrivate() ? Optional.empty() : Optional.of(MetadataParticipant.serving(known.info()));
        content = new TorrentContent(known);
        List<InfoHash> swarms = known.swarmHashes();
        announcer.alsoAnnounceAs(swarms.subList(1, swarms.size()));
        peers.metadataKnown(known.pieceCount(), known.isPrivate(), swarms.stream().skip(1).findFirst());
    }

    // ---- lifecycle, called from any thread ----

    /**
     * Begins: a magnet link fetches its metadata if the record says running; a torrent opens its
     * storage (fast resume, or hashing what is on disk), then starts if the record says running.
     * {@code priorities}: one per file for a new torrent, or empty for the resume record's.
     */
    public void open(List<FilePriority> priorities) {
        if (content == null) {
            executor.execute(() -> {
                if (record.running()) {
                    fetchMetadata();
                }
                publish();
            });
        } else {
            openStorage(priorities);
        }
    }

    /** Completes on the executor once the storage's opening has been handled (opened, or the torrent in error). */
    private CompletableFuture<Void> openStorage(List<FilePriority> priorities) {
        CompletableFuture<Void> handled = new CompletableFuture<>();
        engine.storage().open(content.metainfo, record.saveDirectory(), priorities).whenComplete((result, failure) ->
                executor.execute(() -> {
                    try {
                        opened(result, failure);
                    } finally {
                        handled.complete(null);
                    }
                }));
        return handled;
    }

    /** The storage's opening ended: the torrent runs (or waits, or stops) with what it verified, or is in error. */
    private void opened(TorrentStorage result, Throwable failure) {
        openAttempted.complete(null);
        if (failure != null) {
            fail(failure);
            return;
        }
        if (closed) {
            result.closeAsync(); // shut down while it was opening
            return;
        }
        content.opened(result);
        // v2 and hybrid: peers' hash requests are answered; a magnet link's torrent fetches its missing piece layers
        // (a hybrid from peers connected under its v2 hash), a hybrid to answer its v2 peers' hash requests
        result.pieceLayers().ifPresent(layers -> peers.hashExchange(new HashExchange(id, layers, true, engine.clock(),
                HashExchange.leavesFrom(result, layers))));
        // a v2 file's piece layer learnt from peers makes its pieces pickable, and is kept in the record's .torrent
        result.pieceLayers().ifPresent(layers -> layers.onLearned(file -> {
            layersToKeep.set(true);
            // a hybrid verified the file's pieces by SHA-1 alone until now: a piece that does not match the layer too
            // means the torrent's two views describe different data, and it stops in error
            result.checkLearntLayer(file).whenComplete((checked, inconsistent) -> {
                if (inconsistent != null) {
                    executor.execute(() -> diskFailed(inconsistent));
                }
            });
            executor.execute(() -> {
                if (swarm != null) {
                    swarm.setPiecePriorities(content.piecePriorities());
                }
                keepLearntLayers(layers);
            });
        }));
        result.error().ifPresentOrElse(this::fail, () -> {
            if (record.running()) {
                startNow();
            } else {
                state = TorrentState.STOPPED;
            }
        });
        publish();
    }

    /**
     * Writes the piece layers learnt from peers into the record's .torrent, so that a restart knows them: it need not
     * ask peers again, and can verify the data with none. Layers learnt in a burst are written once.
     */
    private void keepLearntLayers(PieceLayers layers) {
        if (layersToKeep.getAndSet(false) && !closed) {
            record = record.withTorrentFile(LayersInTorrentFile.with(record.torrentFile(), layers));
            saveRecord();
        }
    }

    public void start() {
        executor.execute(() -> {
            setRunning(true);
            if (moving) {
                return; // it resumes from the new place, as the record now says
            }
            if (metadata != null) {
                error = null;
                fetchMetadata();
            } else if (content.storage() == null && state == TorrentState.ERROR) {
                error = null;
                state = TorrentState.CHECKING;
                openStorage(List.of()); // the storage did not open last time
            } else if (state == TorrentState.ERROR) {
                error = null;
                content.storage().retry().whenComplete((done, failure) -> executor.execute(() -> {
                    content.refreshFromStorage();
                    content.storage().error().ifPresentOrElse(this::fail, this::startNow);
                }));
            } else if (content.storage() != null && swarm == null && state != TorrentState.QUEUED && state != TorrentState.CHECKING) {
                startNow(); // else running or waiting already; or the storage's opening / verify() starts it when done
            }
            publish();
        });
    }

    public void stop() {
        executor.execute(() -> {
            setRunning(false);
            deactivate();
            if (state != TorrentState.CHECKING && state != TorrentState.ERROR && state != TorrentState.MOVING) {
                state = TorrentState.STOPPED;
            }
            checkpoint();
            publish();
        });
    }

    /** Re-hashes the data; the torrent shows CHECKING and continues as it was (running or stopped). */
    public void verify() {
        if (content == null) {
            throw new IllegalStateException("a magnet link without metadata has nothing to verify");
        }
        whenOpened(() -> {
            if (content.storage() == null || state == TorrentState.CHECKING || moving) {
                return;
            }
            deactivate();
            state = TorrentState.CHECKING;
            publish();
            content.storage().recheck((checked, total) -> { }).whenComplete((verified, failure) -> executor.execute(() -> {
                if (failure != null) {
                    fail(failure);
                } else {
                    content.refreshFromStorage();
                    if (record.running()) {
                        startNow();
                    } else {
                        state = TorrentState.STOPPED;
                    }
                }
                publish();
            }));
        });
    }

    /**
     * Stops for good: disconnects, tells the trackers (waiting at most {@link #STOPPED_WAIT_SECONDS}),
     * checkpoints and closes the storage, keeping the record's running flag.
     */
    public CompletableFuture<Void> shutdown() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        executor.execute(() -> {
            closed = true;
            CompletableFuture<Void> trackersTold = announcer.stop().completeOnTimeout(null, STOPPED_WAIT_SECONDS, TimeUnit.SECONDS);
            deactivate();
            saveRecord();
            TorrentStorage storage = content == null ? null : content.storage();
            CompletableFuture<Void> closedStorage = storage == null ? CompletableFuture.completedFuture(null)
                    : storage.closeAsync().handle((v, f) -> null);
            CompletableFuture.allOf(trackersTold, closedStorage).whenComplete((v, f) -> done.complete(null));
        });
        return done;
    }

    /** Sets priorities (the caller has checked the indexes against the metadata). */
    public void setFilePriority(List<Integer> files, FilePriority priority) {
        if (content == null) {
            throw new IllegalStateException("a magnet link without metadata has no files");
        }
        whenOpened(() -> {
            if (content.storage() == null) {
                return;
            }
            // the picker follows at once: waiting for the disk would let a running swarm fetch a skipped file
            List<FilePriority> changed = content.setPriority(files, priority);
            if (swarm != null) {
                swarm.setPiecePriorities(content.piecePriorities());
                applyPieceOrder();
            }
            content.storage().setFilePriorities(changed).whenComplete((done, failure) -> executor.execute(() -> {
                if (failure != null) {
                    fail(failure);
                    return;
                }
                content.refreshVerified();
                boolean seeding = state == TorrentState.SEEDING;
                if (swarm != null && seeding != isComplete()) {
                    startNow(); // asks for a slot of the other kind
                }
                publish();
            }));
        });
    }

    /** New piece order and seeding goals: kept in the record, followed by the swarm at once. */
    public void setOptions(TorrentOptions options) {
        executor.execute(() -> {
            record = record.withOptions(options);
            saveRecord();
            if (swarm != null) {
                applyPieceOrder();
            }
            if (content != null) {
                checkSeedingGoals(engine.clock().millis());
            }
            publish();
        });
    }

    public boolean isMoving() {
        return moving;
    }

    /**
     * Moves the data below {@code directory}: pauses (no connections, storage closed), has the storage
     * service move the files and point the resume record there, then opens the storage at the new place
     * (or, after a failure, at the old one) and runs again if it was running. The future completes with
     * the status once it is open again, or fails with the reason the data stayed.
     */
    public CompletableFuture<TorrentStatus> move(Path directory) {
        CompletableFuture<TorrentStatus> done = new CompletableFuture<>();
        whenOpened(() -> {
            Path from = record.saveDirectory();
            if (closed || moving) {
                done.completeExceptionally(closed ? new TorrentException(Kind.NOT_FOUND, "the torrent was removed")
                        : new TorrentException(Kind.BUSY, "its data is moving already"));
                return;
            }
            if (from.equals(directory)) {
                done.complete(status());
                return;
            }
            moving = true;
            deactivate();
            error = null;
            state = TorrentState.MOVING;
            publish();
            LOG.info("torrent {} ({}): moving its data from {} to {}", id, content.metainfo.name(), from, directory);
            TorrentStorage storage = content.storage();
            content.closing();
            CompletableFuture<Void> storageClosed = storage == null ? CompletableFuture.completedFuture(null)
                    : storage.closeAsync();
            storageClosed.thenCompose(ignored -> engine.storage().move(content.metainfo, from, directory))
                    .whenComplete((moved, failure) -> executor.execute(() -> {
                        moving = false;
                        if (closed) {
                            done.completeExceptionally(new TorrentException(Kind.NOT_FOUND, "the torrent was removed while moving"));
                            return;
                        }
                        if (failure == null) {
                            record = record.withSaveDirectory(directory);
                            saveRecord();
                        } else {
                            LOG.warn("torrent {} ({}): its data stays in {}: {}", id, content.metainfo.name(), from,
                                    Completions.cause(failure).getMessage());
                        }
                        state = TorrentState.CHECKING;
                        publish();
                        openStorage(List.of()).whenComplete((opened, openFailure) -> {
                            if (failure != null) {
                                done.completeExceptionally(Completions.cause(failure));
                            } else {
                                done.complete(status());
                            }
                        });
                    }));
        });
        return done;
    }

    /** Runs the task on the executor once the storage has opened (or failed to). */
    private void whenOpened(Runnable task) {
        openAttempted.thenRun(() -> executor.execute(task));
    }

    public void connect(InetSocketAddress peer) {
        executor.execute(() -> {
            if (peers.addManual(peer)) {
                record = record.withProgress(record.running(), record.uploaded(), record.downloaded(), peers.candidates());
                saveRecord();
            }
        });
    }

    /** A waiting torrent got its slot. */
    public void promoted() {
        executor.execute(() -> {
            if (record.running() && swarm == null && !closed && state == TorrentState.QUEUED) {
                startSwarm(isComplete());
            }
        });
    }

    /** Closes connections to a banned address. */
    public void closePeersAt(InetAddress address) {
        executor.execute(() -> peers.closePeersWhere(address::equals,
                CloseReason.misbehaviour("banned: sent data that failed hash checks")));
    }

    /** Closes connections to addresses the blocklist now blocks, each counted as refused by it. */
    public void closeBlockedPeers(BlocklistService blocklist) {
        executor.execute(() -> peers.closePeersWhere(blocklist::blocks, CloseReason.normal("on the blocklist loaded now"))
                .forEach(blocklist::refused));
    }

    public void trackerClientArrived() {
        executor.execute(announcer::clientArrived);
    }

    // ---- what the engine and users read, from any thread ----

    public int id() {
        return id;
    }

    public InfoHash infoHash() {
        return infoHash;
    }

    /**
     * The infohashes of the swarms it joins, {@link #infoHash()} first: a hybrid torrent's truncated v2 infohash
     * follows, under which it is announced too and accepts connections as the same torrent.
     */
    public List<InfoHash> swarmHashes() {
        TorrentContent known = content;
        return known == null ? List.of(infoHash) : known.metainfo.swarmHashes();
    }

    /** The parsed .torrent; empty while a magnet link's metadata is being fetched. */
    public Optional<Metainfo> metainfo() {
        TorrentContent known = content;
        return known == null ? Optional.empty() : Optional.of(known.metainfo);
    }

    public TorrentRecord record() {
        return record;
    }

    /** Where incoming connections for this torrent go, while it runs. */
    public Optional<TorrentEndpoint> activeEndpoint() {
        return active ? Optional.of(peers.endpoint()) : Optional.empty();
    }

    /** What the metadata exchange sees of it; empty for a private torrent, which keeps its metadata to itself. */
    public Optional<MetadataParticipant> metadataParticipant() {
        return participant;
    }

    public List<TrackerStatus> trackers() {
        return announcer.statuses();
    }

    public TorrentStatus status() {
        return snapshot.status();
    }

    public SeedingStatus seedingStatus() {
        return seeding;
    }

    public List<PeerStatus> peerStatuses() {
        return snapshot.peers();
    }

    /** The web seeds in use; none before the metadata is known or while the torrent does not run. */
    public List<WebSeedStatus> webSeedStatuses() {
        return snapshot.webSeeds();
    }

    /** Files with their verified bytes, none before the metadata is known; reads the storage's thread-safe copies. */
    public List<FileStatus> files() {
        TorrentContent known = content;
        return known == null ? List.of() : known.files();
    }

    /** Verified pieces from the storage's thread-safe copy; availability is read on the executor. */
    public CompletableFuture<PieceMap> pieceMap() {
        CompletableFuture<PieceMap> map = new CompletableFuture<>();
        executor.execute(() -> {
            TorrentStorage opened = content == null ? null : content.storage();
            map.complete(new PieceMap(content == null ? 0 : content.metainfo.pieceCount(),
                    opened == null ? new BitSet() : opened.verifiedPieces(),
                    swarm == null ? new int[0] : swarm.availability()));
        });
        return map;
    }

    // ---- phase transitions, on the executor ----

    private void fetchMetadata() {
        if (active || closed) {
            return;
        }
        state = TorrentState.FETCHING_METADATA;
        LOG.info("torrent {} ({}): fetching metadata", id, metadata.magnet().name());
        activate(false);
    }

    /** The info dictionary arrived and matches the infohash: the torrent checks its data, keeping its connections. */
    private void metadataArrived(byte[] info) {
        byte[] torrentFile = metadata.magnet().toTorrentFile(info);
        Metainfo arrived;
        try {
            arrived = new MetainfoParser().parseMetadata(torrentFile); // piece layers, if v2, come from peers
        } catch (MetainfoException e) {
            // it matches the infohash, so no peer is to blame: the torrent itself is unusable
            error = "the torrent's metadata is unusable: " + e.getMessage();
            LOG.warn("torrent {} ({}): {}", id, metadata.magnet().name(), error);
            deactivate();
            state = TorrentState.ERROR;
            publish();
            return;
        }
        LOG.info("torrent {} ({}): metadata verified, {} bytes ({} peers offered it)", id, arrived.name(), info.length,
                metadata.sourceCount());
        List<FilePriority> selected = metadata.filePriorities(arrived);
        metadata = null;
        peers.fetching(null);
        knowMetainfo(arrived);
        engine.swarmHashesKnown(this); // a hybrid: its v2 hash's handshakes reach it now, not after a restart
        record = record.withTorrentFile(torrentFile);
        saveRecord();
        state = TorrentState.CHECKING;
        publish();
        openStorage(selected);
    }

    /** The data is checked: asks for a slot of its kind (downloading or seeding) and runs, or waits for one. */
    private void startNow() {
        if (closed) {
            return;
        }
        if (swarm != null) {
            deactivate(); // a running torrent asks anew (it became a seed, or a download again)
        }
        boolean seeding = isComplete();
        ActiveSlots.Grant<TorrentRuntime> grant = engine.slots().request(this, seeding);
        engine.promote(grant.promoted());
        if (grant.granted()) {
            startSwarm(seeding);
        } else {
            quiet(); // keeping its place in the queue
            state = TorrentState.QUEUED;
            publish();
        }
    }

    /** Downloading or seeding begins; the connections a magnet link made meanwhile join the swarm. */
    private void startSwarm(boolean seeding) {
        swarm = new Swarm(this, content.metainfo, executor, engine.clock(), content.storage(), uploads, throttle,
                content.piecePriorities(), engine.pieceBudget(), engine.settings().optimisticRotation().toMillis());
        webSeeds = new WebSeeds(content.metainfo, swarm, executor, engine.timer(), downloadLimits, WebSeedSettings.DEFAULTS,
                WebSeeds::sharedClient);
        applyPieceOrder();
        state = seeding ? TorrentState.SEEDING : TorrentState.DOWNLOADING;
        LOG.info("torrent {} ({}): {}", id, content.metainfo.name(), state);
        lastRechoke = engine.clock().millis();
        if (active) {
            stallWatch.restart();
            if (content.metainfo.isPrivate()) {
                peerSources.forEach(PeerSources.Registration::stop); // BEP 27: the sources that must not hear of it stop now that it is known
            }
            tellPeerSources(seeding);
        } else {
            activate(seeding);
        }
        peers.startSwarm(swarm);
        publish();
        checkSeedingGoals(engine.clock().millis()); // seeding time counts from now; a goal already met stops it
    }

    private void applyPieceOrder() {
        TorrentOptions options = record.options();
        swarm.setPieceOrder(options.sequential(), options.firstLastPiecesFirst() ? content.edgePieces() : new BitSet());
    }

    /**
     * Counts seeding time (across restarts) and idle time (since the last upload while seeding), and
     * applies the action when a goal (its own, or the global one it follows) is reached. Each tick.
     */
    private void checkSeedingGoals(long now) {
        boolean seedingNow = state == TorrentState.SEEDING && active;
        long uploaded = totalUploaded();
        if (seedingNow && seedingSince < 0) {
            seedingSince = now;
            lastUploadAt = now;
            uploadedAtLastCheck = uploaded;
        } else if (!seedingNow && seedingSince >= 0) {
            seedingMillisBefore += now - seedingSince;
            seedingSince = -1;
        }
        if (seedingNow && uploaded != uploadedAtLastCheck) {
            lastUploadAt = now;
            uploadedAtLastCheck = uploaded;
        }
        SeedingGoals goals = record.options().seedingGoals().over(engine.seedingGoals());
        long seedingSeconds = seedingSeconds(now);
        long idleSeconds = seedingNow ? (now - lastUploadAt) / 1000 : 0;
        long base = totalDownloaded() > 0 ? totalDownloaded() : content == null ? 0 : content.wantedBytes();
        double ratio = base == 0 ? 0 : (double) uploaded / base;
        seeding = new SeedingStatus(goals, ratio, seedingSeconds, idleSeconds);
        String reached = seedingNow ? goals.reached(ratio, seedingSeconds, idleSeconds) : null;
        if (reached != null) {
            LOG.info("torrent {} ({}): seeding goal met, {}; {}", id, content.metainfo.name(), reached,
                    goals.action() == SeedingGoals.Action.REMOVE ? "removing it (data kept)" : "stopping it");
            setRunning(false);
            deactivate();
            state = TorrentState.STOPPED;
            checkpoint();
            saveRecord();
            if (goals.action() == SeedingGoals.Action.REMOVE) {
                engine.seedingGoalReached(this);
            }
        }
    }

    private long seedingSeconds(long now) {
        return (seedingMillisBefore + (seedingSince < 0 ? 0 : now - seedingSince)) / 1000;
    }

    /** Connections, trackers and peer sources go live. */
    private void activate(boolean seeding) {
        active = true;
        stallWatch.restart();
        ticker = engine.timer().scheduleWithFixedDelay(() -> executor.execute(this::tick), TICK_MILLIS, TICK_MILLIS,
                TimeUnit.MILLISECONDS);
        peers.activate();
        announcer.start();
        tellPeerSources(seeding);
    }

    /**
     * The peer sources may look for peers (trackers only, if private); told again once we seed. A
     * magnet link is not known to be private before its metadata: finding that metadata is what sources are for.
     */
    private void tellPeerSources(boolean seeding) {
        boolean isPrivate = content != null && content.metainfo.isPrivate();
        peerSources = swarmHashes().stream().map(hash -> engine.peerSources().started(new RunningTorrent(hash, isPrivate,
                engine.wire().listenAddress().getPort(), seeding),
                (peer, origin) -> executor.execute(() -> peers.found(List.of(peer), origin)))).toList();
    }

    /** Leaves the active set: no connections, no timers, slot given up. */
    private void deactivate() {
        quiet();
        engine.promote(engine.slots().release(this));
    }

    /** No connections, no timers, no trackers or peer sources; the slot (or place in its queue) is kept. */
    private void quiet() {
        if (seedingSince >= 0) {
            seedingMillisBefore += engine.clock().millis() - seedingSince;
            seedingSince = -1;
        }
        if (active) {
            active = false;
            announcer.stop();
            peerSources.forEach(PeerSources.Registration::stop);
            ticker.cancel(false);
            if (webSeeds != null) {
                webSeeds.close();
                webSeeds = null;
            }
            peers.deactivate();
            swarm = null;
        }
    }

    private void fail(Throwable failure) {
        Throwable cause = Completions.cause(failure);
        deactivate();
        state = TorrentState.ERROR;
        error = cause.getMessage();
        LOG.warn("torrent {} ({}) stopped by an error: {}", id, content.metainfo.name(), error);
        publish();
    }

    private void onComplete() {
        LOG.info("torrent {} ({}): every wanted piece verified", id, content.metainfo.name());
        checkpoint();
        swarm.completed();
        announcer.completed();
        tellPeerSources(true);
        ActiveSlots.Grant<TorrentRuntime> grant = engine.slots().request(this, true);
        engine.promote(grant.promoted());
        if (grant.granted()) {
            state = TorrentState.SEEDING;
        } else {
            quiet(); // keeping its place in the queue
            state = TorrentState.QUEUED;
        }
        saveRecord();
        publish();
        checkSeedingGoals(engine.clock().millis());
    }

    /** Read from the settings at each round, so a changed choke interval or rotation applies without a restart. */
    private void rechokeWhenDue(long now) {
        EngineSettings settings = engine.settings();
        if (now - lastRechoke >= settings.chokeInterval().toMillis()) {
            lastRechoke = now;
            swarm.setOptimisticRotation(settings.optimisticRotation().toMillis());
            swarm.rechoke(state == TorrentState.SEEDING);
        }
    }

    private void tick() {
        if (!active) {
            return;
        }
        long now = engine.clock().millis();
        peers.dial();
        if (metadata != null) {
            metadata.tick(now);
        }
        if (swarm != null) {
            swarm.tick(now);
            webSeeds.tick();
            rechokeWhenDue(now);
            throttle.refresh();
        }
        if (state == TorrentState.DOWNLOADING || state == TorrentState.FETCHING_METADATA) {
            // nothing counts as progress while fetching but the metadata, which ends the phase
            stallWatch.check(totalDownloaded(), () -> peers.situation(announcer.statuses(),
                    webSeeds == null ? List.of() : webSeeds.statuses(), engine.wire().route().problem()));
        }
        if (content != null) {
            checkSeedingGoals(now);
        }
        if (content != null && active && now - lastCheckpoint >= engine.settings().checkpointInterval().toMillis()) {
            checkpoint();
            saveRecord();
        }
        publish();
    }

    private void checkpoint() {
        lastCheckpoint = engine.clock().millis();
        if (content != null && content.storage() != null) {
            content.storage().checkpoint().exceptionally(failure -> {
                executor.execute(() -> diskFailed(failure));
                return null;
            });
        }
    }

    private void setRunning(boolean running) {
        record = record.withProgress(running, record.uploaded(), record.downloaded(), record.peers());
        saveRecord();
    }

    private void saveRecord() {
        record = record.withProgress(record.running(), totalUploaded(), totalDownloaded(), record.peers())
                .withSeedingSeconds(seedingSeconds(engine.clock().millis()));
        downloadedNow = 0;
        uploadsBase = uploads == null ? 0 : uploads.uploaded();
        engine.saveRecord(record);
    }

    private long totalUploaded() {
        return record.uploaded() + (uploads == null ? 0 : uploads.uploaded() - uploadsBase);
    }

    private long totalDownloaded() {
        return record.downloaded() + downloadedNow;
    }

    private AnnounceScheduler.Progress announceProgress() {
        if (content == null) {
            return new AnnounceScheduler.Progress(totalUploaded(), totalDownloaded(), UNKNOWN_LEFT);
        }
        long left = content.wantedBytes() - content.verifiedWantedBytes();
        return new AnnounceScheduler.Progress(totalUploaded(), totalDownloaded(), left);
    }

    // ---- Swarm.Torrent, on the executor ----

    @Override
    public BitSet have() {
        return content.have();
    }

    @Override
    public boolean isComplete() {
        return content.isComplete();
    }

    @Override
    public void pieceVerified(int piece) {
        content.have().set(piece);
        if (isComplete()) {
            onComplete();
        }
    }

    @Override
    public void downloaded(int bytes) {
        downloadedNow += bytes;
    }

    @Override
    public void badDataFrom(InetAddress address) {
        engine.recordHashFailure(address);
    }

    @Override
    public void diskFailed(Throwable failure) {
        Throwable cause = Completions.cause(failure);
        if (cause instanceof StorageException e && !e.reason().putsTorrentInError()) {
            return; // closed or already in error: nothing new
        }
        fail(cause);
    }

    // ---- status ----

    private void publish() {
        TorrentContent known = content;
        TorrentPeers.Summary connected = peers.summary(known == null ? 0 : known.metainfo.pieceCount());
        long wantedBytes = known == null ? 0 : known.wantedBytes();
        long verifiedBytes = known == null ? 0 : known.verifiedWantedBytes();
        List<WebSeedStatus> webSeedStatuses = webSeeds == null ? List.of() : webSeeds.statuses();
        long downloadRate = connected.downloadRate()
                + webSeedStatuses.stream().mapToLong(WebSeedStatus::downloadRate).sum();
        OptionalLong eta = state == TorrentState.DOWNLOADING && downloadRate > 0
                ? OptionalLong.of((wantedBytes - verifiedBytes + downloadRate - 1) / downloadRate) : OptionalLong.empty();
        boolean stallShown = active && (state == TorrentState.DOWNLOADING || state == TorrentState.FETCHING_METADATA);
        TorrentStatus status = new TorrentStatus(id, infoHash, known == null ? metadata.magnet().name() : known.metainfo.name(),
                known == null ? record.saveDirectory() : known.dataRoot(record.saveDirectory()), state,
                known == null ? 0 : known.totalBytes(), wantedBytes, verifiedBytes, downloadRate,
                connected.uploadRate(), totalDownloaded(), totalUploaded(), connected.statuses().size(), connected.seeds(),
                eta, Optional.ofNullable(error), stallShown ? stallWatch.stall() : Optional.empty(),
                TorrentStatus.countBySource(connected.statuses()),
                (int) webSeedStatuses.stream().filter(seed -> !seed.state().equals("dropped")).count(),
                known == null ? Optional.empty() : known.metainfo.v2().map(v2 -> v2.infoHash().toHex()));
        Snapshot previous = snapshot;
        snapshot = new Snapshot(status, connected.statuses(), webSeedStatuses);
        if (previous == null || !status.equals(previous.status())) {
            engine.published(this, status);
        }
    }
}
