package io.graytorrent.core.internal;

import io.graytorrent.api.FilePriority;
import io.graytorrent.api.FileStatus;
import io.graytorrent.api.PeerStatus;
import io.graytorrent.api.TorrentState;
import io.graytorrent.api.TorrentStatus;
import io.graytorrent.core.internal.choke.Choker;
import io.graytorrent.core.internal.limit.RateLimits;
import io.graytorrent.core.internal.pick.BlockRequest;
import io.graytorrent.core.internal.pick.PiecePicker;
import io.graytorrent.metainfo.Metainfo;
import io.graytorrent.peerwire.AllowedFastSet;
import io.graytorrent.peerwire.CloseReason;
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
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One managed torrent: its storage, its peers, its picker and choker, and its life from CHECKING to
 * SEEDING. Threading: every field is owned by {@link #executor}; the peer wire's callbacks
 * ({@link PeerListener}, on Netty event loops) and storage completions (on the disk pool) hop onto it.
 * Other threads read only the published {@link #status() snapshot} and volatile flags.
 */
final class TorrentSession implements PeerListener {
    private static final Logger LOG = LoggerFactory.getLogger(TorrentSession.class);
    private static final int BLOCK = PeerMessage.MAX_BLOCK_LENGTH;
    private static final int REGULAR_UNCHOKE_SLOTS = 4;
    private static final int ALLOWED_FAST_PIECES = 10;
    private static final int MAX_UNREQUESTED_BLOCKS = 64;
    private static final long TICK_MILLIS = 1000;
    private static final long MAX_RETRY_MILLIS = 60_000;

    final int id;
    final Metainfo metainfo;
    final TorrentEndpoint endpoint;
    final SerialExecutor executor;
    private final Engine engine;
    private final TorrentLayout layout;
    private final RateLimits downloadLimits;
    private final Uploads uploads;
    private final Choker<Peer> choker;
    private final Random random = new Random();
    /** Connections admitted against the engine's global limit (touched on event loops). */
    private final Set<PeerConnection> admitted = ConcurrentHashMap.newKeySet();
    /** Completes (on the executor) once the first attempt to open the storage has ended. */
    private final CompletableFuture<Void> openAttempted = new CompletableFuture<>();

    private final Map<PeerConnection, Peer> peers = new HashMap<>();
    private final Map<Integer, BitSet> blocksReceived = new HashMap<>();
    private final Set<InetSocketAddress> candidates = new LinkedHashSet<>();
    private final Set<InetSocketAddress> connecting = new LinkedHashSet<>();
    private final Map<InetSocketAddress, Integer> failures = new HashMap<>();
    private final Map<InetSocketAddress, Long> retryAt = new HashMap<>();
    private TorrentRecord record;
    private TorrentStorage storage;
    private PiecePicker<Peer> picker;
    private BitSet have = new BitSet();
    private List<FilePriority> priorities;
    private BitSet wanted;
    private long downloadedNow;
    private long uploadsBase;
    private long lastCheckpoint;
    private boolean diskPaused;
    private String error;
    private ScheduledFuture<?> ticker;
    private ScheduledFuture<?> choking;

    private volatile TorrentState state = TorrentState.CHECKING;
    private volatile boolean active;
    private volatile Snapshot snapshot;

    /** What other threads may read: the last published status and peers. */
    private record Snapshot(TorrentStatus status, List<PeerStatus> peers) {
    }

    TorrentSession(Engine engine, TorrentRecord record, Metainfo metainfo, RateLimits downloadLimits,
            RateLimits uploadLimits) {
        this.engine = engine;
        this.id = record.id();
        this.record = record;
        this.metainfo = metainfo;
        this.layout = new TorrentLayout(metainfo);
        this.executor = new SerialExecutor(engine.pool());
        this.endpoint = new TorrentEndpoint(metainfo.infoHash(), metainfo.pieceCount(), this);
        this.downloadLimits = downloadLimits;
        this.uploads = new Uploads(metainfo, executor, engine.timer(), uploadLimits);
        this.choker = new Choker<>(REGULAR_UNCHOKE_SLOTS, engine.settings().optimisticRotation().toMillis(), random);
        this.candidates.addAll(record.peers());
        this.priorities = List.copyOf(java.util.Collections.nCopies(metainfo.files().size(), FilePriority.NORMAL));
        this.wanted = layout.wantedPieces(priorities);
        publish();
    }

    // ---- lifecycle, called from any thread ----

    /** Opens the storage (fast resume, or hashing what is on disk), then starts if the record says running. */
    void open() {
        engine.storage().open(metainfo, record.saveDirectory(), List.of()).whenComplete((result, failure) ->
                executor.execute(() -> {
                    openAttempted.complete(null);
                    if (failure != null) {
                        fail(failure);
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

    void start() {
        executor.execute(() -> {
            record = record.withProgress(true, record.uploaded(), record.downloaded(), record.peers());
            saveRecord();
            if (storage == null && state == TorrentState.ERROR) {
                error = null;
                state = TorrentState.CHECKING;
                open(); // the storage did not open last time
                return;
            }
            if (storage == null || active || state == TorrentState.QUEUED || state == TorrentState.CHECKING) {
                return; // running or waiting already; or open() / verify() starts it when done
            }
            if (state == TorrentState.ERROR) {
                error = null;
                storage.retry().whenComplete((done, failure) -> executor.execute(() -> {
                    refreshFromStorage();
                    startNow();
                }));
                return;
            }
            startNow();
        });
    }

    void stop() {
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
    void verify() {
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

    /** Stops for good: disconnects, checkpoints and closes the storage, keeping the record's running flag. */
    CompletableFuture<Void> shutdown() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        executor.execute(() -> {
            deactivate();
            saveRecord();
            if (storage == null) {
                done.complete(null);
            } else {
                storage.closeAsync().whenComplete((v, f) -> done.complete(null));
            }
        });
        return done;
    }

    void setFilePriority(List<Integer> files, FilePriority priority) {
        whenOpened(() -> {
            if (storage == null) {
                return;
            }
            List<FilePriority> changed = new ArrayList<>(priorities);
            files.forEach(file -> changed.set(file, priority));
            storage.setFilePriorities(changed).whenComplete((done, failure) -> executor.execute(() -> {
                if (failure != null) {
                    fail(failure);
                    return;
                }
                refreshFromStorage();
                if (picker != null) {
                    picker.setPiecePriorities(layout.piecePriorities(priorities));
                    peers.values().forEach(this::updateInterest);
                }
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

    void connect(InetSocketAddress peer) {
        executor.execute(() -> {
            if (candidates.add(peer)) {
                record = record.withProgress(record.running(), record.uploaded(), record.downloaded(),
                        List.copyOf(candidates));
                saveRecord();
            }
            failures.remove(peer);
            retryAt.remove(peer);
            connectCandidates();
        });
    }

    /** A waiting torrent got its slot. */
    void promoted() {
        executor.execute(() -> {
            if (record.running() && !active && state == TorrentState.QUEUED) {
                activate(isComplete());
            }
        });
    }

    /** Closes connections to a banned address. */
    void closePeersAt(InetAddress address) {
        executor.execute(() -> List.copyOf(peers.values()).stream()
                .filter(peer -> peer.address.getAddress().equals(address))
                .forEach(peer -> peer.connection.close(CloseReason.misbehaviour("banned: sent data that failed hash checks"))));
    }

    boolean isActive() {
        return active;
    }

    TorrentStatus status() {
        return snapshot.status();
    }

    List<PeerStatus> peerStatuses() {
        return snapshot.peers();
    }

    /** Files with their verified bytes; reads the storage's thread-safe copies. */
    List<FileStatus> files() {
        TorrentStorage opened = storage;
        return opened == null ? layout.files(new BitSet(), priorities)
                : layout.files(opened.verifiedPieces(), opened.filePriorities());
    }

    Path dataRoot() {
        return metainfo.multiFile() ? record.saveDirectory().resolve(metainfo.name()) : record.saveDirectory();
    }

    TorrentRecord record() {
        return record;
    }

    // ---- state transitions, on the executor ----

    private void startNow() {
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
        picker = new PiecePicker<>(metainfo.pieceCount(), metainfo::pieceLength, random);
        picker.setHave(have);
        picker.setPiecePriorities(layout.piecePriorities(priorities));
        state = seeding ? TorrentState.SEEDING : TorrentState.DOWNLOADING;
        active = true;
        long chokeMillis = engine.settings().chokeInterval().toMillis();
        ticker = engine.timer().scheduleWithFixedDelay(() -> executor.execute(this::tick), TICK_MILLIS, TICK_MILLIS,
                TimeUnit.MILLISECONDS);
        choking = engine.timer().scheduleWithFixedDelay(() -> executor.execute(this::rechoke), chokeMillis, chokeMillis,
                TimeUnit.MILLISECONDS);
        LOG.info("torrent {} ({}): {}", id, metainfo.name(), state);
        connectCandidates();
        publish();
    }

    /** Leaves the active set: no connections, no timers, slot given up. */
    private void deactivate() {
        if (active) {
            active = false;
            ticker.cancel(false);
            choking.cancel(false);
            for (Peer peer : peers.values()) {
                uploads.peerGone(peer);
                peer.connection.close(CloseReason.normal("torrent stopped"));
            }
            peers.clear();
            blocksReceived.clear();
            picker = null;
        }
        engine.promote(engine.slots().release(this));
    }

    private void fail(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
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

    private boolean isComplete() {
        BitSet missing = (BitSet) wanted.clone();
        missing.andNot(have);
        return missing.isEmpty();
    }

    private void onComplete() {
        LOG.info("torrent {} ({}): every wanted piece verified", id, metainfo.name());
        checkpoint();
        for (Peer peer : List.copyOf(peers.values())) {
            updateInterest(peer);
            if (peer.isSeed(metainfo.pieceCount()) && have.cardinality() == metainfo.pieceCount()) {
                peer.connection.close(CloseReason.normal("both sides are seeds"));
            }
        }
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

    private void tick() {
        if (!active) {
            return;
        }
        long now = System.currentTimeMillis();
        connectCandidates();
        for (Peer peer : peers.values()) {
            peer.snubbed = Choker.isSnubbed(peer.lastBlockMillis, now, peer.amInterested && !peer.peerChoking);
            uploads.pump(peer, storage);
            request(peer);
        }
        if (now - lastCheckpoint >= engine.settings().checkpointInterval().toMillis()) {
            checkpoint();
            saveRecord();
        }
        publish();
    }

    private void checkpoint() {
        lastCheckpoint = System.currentTimeMillis();
        if (storage != null) {
            storage.checkpoint().exceptionally(failure -> {
                executor.execute(() -> fail(failure));
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

    // ---- peers: the peer wire's callbacks run on event loops and hop onto the executor ----

    @Override
    public void onConnected(PeerConnection connection) {
        InetSocketAddress address = connection.remoteAddress();
        if (!active || engine.isBanned(address.getAddress())) {
            connection.close(CloseReason.normal(active ? "banned address" : "torrent not running"));
        } else if (!engine.admitConnection()) {
            connection.close(CloseReason.normal("global connection limit reached"));
        } else {
            admitted.add(connection);
            executor.execute(() -> addPeer(connection));
        }
    }

    @Override
    public void onMessage(PeerConnection connection, PeerMessage message) {
        executor.execute(() -> {
            Peer peer = peers.get(connection);
            if (peer == null) {
                release(message);
            } else {
                handle(peer, message);
            }
        });
    }

    @Override
    public void onWritabilityChanged(PeerConnection connection, boolean writable) {
        if (writable) {
            executor.execute(() -> {
                Peer peer = peers.get(connection);
                if (peer != null) {
                    uploads.pump(peer, storage);
                }
            });
        }
    }

    @Override
    public void onClosed(PeerConnection connection, CloseReason reason) {
        if (admitted.remove(connection)) {
            engine.releaseConnection();
        }
        executor.execute(() -> removePeer(connection, reason));
    }

    private static void release(PeerMessage message) {
        if (message instanceof PeerMessage.Piece piece) {
            piece.data().release();
        }
    }

    private void addPeer(PeerConnection connection) {
        if (!active || !connection.isOpen()) {
            connection.close(CloseReason.normal("torrent not running"));
            return;
        }
        boolean duplicate = peers.values().stream()
                .anyMatch(other -> other.connection.remotePeerId().equals(connection.remotePeerId()));
        if (duplicate || peers.size() >= engine.settings().maxConnectionsPerTorrent()) {
            connection.close(CloseReason.normal(duplicate ? "already connected to this peer" : "torrent connection limit"));
            return;
        }
        Peer peer = new Peer(connection, ClientNames.of(connection), System.currentTimeMillis());
        peers.put(connection, peer);
        sendAvailability(peer);
        if (diskPaused) {
            connection.setReading(false);
        }
        if (connection.outgoing()) {
            failures.remove(peer.address);
        }
        LOG.debug("torrent {}: peer {} ({}) connected", id, peer, peer.client);
    }

    private void sendAvailability(Peer peer) {
        int pieceCount = metainfo.pieceCount();
        if (peer.fast() && have.isEmpty()) {
            peer.connection.send(PeerMessage.HaveNone.INSTANCE);
        } else if (peer.fast() && have.cardinality() == pieceCount) {
            peer.connection.send(PeerMessage.HaveAll.INSTANCE);
        } else if (!have.isEmpty()) {
            byte[] bits = new byte[(pieceCount + 7) / 8];
            have.stream().forEach(piece -> bits[piece >>> 3] |= (byte) (0x80 >>> (piece & 7)));
            peer.connection.send(new PeerMessage.Bitfield(bits));
        }
        if (peer.fast()) {
            for (int piece : AllowedFastSet.compute(metainfo.infoHash(), peer.address.getAddress(), pieceCount,
                    ALLOWED_FAST_PIECES)) {
                peer.allowedFastToPeer.add(piece);
                peer.connection.send(new PeerMessage.AllowedFast(piece));
            }
        }
    }

    private void removePeer(PeerConnection connection, CloseReason reason) {
        Peer peer = peers.remove(connection);
        if (peer == null) {
            return;
        }
        if (picker != null) {
            picker.peerGone(peer);
        }
        uploads.peerGone(peer);
        if (connection.outgoing()) {
            backOff(peer.address);
        }
        LOG.debug("torrent {}: peer {} closed: {}", id, peer, reason.description());
    }

    private void handle(Peer peer, PeerMessage message) {
        if (message instanceof PeerMessage.Piece piece) {
            onBlock(peer, piece);
        } else if (message instanceof PeerMessage.Request request) {
            uploads.onRequest(peer, request, have, storage);
        } else if (message instanceof PeerMessage.Cancel cancel) {
            uploads.onCancel(peer, cancel);
        } else if (message instanceof PeerMessage.Choke) {
            peer.peerChoking = true;
            if (!peer.fast() && picker != null) {
                picker.requestsDropped(peer); // without BEP 6 a choke voids every request
            }
        } else if (message instanceof PeerMessage.Unchoke) {
            peer.peerChoking = false;
            peer.lastBlockMillis = System.currentTimeMillis();
            if (picker != null) {
                picker.peerUnchoked(peer);
            }
            request(peer);
        } else if (message instanceof PeerMessage.Interested) {
            peer.peerInterested = true;
            unchokeIfSlotFree(peer);
        } else if (message instanceof PeerMessage.NotInterested) {
            peer.peerInterested = false;
        } else if (message instanceof PeerMessage.RejectRequest reject && picker != null) {
            picker.requestRejected(peer, new BlockRequest(reject.piece(), reject.offset(), reject.length()));
        } else if (message instanceof PeerMessage.AllowedFast allowed) {
            peer.allowedFastFromPeer.add(allowed.piece());
            request(peer);
        } else {
            onAvailability(peer, message);
        }
    }

    private void onAvailability(Peer peer, PeerMessage message) {
        int pieceCount = metainfo.pieceCount();
        if (message instanceof PeerMessage.Have h && h.piece() < pieceCount) {
            peer.pieces.set(h.piece());
            if (picker != null) {
                picker.peerHave(peer, h.piece());
            }
        } else if (message instanceof PeerMessage.Bitfield bitfield) {
            for (int piece = 0; piece < pieceCount; piece++) {
                if (bitfield.has(piece)) {
                    peer.pieces.set(piece);
                }
            }
            if (picker != null) {
                picker.peerBitfield(peer, (BitSet) peer.pieces.clone());
            }
        } else if (message instanceof PeerMessage.HaveAll) {
            peer.pieces.set(0, pieceCount);
            if (picker != null) {
                picker.peerHaveAll(peer);
            }
        } else {
            return; // HAVE_NONE, KEEP_ALIVE, PORT, SUGGEST: nothing to do
        }
        if (peer.isSeed(pieceCount) && have.cardinality() == pieceCount) {
            peer.connection.close(CloseReason.normal("both sides are seeds"));
            return;
        }
        updateInterest(peer);
        request(peer);
    }

    private void updateInterest(Peer peer) {
        boolean interesting = picker != null && !isComplete() && picker.isInteresting(peer);
        if (interesting != peer.amInterested) {
            peer.amInterested = interesting;
            peer.connection.send(interesting ? PeerMessage.Interested.INSTANCE : PeerMessage.NotInterested.INSTANCE);
        }
    }

    // ---- downloading ----

    /** Fills the peer's request pipeline from the picker, to a depth that follows its rate and its reqq. */
    private void request(Peer peer) {
        if (picker == null || !peer.amInterested) {
            return;
        }
        boolean choked = peer.peerChoking;
        if (choked && peer.allowedFastFromPeer.isEmpty()) {
            return;
        }
        int reqq = peer.connection.remoteExtensionHandshake()
                .map(h -> h.requestQueue().orElse(0)).orElse(0);
        int room = io.graytorrent.core.internal.choke.RequestQueueSizer.depth(
                peer.connection.stats().downloadRate(), reqq) - picker.outstandingRequests(peer);
        if (room <= 0) {
            return;
        }
        for (BlockRequest block : picker.pick(peer, room, choked ? peer.allowedFastFromPeer : null)) {
            peer.connection.send(new PeerMessage.Request(block.piece(), block.offset(), block.length()));
        }
    }

    private void onBlock(Peer peer, PeerMessage.Piece piece) {
        int length = piece.data().readableBytes();
        BlockRequest block = new BlockRequest(piece.piece(), piece.offset(), length);
        if (picker == null || !picker.wasRequested(peer, block)) {
            piece.data().release();
            if (++peer.unrequestedBlocks > MAX_UNREQUESTED_BLOCKS) {
                peer.connection.close(CloseReason.misbehaviour("too many blocks we did not request"));
            }
            return;
        }
        limitDownload(peer, length);
        peer.lastBlockMillis = System.currentTimeMillis();
        peer.snubbed = false;
        downloadedNow += length;
        for (Peer other : picker.blockReceived(peer, block)) {
            other.connection.send(new PeerMessage.Cancel(block.piece(), block.offset(), block.length()));
        }
        var data = piece.data();
        storage.writeBlock(block.piece(), block.offset(), data.nioBuffer()).whenComplete((done, failure) -> {
            data.release();
            if (failure != null) {
                executor.execute(() -> onDiskFailure(failure));
            }
        });
        BitSet received = blocksReceived.computeIfAbsent(block.piece(), p -> new BitSet());
        received.set(block.offset() / BLOCK);
        if (received.cardinality() == (metainfo.pieceLength(block.piece()) + BLOCK - 1) / BLOCK) {
            blocksReceived.remove(block.piece());
            PiecePicker<Peer> current = picker;
            storage.verifyPiece(block.piece()).whenComplete((good, failure) ->
                    executor.execute(() -> onVerified(current, block.piece(), good, failure)));
        }
        pauseIfDiskOverloaded();
        request(peer);
    }

    private void onVerified(PiecePicker<Peer> pickerOfTheRequest, int piece, Boolean good, Throwable failure) {
        if (failure != null) {
            onDiskFailure(failure);
            return;
        }
        if (pickerOfTheRequest != picker) {
            return; // stopped or rechecked since; the storage keeps what it verified
        }
        if (good) {
            have.set(piece);
            picker.pieceVerified(piece);
            for (Peer peer : peers.values()) {
                peer.connection.send(new PeerMessage.Have(piece));
            }
            if (isComplete()) {
                onComplete();
            } else {
                peers.values().forEach(this::updateInterest);
            }
            return;
        }
        Set<Peer> contributors = picker.pieceFailed(piece);
        LOG.info("torrent {}: piece {} failed its hash check; data from {}", id, piece, contributors);
        if (contributors.size() == 1) {
            // a piece of mixed origin proves nothing against any one of its peers (all on one
            // address behind a NAT, or an honest peer that finished a banned one's piece)
            engine.recordHashFailure(contributors.iterator().next().address.getAddress());
        }
    }

    private void onDiskFailure(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof StorageException e && !e.reason().putsTorrentInError()) {
            return; // closed or already in error: nothing new
        }
        fail(cause);
    }

    /**
     * Charges a received block to the download limits. Bytes already read cannot be refused, so
     * what the buckets cannot grant becomes the peer's debt: it is not read from until the debt is
     * paid off at the limited rate.
     */
    private void limitDownload(Peer peer, int length) {
        peer.downloadDebt += length - downloadLimits.take(length);
        if (peer.downloadDebt > 0 && !peer.readingPaused) {
            peer.readingPaused = true;
            peer.connection.setReading(false);
            payDebtLater(peer);
        }
    }

    private void payDebtLater(Peer peer) {
        long waitNanos = Math.max(1, downloadLimits.nanosUntilAvailable(peer.downloadDebt));
        engine.timer().schedule(() -> executor.execute(() -> {
            peer.downloadDebt -= downloadLimits.take(peer.downloadDebt);
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

    /** Stops reading every peer while too many bytes wait for the disk; resumes when the pool drains. */
    private void pauseIfDiskOverloaded() {
        if (diskPaused || !engine.storage().diskPool().isOverloaded()) {
            return;
        }
        diskPaused = true;
        peers.values().forEach(peer -> peer.connection.setReading(false));
        engine.storage().diskPool().whenDrained().thenRun(() -> executor.execute(() -> {
            diskPaused = false;
            peers.values().stream().filter(peer -> !peer.readingPaused).forEach(peer -> peer.connection.setReading(true));
        }));
    }

    // ---- connecting ----

    private void connectCandidates() {
        if (!active) {
            return;
        }
        long now = System.currentTimeMillis();
        int limit = engine.settings().maxConnectionsPerTorrent();
        for (InetSocketAddress candidate : candidates) {
            if (peers.size() + connecting.size() >= limit || !engine.hasConnectionRoom()) {
                return;
            }
            boolean connected = peers.values().stream().anyMatch(peer -> peer.address.equals(candidate));
            if (connected || connecting.contains(candidate) || retryAt.getOrDefault(candidate, 0L) > now
                    || candidate.isUnresolved() || engine.isBanned(candidate.getAddress())
                    || engine.isOurself(candidate)) {
                continue;
            }
            connecting.add(candidate);
            engine.wire().connect(candidate, endpoint).whenComplete((connection, failure) -> executor.execute(() -> {
                connecting.remove(candidate);
                if (failure != null) {
                    backOff(candidate);
                }
            }));
        }
    }

    private void backOff(InetSocketAddress address) {
        int count = failures.merge(address, 1, Integer::sum);
        retryAt.put(address, System.currentTimeMillis() + Math.min(MAX_RETRY_MILLIS, 1000L << Math.min(count, 16)));
    }

    // ---- choking ----

    private void rechoke() {
        if (!active) {
            return;
        }
        int pieceCount = metainfo.pieceCount();
        List<Choker.PeerSample<Peer>> samples = peers.values().stream()
                .map(peer -> new Choker.PeerSample<>(peer, peer.peerInterested, peer.connection.stats().downloadRate(),
                        peer.connection.stats().uploadRate(), peer.snubbed, peer.isSeed(pieceCount)))
                .toList();
        Choker.Decision<Peer> decision = choker.rechoke(samples, state == TorrentState.SEEDING, System.currentTimeMillis());
        for (Peer peer : peers.values()) {
            peer.optimistic = peer == decision.optimistic();
            setChoking(peer, !decision.unchoked().contains(peer));
        }
    }

    /** Between choke rounds an interested peer is unchoked at once while a slot is free. */
    private void unchokeIfSlotFree(Peer peer) {
        long unchoked = peers.values().stream().filter(p -> !p.amChoking).count();
        if (peer.amChoking && unchoked < REGULAR_UNCHOKE_SLOTS + 1) {
            setChoking(peer, false);
        }
    }

    private void setChoking(Peer peer, boolean choke) {
        if (choke == peer.amChoking) {
            return;
        }
        peer.amChoking = choke;
        if (choke) {
            peer.connection.send(PeerMessage.Choke.INSTANCE);
            uploads.onChoked(peer);
        } else {
            peer.connection.send(PeerMessage.Unchoke.INSTANCE);
            uploads.pump(peer, storage);
        }
    }

    // ---- status ----

    private void publish() {
        int pieceCount = metainfo.pieceCount();
        long downloadRate = 0;
        long uploadRate = 0;
        int seeds = 0;
        List<PeerStatus> peerStatuses = new ArrayList<>();
        for (Peer peer : peers.values()) {
            var stats = peer.connection.stats();
            downloadRate += stats.downloadRate();
            uploadRate += stats.uploadRate();
            seeds += peer.isSeed(pieceCount) ? 1 : 0;
            peerStatuses.add(new PeerStatus(peer.address, peer.client, peer.connection.outgoing(),
                    pieceCount == 0 ? 0 : (double) peer.pieces.cardinality() / pieceCount, stats.downloadRate(),
                    stats.uploadRate(), stats.payloadDownloaded(), stats.payloadUploaded(), peer.flags()));
        }
        long wantedBytes = layout.wantedBytes(priorities);
        long verifiedBytes = layout.verifiedWantedBytes(have, priorities);
        OptionalLong eta = state == TorrentState.DOWNLOADING && downloadRate > 0
                ? OptionalLong.of((wantedBytes - verifiedBytes + downloadRate - 1) / downloadRate) : OptionalLong.empty();
        TorrentStatus status = new TorrentStatus(id, metainfo.infoHash(), metainfo.name(), dataRoot(), state,
                layout.totalBytes(), wantedBytes, verifiedBytes, downloadRate, uploadRate, totalDownloaded(),
                totalUploaded(), peers.size(), seeds, eta, Optional.ofNullable(error));
        snapshot = new Snapshot(status, List.copyOf(peerStatuses));
    }
}
