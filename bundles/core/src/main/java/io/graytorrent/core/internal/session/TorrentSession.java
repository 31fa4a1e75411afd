package io.graytorrent.core.internal.session;

import io.graytorrent.api.util.Completions;
import io.graytorrent.core.internal.swarm.Peer;
import io.graytorrent.core.internal.limit.ActiveSlots;
import io.graytorrent.core.internal.concurrent.SerialExecutor;
import io.graytorrent.core.internal.connect.Admission;
import io.graytorrent.core.internal.connect.Connector;
import io.graytorrent.core.internal.files.TorrentLayout;
import io.graytorrent.core.internal.source.PeerSources;
import io.graytorrent.core.internal.state.TorrentRecord;
import io.graytorrent.core.internal.swarm.ReadThrottle;
import io.graytorrent.core.internal.swarm.Swarm;
import io.graytorrent.core.internal.swarm.Uploads;
import io.graytorrent.core.internal.webseed.WebSeedSettings;
import io.graytorrent.core.internal.webseed.WebSeeds;
import io.graytorrent.api.FilePriority;
import io.graytorrent.api.FileStatus;
import io.graytorrent.api.InfoHash;
import io.graytorrent.api.PeerOrigin;
import io.graytorrent.api.PeerStatus;
import io.graytorrent.api.RunningTorrent;
import io.graytorrent.api.PieceMap;
import io.graytorrent.api.TorrentState;
import io.graytorrent.api.TorrentStatus;
import io.graytorrent.api.TrackerStatus;
import io.graytorrent.api.WebSeedStatus;
import io.graytorrent.core.internal.limit.RateLimits;
import io.graytorrent.core.internal.metadata.MetadataParticipant;
import io.graytorrent.core.internal.stall.Situation;
import io.graytorrent.core.internal.stall.StallWatch;
import io.graytorrent.core.internal.tracker.AnnounceScheduler;
import io.graytorrent.metainfo.Metainfo;
import io.graytorrent.peerwire.CloseReason;
import io.graytorrent.peerwire.ExtensionHandshake;
import io.graytorrent.peerwire.PeerConnection;
import io.graytorrent.peerwire.PeerListener;
import io.graytorrent.peerwire.PeerMessage;
import io.graytorrent.peerwire.TorrentEndpoint;
import io.graytorrent.storage.StorageException;
import io.graytorrent.storage.TorrentStorage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One managed torrent: its record, its storage, its {@link Swarm} while it runs, and its life from
 * CHECKING through DOWNLOADING/QUEUED/SEEDING to STOPPED or ERROR. Threading: every field is owned by {@link #executor}; the peer wire's callbacks
 * ({@link PeerListener}, on Netty event loops) and storage completions (on the disk pool) hop onto it.
 * Other threads read only the published {@link #status() snapshot} and volatile flags.
 */
public final class TorrentSession extends ManagedTorrent implements PeerListener, Swarm.Torrent {
    private static final Logger LOG = LoggerFactory.getLogger(TorrentSession.class);
    private static final long TICK_MILLIS = 1000;
    private static final long STOPPED_WAIT_SECONDS = 5;

    final int id;
    final Metainfo metainfo;
    final TorrentEndpoint endpoint;
    final SerialExecutor executor;
    private final EngineContext engine;
    private final TorrentLayout layout;
    private final Uploads uploads;
    private final ReadThrottle throttle;
    private final RateLimits downloadLimits;
    private final Admission.Gate gate;
    /** Completes (on the executor) once the first attempt to open the storage has ended. */
    private final CompletableFuture<Void> openAttempted = new CompletableFuture<>();

    private final Connector connector;
    private final AnnounceScheduler announcer;
    private final StallWatch stallWatch;
    /** Empty for a private torrent: BEP 27 keeps its metadata among the tracker's peers. */
    private final Optional<MetadataParticipant> metadataParticipant;
    /** Replaced on the executor; read elsewhere only for its fixed fields (id, save directory). */
    private volatile TorrentRecord record;
    private volatile TorrentStorage storage;
    /** The connected peers while the torrent runs; null while it does not. */
    private Swarm swarm;
    /** The swarm's web seeds, made and closed with it. */
    private WebSeeds webSeeds;
    private BitSet have = new BitSet();
    private List<FilePriority> priorities;
    private BitSet wanted;
    /** Payload received since the record was last saved. */
    private long downloadedNow;
    /** {@link Uploads#uploaded()} when the record was last saved. */
    private long uploadsBase;
    private long lastCheckpoint;
    private String error;
    /** Shut down (engine closing or torrent removed): never runs again. */
    private boolean closed;
    private ScheduledFuture<?> ticker;
    private ScheduledFuture<?> choking;
    /** While it runs: the peer sources' knowledge of it. */
    private PeerSources.Registration peerSources;

    private volatile TorrentState state = TorrentState.CHECKING;
    private volatile boolean active;
    private volatile Snapshot snapshot;

    /** What other threads may read: the last published status and peers. */
    private record Snapshot(TorrentStatus status, List<PeerStatus> peers, List<WebSeedStatus> webSeeds) {
    }

    public TorrentSession(EngineContext engine, TorrentRecord record, Metainfo metainfo, RateLimits downloadLimits,
            RateLimits uploadLimits) {
        this.engine = engine;
        this.id = record.id();
        this.record = record;
        this.metainfo = metainfo;
        this.layout = new TorrentLayout(metainfo);
        this.executor = new SerialExecutor(engine.pool());
        this.endpoint = new TorrentEndpoint(metainfo.infoHash(), metainfo.pieceCount(), this);
        this.downloadLimits = downloadLimits;
        this.throttle = new ReadThrottle(downloadLimits, engine.storage().diskPool(), engine.timer());
        this.uploads = new Uploads(metainfo, executor, engine.timer(), uploadLimits,
                engine.wire().requestQueueLength());
        this.gate = engine.admission().gate();
        this.connector = new Connector(engine.admission(), engine.wire(), engine.clock(), endpoint, executor,
                record.peers());
        this.priorities = Collections.nCopies(metainfo.files().size(), FilePriority.NORMAL);
        this.wanted = layout.wantedPieces(priorities);
        this.metadataParticipant = metainfo.isPrivate() ? Optional.empty()
                : Optional.of(MetadataParticipant.serving(metainfo.info()));
        this.announcer = new AnnounceScheduler(metainfo.infoHash(), metainfo.trackerTiers(), engine.trackerClients(),
                executor, engine.timer(), this::announceProgress,
                () -> new AnnounceScheduler.Identity(engine.wire().localPeerId().toBytes(), engine.wire().listenAddress().getPort()),
                peers -> found(peers, PeerOrigin.TRACKER), engine::seenAs);
        this.stallWatch = new StallWatch("torrent " + id + " (" + metainfo.name() + ")", engine.clock()::millis,
                engine.settings().stallAfter());
        publish();
    }

    // ---- lifecycle, called from any thread ----

    /**
     * Opens the storage (fast resume, or hashing what is on disk), then starts if the record says
     * running. {@code priorities}: one per file for a new torrent, or empty for the resume record's.
     */
    public void open(List<FilePriority> priorities) {
        engine.storage().open(metainfo, record.saveDirectory(), priorities).whenComplete((result, failure) ->
                executor.execute(() -> {
                    openAttempted.complete(null);
                    if (failure != null) {
                        fail(failure);
                        return;
                    }
                    if (closed) {
                        result.closeAsync(); // shut down while it was opening
                        return;
                    }
                    storage = result;
                    refreshFromStorage();
                    storage.error().ifPresentOrElse(this::fail, () -> {
                        if (record.running()) {
                            startNow();
                        } else {
                            state = TorrentState.STOPPED;
                        }
                    });
                    publish();
                }));
    }

    public void start() {
        executor.execute(() -> {
            record = record.withProgress(true, record.uploaded(), record.downloaded(), record.peers());
            saveRecord();
            if (storage == null && state == TorrentState.ERROR) {
                error = null;
                state = TorrentState.CHECKING;
                open(List.of()); // the storage did not open last time
                return;
            }
            if (storage == null || active || state == TorrentState.QUEUED || state == TorrentState.CHECKING) {
                return; // running or waiting already; or open() / verify() starts it when done
            }
            if (state == TorrentState.ERROR) {
                error = null;
                storage.retry().whenComplete((done, failure) -> executor.execute(() -> {
                    refreshFromStorage();
                    storage.error().ifPresentOrElse(this::fail, this::startNow);
                }));
                return;
            }
            startNow();
        });
    }

    public void stop() {
        executor.execute(() -> {
            record = record.withProgress(false, record.uploaded(), record.downloaded(), record.peers());
            deactivate();
            if (state != TorrentState.CHECKING && state != TorrentState.ERROR) {
                state = TorrentState.STOPPED;
            }
            checkpoint();
            publish();
        });
    }

    /** Re-hashes the data; the torrent shows CHECKING and continues as it was (running or stopped). */
    public void verify() {
        whenOpened(() -> {
            if (storage == null || state == TorrentState.CHECKING) {
                return;
            }
            deactivate();
            state = TorrentState.CHECKING;
            publish();
            storage.recheck((checked, total) -> { }).whenComplete((verified, failure) -> executor.execute(() -> {
                if (failure != null) {
                    fail(failure);
                } else {
                    refreshFromStorage();
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
            CompletableFuture<Void> closedStorage = storage == null ? CompletableFuture.completedFuture(null)
                    : storage.closeAsync().handle((v, f) -> null);
            CompletableFuture.allOf(trackersTold, closedStorage).whenComplete((v, f) -> done.complete(null));
        });
        return done;
    }

    public void setFilePriority(List<Integer> files, FilePriority priority) {
        whenOpened(() -> {
            if (storage == null) {
                return;
            }
            List<FilePriority> changed = new ArrayList<>(priorities);
            files.forEach(file -> changed.set(file, priority));
            // the picker follows at once: waiting for the disk would let a running swarm fetch a skipped file
            priorities = List.copyOf(changed);
            wanted = layout.wantedPieces(priorities);
            if (swarm != null) {
                swarm.setPiecePriorities(layout.piecePriorities(priorities));
            }
            storage.setFilePriorities(changed).whenComplete((done, failure) -> executor.execute(() -> {
                if (failure != null) {
                    fail(failure);
                    return;
                }
                have = storage.verifiedPieces(); // selected edge pieces may have moved into place
                boolean seeding = state == TorrentState.SEEDING;
                if (active && seeding != isComplete()) {
                    startNow(); // asks for a slot of the other kind
                }
                publish();
            }));
        });
    }

    /** Runs the task on the executor once the storage has opened (or failed to). */
    private void whenOpened(Runnable task) {
        openAttempted.thenRun(() -> executor.execute(task));
    }

    public void connect(InetSocketAddress peer) {
        executor.execute(() -> {
            if (connector.add(peer, PeerOrigin.MANUAL)) {
                record = record.withProgress(record.running(), record.uploaded(), record.downloaded(),
                        connector.candidates());
                saveRecord();
            }
            connectCandidates();
        });
    }

    /** A waiting torrent got its slot. */
    public void promoted() {
        executor.execute(() -> {
            if (record.running() && !active && !closed && state == TorrentState.QUEUED) {
                activate(isComplete());
            }
        });
    }

    /** Closes connections to a banned address. */
    public void closePeersAt(InetAddress address) {
        executor.execute(() -> {
            if (swarm != null) {
                swarm.closePeersAt(address);
            }
        });
    }

    @Override
    public Optional<TorrentEndpoint> activeEndpoint() {
        return active ? Optional.of(endpoint) : Optional.empty();
    }

    @Override
    public InfoHash infoHash() {
        return metainfo.infoHash();
    }

    @Override
    public Optional<Metainfo> metainfo() {
        return Optional.of(metainfo);
    }

    @Override
    public Optional<MetadataParticipant> metadataParticipant() {
        return metadataParticipant;
    }

    public List<TrackerStatus> trackers() {
        return announcer.statuses();
    }

    public void trackerClientArrived() {
        executor.execute(announcer::clientArrived);
    }

    public TorrentStatus status() {
        return snapshot.status();
    }

    public List<PeerStatus> peerStatuses() {
        return snapshot.peers();
    }

    @Override
    public List<WebSeedStatus> webSeedStatuses() {
        return snapshot.webSeeds();
    }

    /** Files with their verified bytes; reads the storage's thread-safe copies. */
    public List<FileStatus> files() {
        TorrentStorage opened = storage;
        return opened == null ? layout.files(new BitSet(), priorities)
                : layout.files(opened.verifiedPieces(), opened.filePriorities());
    }

    /** Verified pieces from the storage's thread-safe copy; availability is read on the executor. */
    @Override
    public CompletableFuture<PieceMap> pieceMap() {
        CompletableFuture<PieceMap> map = new CompletableFuture<>();
        executor.execute(() -> {
            TorrentStorage opened = storage;
            map.complete(new PieceMap(metainfo.pieceCount(), opened == null ? new BitSet() : opened.verifiedPieces(),
                    swarm == null ? new int[0] : swarm.availability()));
        });
        return map;
    }

    public Path dataRoot() {
        return metainfo.multiFile() ? record.saveDirectory().resolve(metainfo.name()) : record.saveDirectory();
    }

    public TorrentRecord record() {
        return record;
    }

    // ---- state transitions, on the executor ----

    private void startNow() {
        if (closed) {
            return;
        }
        deactivate();
        boolean seeding = isComplete();
        ActiveSlots.Grant<TorrentSession> grant = engine.slots().request(this, seeding);
        engine.promote(grant.promoted());
        if (grant.granted()) {
            activate(seeding);
        } else {
            state = TorrentState.QUEUED;
            publish();
        }
    }

    private void activate(boolean seeding) {
        swarm = new Swarm(this, metainfo, executor, engine.clock(), storage, uploads, throttle,
                layout.piecePriorities(priorities), engine.pieceBudget(), engine.settings().optimisticRotation().toMillis());
        webSeeds = new WebSeeds(metainfo, swarm, executor, engine.timer(), downloadLimits, WebSeedSettings.DEFAULTS,
                WebSeeds.sharedClient());
        state = seeding ? TorrentState.SEEDING : TorrentState.DOWNLOADING;
        active = true;
        stallWatch.restart();
        long chokeMillis = engine.settings().chokeInterval().toMillis();
        ticker = engine.timer().scheduleWithFixedDelay(() -> executor.execute(this::tick), TICK_MILLIS, TICK_MILLIS,
                TimeUnit.MILLISECONDS);
        choking = engine.timer().scheduleWithFixedDelay(() -> executor.execute(this::rechoke), chokeMillis, chokeMillis,
                TimeUnit.MILLISECONDS);
        LOG.info("torrent {} ({}): {}", id, metainfo.name(), state);
        connectCandidates();
        announcer.start();
        tellPeerSources(seeding);
        publish();
    }

    /** The peer sources may look for peers (trackers only, if private); told again once we seed. */
    private void tellPeerSources(boolean seeding) {
        peerSources = engine.peerSources().started(new RunningTorrent(metainfo.infoHash(), metainfo.isPrivate(),
                engine.wire().listenAddress().getPort(), seeding),
                (peer, origin) -> executor.execute(() -> found(List.of(peer), origin)));
    }

    /** Leaves the active set: no connections, no timers, slot given up. */
    private void deactivate() {
        if (active) {
            active = false;
            announcer.stop();
            peerSources.stop();
            ticker.cancel(false);
            choking.cancel(false);
            webSeeds.close();
            webSeeds = null;
            swarm.close();
            swarm = null;
        }
        engine.promote(engine.slots().release(this));
    }

    private void fail(Throwable failure) {
        Throwable cause = Completions.cause(failure);
        deactivate();
        state = TorrentState.ERROR;
        error = cause.getMessage();
        LOG.warn("torrent {} ({}) stopped by an error: {}", id, metainfo.name(), error);
        publish();
    }

    private void refreshFromStorage() {
        have = storage.verifiedPieces();
        priorities = storage.filePriorities();
        wanted = layout.wantedPieces(priorities);
    }

    private void onComplete() {
        LOG.info("torrent {} ({}): every wanted piece verified", id, metainfo.name());
        checkpoint();
        swarm.completed();
        announcer.completed();
        tellPeerSources(true);
        ActiveSlots.Grant<TorrentSession> grant = engine.slots().request(this, true);
        engine.promote(grant.promoted());
        if (grant.granted()) {
            state = TorrentState.SEEDING;
        } else {
            deactivate();
            state = TorrentState.QUEUED;
        }
        saveRecord();
        publish();
    }

    private void rechoke() {
        if (swarm != null) {
            swarm.rechoke(state == TorrentState.SEEDING);
        }
    }

    private void tick() {
        if (!active) {
            return;
        }
        long now = engine.clock().millis();
        connectCandidates();
        swarm.tick(now);
        webSeeds.tick();
        throttle.refresh();
        if (state == TorrentState.DOWNLOADING) {
            stallWatch.check(totalDownloaded(), this::situation);
        }
        if (now - lastCheckpoint >= engine.settings().checkpointInterval().toMillis()) {
            checkpoint();
            saveRecord();
        }
        publish();
    }

    private void checkpoint() {
        lastCheckpoint = engine.clock().millis();
        if (storage != null) {
            storage.checkpoint().exceptionally(failure -> {
                executor.execute(() -> diskFailed(failure));
                return null;
            });
        }
    }

    private void saveRecord() {
        record = record.withProgress(record.running(), totalUploaded(), totalDownloaded(), record.peers());
        downloadedNow = 0;
        uploadsBase = uploads.uploaded();
        engine.saveRecord(record);
    }

    private long totalUploaded() {
        return record.uploaded() + uploads.uploaded() - uploadsBase;
    }

    private long totalDownloaded() {
        return record.downloaded() + downloadedNow;
    }

    // ---- Swarm.Torrent, on the executor ----

    @Override
    public int id() {
        return id;
    }

    @Override
    public BitSet have() {
        return have;
    }

    @Override
    public boolean isComplete() {
        BitSet missing = (BitSet) wanted.clone();
        missing.andNot(have);
        return missing.isEmpty();
    }

    @Override
    public void pieceVerified(int piece) {
        have.set(piece);
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

    // ---- the peer wire's callbacks run on event loops and hop onto the executor ----

    @Override
    public void onConnected(PeerConnection connection) {
        if (gate.admit(connection, active)) {
            throttle.connected(connection);
            executor.execute(() -> {
                if (swarm == null) {
                    connection.close(CloseReason.normal("torrent not running"));
                    return;
                }
                PeerOrigin origin = connection.outgoing() ? connector.origin(connection.remoteAddress()) : PeerOrigin.INCOMING;
                Peer peer = gate.join(connection, swarm.connections()) ? swarm.add(connection, origin) : null;
                if (peer != null && connection.outgoing()) {
                    connector.connected(peer.address);
                }
            });
        }
    }

    @Override
    public void onMessage(PeerConnection connection, PeerMessage message) {
        int blockLength = message instanceof PeerMessage.Piece piece ? piece.data().readableBytes() : 0;
        if (blockLength > 0) {
            throttle.received(connection, blockLength);
        }
        executor.execute(() -> {
            if (swarm != null) {
                swarm.handle(connection, message);
            } else if (message instanceof PeerMessage.Piece piece) {
                piece.data().release();
            }
            if (blockLength > 0) {
                throttle.handled(connection, blockLength);
            }
        });
    }

    @Override
    public void onWritabilityChanged(PeerConnection connection, boolean writable) {
        if (writable) {
            executor.execute(() -> {
                if (swarm != null) {
                    swarm.writable(connection);
                }
            });
        }
    }

    @Override
    public void onExtensionHandshake(PeerConnection connection, ExtensionHandshake handshake) {
        handshake.yourIp().ifPresent(engine::seenAs);
    }

    @Override
    public void onClosed(PeerConnection connection, CloseReason reason) {
        gate.closed(connection);
        throttle.closed(connection);
        executor.execute(() -> {
            Peer peer = swarm == null ? null : swarm.remove(connection, reason);
            if (peer != null && connection.outgoing()) {
                connector.backOff(peer.address);
            }
        });
    }

    /** Peers a tracker or a peer source found: candidates to dial, kept out of the record (they are found again). */
    private void found(List<InetSocketAddress> peers, PeerOrigin origin) {
        if (active) {
            peers.stream().filter(peer -> !peer.isUnresolved()).forEach(peer -> connector.add(peer, origin));
            connectCandidates();
        }
    }

    private AnnounceScheduler.Progress announceProgress() {
        long left = layout.wantedBytes(priorities) - layout.verifiedWantedBytes(have, priorities);
        return new AnnounceScheduler.Progress(totalUploaded(), totalDownloaded(), left);
    }

    private Situation situation() {
        List<Peer> connected = swarm.peers().stream().toList();
        int unchoking = (int) connected.stream().filter(peer -> !peer.peerChoking()).count();
        return new Situation(announcer.statuses(), connector.candidates().size(), connector.dialFailures(),
                connected.size(), unchoking, throttle.diskPaused());
    }

    private void connectCandidates() {
        if (swarm != null) {
            connector.dial(swarm.peers());
        }
    }

    // ---- status ----

    private void publish() {
        int pieceCount = metainfo.pieceCount();
        long downloadRate = 0;
        long uploadRate = 0;
        int seeds = 0;
        List<PeerStatus> peerStatuses = new ArrayList<>();
        for (Peer peer : swarm == null ? List.<Peer>of() : swarm.peers()) {
            PeerStatus peerStatus = peer.status((double) peer.pieces.cardinality() / pieceCount);
            downloadRate += peerStatus.downloadRate();
            uploadRate += peerStatus.uploadRate();
            seeds += peer.isSeed(pieceCount) ? 1 : 0;
            peerStatuses.add(peerStatus);
        }
        List<WebSeedStatus> webSeedStatuses = webSeeds == null ? List.of() : webSeeds.statuses();
        for (WebSeedStatus seed : webSeedStatuses) {
            downloadRate += seed.downloadRate();
        }
        long wantedBytes = layout.wantedBytes(priorities);
        long verifiedBytes = layout.verifiedWantedBytes(have, priorities);
        OptionalLong eta = state == TorrentState.DOWNLOADING && downloadRate > 0
                ? OptionalLong.of((wantedBytes - verifiedBytes + downloadRate - 1) / downloadRate) : OptionalLong.empty();
        TorrentStatus status = new TorrentStatus(id, metainfo.infoHash(), metainfo.name(), dataRoot(), state,
                layout.totalBytes(), wantedBytes, verifiedBytes, downloadRate, uploadRate, totalDownloaded(),
                totalUploaded(), peerStatuses.size(), seeds, eta, Optional.ofNullable(error),
                active && state == TorrentState.DOWNLOADING ? stallWatch.stall() : Optional.empty(),
                (int) webSeedStatuses.stream().filter(seed -> !seed.state().equals("dropped")).count());
        Snapshot previous = snapshot;
        snapshot = new Snapshot(status, List.copyOf(peerStatuses), webSeedStatuses);
        if (previous == null || !status.equals(previous.status())) {
            engine.published(this, status);
        }
    }
}
