package io.graytorrent.core.internal.session;

import io.graytorrent.core.internal.concurrent.SerialExecutor;
import io.graytorrent.core.internal.connect.Admission;
import io.graytorrent.core.internal.connect.Connector;
import io.graytorrent.core.internal.source.PeerSources;
import io.graytorrent.core.internal.state.TorrentRecord;
import io.graytorrent.core.internal.swarm.Peer;
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
import io.graytorrent.core.internal.metadata.MetadataExtension;
import io.graytorrent.core.internal.metadata.MetadataFetcher;
import io.graytorrent.core.internal.metadata.MetadataMessage;
import io.graytorrent.core.internal.metadata.MetadataParticipant;
import io.graytorrent.core.internal.stall.Situation;
import io.graytorrent.core.internal.stall.StallWatch;
import io.graytorrent.core.internal.tracker.AnnounceScheduler;
import io.graytorrent.metainfo.MagnetLink;
import io.graytorrent.metainfo.Metainfo;
import io.graytorrent.metainfo.MetainfoException;
import io.graytorrent.metainfo.MetainfoParser;
import io.graytorrent.peerwire.CloseReason;
import io.graytorrent.peerwire.ExtensionHandshake;
import io.graytorrent.peerwire.PeerConnection;
import io.graytorrent.peerwire.PeerListener;
import io.graytorrent.peerwire.PeerMessage;
import io.graytorrent.peerwire.TorrentEndpoint;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A torrent added from a magnet link, while it fetches its metadata (FETCHING_METADATA): connects to
 * the link's and the user's peers and to those its trackers give, asks the peers that offer
 * ut_metadata for the info dictionary through a {@link MetadataFetcher}, and once it matches the
 * infohash hands a .torrent built from it to the engine, which replaces this object with a
 * {@link TorrentSession} under the same id. The peers are disconnected at that moment and the session
 * connects again (simpler than carrying connections whose decoders did not know the piece count).
 *
 * <p>Threading as in {@link TorrentSession}: state is owned by {@link #executor}; event-loop callbacks
 * hop onto it; other threads read the published snapshot.
 */
public final class MagnetSession extends ManagedTorrent
        implements PeerListener, MetadataParticipant, MetadataFetcher.Peers<PeerConnection> {
    private static final Logger LOG = LoggerFactory.getLogger(MagnetSession.class);
    private static final long TICK_MILLIS = 1000;
    /** How long a peer has to answer one metadata request before it is dropped and others are asked. */
    public static final long REQUEST_TIMEOUT_MILLIS = 10_000;
    /** What trackers hear as "left" while the size is unknown: not 0 (a seed), as libtorrent does. */
    private static final long UNKNOWN_LEFT = 16 * 1024;
    private static final long STOPPED_WAIT_SECONDS = 5;

    private final int id;
    private final MagnetLink magnet;
    private final EngineContext engine;
    private final TorrentEndpoint endpoint;
    private final SerialExecutor executor;
    private final Connector connector;
    private final AnnounceScheduler announcer;
    private final MetadataFetcher<PeerConnection> fetcher;
    /** Nothing counts as progress here but the metadata, which ends this session. */
    private final StallWatch stallWatch;
    private final Admission.Gate gate;
    private final Map<PeerConnection, Peer> peers = new HashMap<>();
    private volatile TorrentRecord record;
    private ScheduledFuture<?> ticker;
    /** While it runs: the peer sources' knowledge of it. */
    private PeerSources.Registration peerSources;
    private String error;
    /** Shut down, or handed over to a session: never runs again. */
    private boolean closed;
    private volatile boolean active;
    private volatile TorrentStatus status;
    private volatile List<PeerStatus> peerStatuses = List.of();

    public MagnetSession(EngineContext engine, TorrentRecord record, MagnetLink magnet) {
        this.engine = engine;
        this.id = record.id();
        this.record = record;
        this.magnet = magnet;
        this.executor = new SerialExecutor(engine.pool());
        this.endpoint = new TorrentEndpoint(magnet.infoHash(), 0, this);
        this.gate = engine.admission().gate();
        this.connector = new Connector(engine.admission(), engine.wire(), engine.clock(), endpoint, executor,
                record.peers());
        this.fetcher = new MetadataFetcher<>(magnet.infoHash(), engine.settings().maxMetadataSize(),
                REQUEST_TIMEOUT_MILLIS, this);
        this.announcer = new AnnounceScheduler(magnet.infoHash(), magnet.trackerTiers(), engine.trackerClients(),
                executor, engine.timer(), () -> new AnnounceScheduler.Progress(0, 0, UNKNOWN_LEFT),
                () -> new AnnounceScheduler.Identity(engine.wire().localPeerId().toBytes(), engine.wire().listenAddress().getPort()),
                peers -> found(peers, PeerOrigin.TRACKER), engine::seenAs);
        this.stallWatch = new StallWatch("torrent " + id + " (" + magnet.name() + ")", engine.clock()::millis,
                engine.settings().stallAfter());
        publish();
    }

    /** BEP 53: the files the link selects NORMAL and the others SKIP; none (all NORMAL) without {@code so}. */
    public List<FilePriority> filePriorities(Metainfo metainfo) {
        return magnet.selectedFiles().isEmpty() ? List.of() : IntStream.range(0, metainfo.files().size())
                .mapToObj(file -> magnet.selectsFile(file) ? FilePriority.NORMAL : FilePriority.SKIP).toList();
    }

    /** Starts fetching if the record says running. */
    public void open() {
        executor.execute(() -> {
            if (record.running()) {
                activate();
            }
            publish();
        });
    }

    // ---- ManagedTorrent ----

    @Override
    public int id() {
        return id;
    }

    @Override
    public InfoHash infoHash() {
        return magnet.infoHash();
    }

    @Override
    public Optional<Metainfo> metainfo() {
        return Optional.empty();
    }

    @Override
    public TorrentRecord record() {
        return record;
    }

    @Override
    public TorrentStatus status() {
        return status;
    }

    @Override
    public List<PeerStatus> peerStatuses() {
        return peerStatuses;
    }

    @Override
    public List<TrackerStatus> trackers() {
        return announcer.statuses();
    }

    @Override
    public List<FileStatus> files() {
        return List.of();
    }

    @Override
    public CompletableFuture<PieceMap> pieceMap() {
        return CompletableFuture.completedFuture(new PieceMap(0, new BitSet(), new int[0]));
    }

    @Override
    public void start() {
        executor.execute(() -> {
            setRunning(true);
            error = null;
            activate();
            publish();
        });
    }

    @Override
    public void stop() {
        executor.execute(() -> {
            setRunning(false);
            deactivate();
            publish();
        });
    }

    @Override
    public void verify() {
        throw new IllegalStateException("a magnet link without metadata has nothing to verify");
    }

    @Override
    public void setFilePriority(List<Integer> files, FilePriority priority) {
        throw new IllegalStateException("a magnet link without metadata has no files");
    }

    @Override
    public void connect(InetSocketAddress peer) {
        executor.execute(() -> {
            if (connector.add(peer, PeerOrigin.MANUAL)) {
                record = record.withProgress(record.running(), 0, 0, connector.candidates());
                saveRecord();
            }
            connectCandidates();
        });
    }

    @Override
    public void closePeersAt(InetAddress address) {
        executor.execute(() -> List.copyOf(peers.keySet()).stream()
                .filter(peer -> peer.remoteAddress().getAddress().equals(address))
                .forEach(peer -> peer.close(CloseReason.misbehaviour("banned"))));
    }

    @Override
    public void trackerClientArrived() {
        executor.execute(announcer::clientArrived);
    }

    @Override
    public Optional<TorrentEndpoint> activeEndpoint() {
        return active ? Optional.of(endpoint) : Optional.empty();
    }

    @Override
    public Optional<MetadataParticipant> metadataParticipant() {
        return Optional.of(this);
    }

    @Override
    public CompletableFuture<Void> shutdown() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        executor.execute(() -> {
            closed = true;
            CompletableFuture<Void> told = announcer.stop().completeOnTimeout(null, STOPPED_WAIT_SECONDS, TimeUnit.SECONDS);
            deactivate();
            told.whenComplete((v, f) -> done.complete(null));
        });
        return done;
    }

    /** The metadata is the session's now: stop without a trace (the session announces and connects anew). */
    public void handedOver() {
        executor.execute(() -> {
            closed = true;
            deactivate();
        });
    }

    // ---- on the executor ----

    private void setRunning(boolean running) {
        record = record.withProgress(running, record.uploaded(), record.downloaded(), record.peers());
        saveRecord();
    }

    /** Never once handed over: the session's record, with the .torrent, is the one to keep. */
    private void saveRecord() {
        if (!closed) {
            engine.saveRecord(record);
        }
    }

    private void activate() {
        if (active || closed) {
            return;
        }
        active = true;
        stallWatch.restart();
        ticker = engine.timer().scheduleWithFixedDelay(() -> executor.execute(this::tick), TICK_MILLIS, TICK_MILLIS,
                TimeUnit.MILLISECONDS);
        LOG.info("torrent {} ({}): fetching metadata", id, magnet.name());
        announcer.start();
        // not known to be private before the metadata says so: finding that metadata is what sources are for
        peerSources = engine.peerSources().started(new RunningTorrent(magnet.infoHash(), false, engine.wire().listenAddress().getPort(),
                false), (peer, origin) -> executor.execute(() -> found(List.of(peer), origin)));
        connectCandidates();
    }

    private void deactivate() {
        if (active) {
            active = false;
            ticker.cancel(false);
            announcer.stop();
            peerSources.stop();
            List.copyOf(peers.keySet()).forEach(peer -> peer.close(CloseReason.normal("torrent stopped")));
        }
    }

    private void tick() {
        if (active) {
            fetcher.tick(engine.clock().millis());
            connectCandidates();
            // metadata needs no unchoke: a connected peer that sends none is simply not sending
            stallWatch.check(0, () -> new Situation(announcer.statuses(), connector.candidates().size(),
                    connector.dialFailures(), peers.size(), peers.size(), false));
            publish();
        }
    }

    private void connectCandidates() {
        if (active) {
            connector.dial(peers.values());
        }
    }

    /** Peers a tracker or a peer source found: candidates to dial, kept out of the record (they are found again). */
    private void found(List<InetSocketAddress> peers, PeerOrigin origin) {
        if (active) {
            peers.stream().filter(peer -> !peer.isUnresolved()).forEach(peer -> connector.add(peer, origin));
            connectCandidates();
        }
    }

    private void metadataReceived(byte[] info) {
        byte[] torrentFile = magnet.toTorrentFile(info);
        Metainfo metainfo;
        try {
            metainfo = new MetainfoParser().parse(torrentFile);
        } catch (MetainfoException e) {
            // it matches the infohash, so no peer is to blame: the torrent itself is unusable
            error = "the torrent's metadata is unusable: " + e.getMessage();
            LOG.warn("torrent {} ({}): {}", id, magnet.name(), error);
            deactivate();
            publish();
            return;
        }
        LOG.info("torrent {} ({}): metadata verified, {} bytes ({} peers offered it)", id, metainfo.name(),
                info.length, fetcher.sourceCount());
        engine.metadataArrived(this, torrentFile, metainfo);
    }

    // ---- MetadataFetcher.Peers, on the executor ----

    @Override
    public void request(PeerConnection peer, int piece) {
        peer.sendExtended(MetadataExtension.NAME, new MetadataMessage.Request(piece).encode());
    }

    @Override
    public void drop(PeerConnection peer, String reason, boolean penalise) {
        LOG.info("torrent {}: dropping {}: {}", id, peer.remoteAddress(), reason);
        peer.close(CloseReason.misbehaviour(reason));
        if (penalise) {
            engine.recordHashFailure(peer.remoteAddress().getAddress());
        }
    }

    // ---- MetadataParticipant, on event loops ----

    @Override
    public Optional<byte[]> metadata() {
        return Optional.empty();
    }

    @Override
    public void peerOffers(PeerConnection connection, long metadataSize) {
        executor.execute(() -> {
            if (peers.containsKey(connection) && !fetcher.peerOffers(connection, metadataSize, engine.clock().millis())) {
                // nothing else passes between us before the metadata does: the connection would only take a slot
                String reason = "offers " + metadataSize + " bytes of metadata, over the limit of "
                        + engine.settings().maxMetadataSize();
                LOG.info("torrent {}: dropping {}: {}", id, connection.remoteAddress(), reason);
                connection.close(CloseReason.normal(reason));
            }
        });
    }

    @Override
    public void received(PeerConnection connection, MetadataMessage message) {
        executor.execute(() -> {
            if (active && peers.containsKey(connection)) {
                fetcher.received(connection, message, engine.clock().millis()).ifPresent(this::metadataReceived);
            }
        });
    }

    // ---- PeerListener, on event loops ----

    @Override
    public void onConnected(PeerConnection connection) {
        if (gate.admit(connection, active)) {
            executor.execute(() -> {
                if (!active) {
                    connection.close(CloseReason.normal("torrent not running"));
                    return;
                }
                if (!gate.join(connection, peers.keySet())) {
                    return;
                }
                PeerOrigin origin = connection.outgoing() ? connector.origin(connection.remoteAddress()) : PeerOrigin.INCOMING;
                Peer peer = new Peer(connection, origin, engine.clock().millis());
                peers.put(connection, peer);
                if (peer.fast()) {
                    connection.send(PeerMessage.HaveNone.INSTANCE); // BEP 6: availability comes first
                }
                if (connection.outgoing()) {
                    connector.connected(peer.address);
                }
            });
        }
    }

    @Override
    public void onMessage(PeerConnection connection, PeerMessage message) {
        if (message instanceof PeerMessage.Piece piece) {
            piece.data().release(); // nothing was requested: there are no pieces to want yet
        }
    }

    @Override
    public void onExtensionHandshake(PeerConnection connection, ExtensionHandshake handshake) {
        handshake.yourIp().ifPresent(engine::seenAs);
    }

    @Override
    public void onClosed(PeerConnection connection, CloseReason reason) {
        gate.closed(connection);
        executor.execute(() -> {
            Peer peer = peers.remove(connection);
            fetcher.peerGone(connection, engine.clock().millis());
            if (peer != null && connection.outgoing()) {
                connector.backOff(peer.address);
            }
        });
    }

    // ---- status ----

    private void publish() {
        List<PeerStatus> statuses = new ArrayList<>();
        for (Peer peer : peers.values()) {
            statuses.add(peer.status(0));
        }
        TorrentState state = error != null ? TorrentState.ERROR
                : record.running() ? TorrentState.FETCHING_METADATA : TorrentState.STOPPED;
        peerStatuses = List.copyOf(statuses);
        TorrentStatus previous = status;
        status = new TorrentStatus(id, magnet.infoHash(), magnet.name(), record.saveDirectory(), state, 0, 0, 0, 0, 0,
                record.downloaded(), record.uploaded(), statuses.size(), 0, OptionalLong.empty(), Optional.ofNullable(error),
                active ? stallWatch.stall() : Optional.empty(), TorrentStatus.countBySource(statuses));
        if (!status.equals(previous)) {
            engine.published(this, status);
        }
    }
}
