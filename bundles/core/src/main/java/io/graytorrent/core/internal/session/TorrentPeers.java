package io.graytorrent.core.internal.session;

import io.graytorrent.api.InfoHash;
import io.graytorrent.api.PeerOrigin;
import io.graytorrent.api.PeerStatus;
import io.graytorrent.api.WebSeedStatus;
import io.graytorrent.api.TrackerStatus;
import io.graytorrent.core.internal.concurrent.SerialExecutor;
import io.graytorrent.core.internal.connect.Admission;
import io.graytorrent.core.internal.connect.Connector;
import io.graytorrent.core.internal.merkle.HashExchange;
import io.graytorrent.core.internal.stall.Situation;
import io.graytorrent.core.internal.swarm.Peer;
import io.graytorrent.core.internal.swarm.ReadThrottle;
import io.graytorrent.core.internal.swarm.Swarm;
import io.graytorrent.peerwire.CloseReason;
import io.graytorrent.peerwire.ExtensionHandshake;
import io.graytorrent.peerwire.PeerConnectException;
import io.graytorrent.peerwire.PeerConnection;
import io.graytorrent.peerwire.PeerListener;
import io.graytorrent.peerwire.PeerMessage;
import io.graytorrent.peerwire.TorrentEndpoint;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One torrent's connections in every phase and over every transport: each passes the engine's one
 * admission gate, outgoing ones are dialled from the candidates (the user's, the trackers', the peer
 * sources'), and each message goes where the phase wants it. While the torrent fetches its metadata
 * or checks its data its connections wait here as plain {@link Peer}s; once it downloads or seeds
 * they join its {@link Swarm}, each over the connection it already has.
 *
 * <p>Owned by the torrent's executor; the {@link PeerListener} callbacks run on event loops and hop onto it.
 */
final class TorrentPeers implements PeerListener {
    private static final Logger LOG = LoggerFactory.getLogger(TorrentPeers.class);

    private final EngineContext engine;
    private final SerialExecutor executor;
    private final Admission.Gate gate;
    private final Connector connector;
    private final ReadThrottle throttle;
    /** Connections not in a swarm: the torrent fetches its metadata or checks its data. */
    private final Map<PeerConnection, Peer> waiting = new HashMap<>();
    /** Replaced once the piece count is known: what dials and incoming handshakes see from then on. */
    private volatile TorrentEndpoint endpoint;
    private volatile boolean active;
    private Swarm swarm;
    /** While the torrent fetches its metadata: told of closed connections. */
    private MetadataPhase metadata;
    /** A v2 or hybrid torrent's hash requests (BEP 52), once its content is open; null for v1. */
    private HashExchange hashes;
    /** Peers the DHT handed this torrent since it started, for the stall diagnosis; on the executor. */
    private long foundByDht;

    TorrentPeers(EngineContext engine, SerialExecutor executor, InfoHash infoHash, int pieceCount,
            Collection<InetSocketAddress> candidates, ReadThrottle throttle) {
        this.engine = engine;
        this.executor = executor;
        this.throttle = throttle;
        // a magnet link is not known to be private until its metadata says so
        this.endpoint = new TorrentEndpoint(infoHash, pieceCount, false, this);
        this.gate = engine.admission().gate();
        this.connector = new Connector(engine.admission(), engine.wire(), engine.clock(), () -> endpoint, executor,
                candidates);
    }

    TorrentEndpoint endpoint() {
        return endpoint;
    }

    // ---- phases, on the executor ----

    /** The torrent runs: connections are admitted and candidates dialled. */
    void activate() {
        active = true;
        dial();
    }

    /** The metadata phase begins ({@code phase}) or ends (null). */
    void fetching(MetadataPhase phase) {
        metadata = phase;
    }

    /**
     * The metadata arrived: new connections handshake with the piece count (and announce extensions as
     * its private flag allows, and a hybrid's dials may be upgraded to {@code v2InfoHash}), live ones learn it as
     * they join the swarm.
     */
    void metadataKnown(int pieceCount, boolean privateTorrent, Optional<InfoHash> v2InfoHash) {
        InfoHash onTheWire = endpoint.infoHash();
        // a hybrid added by a btmh-only link is on the wire under its v2 hash already: nothing to upgrade to
        endpoint = new TorrentEndpoint(onTheWire, pieceCount, privateTorrent, this,
                v2InfoHash.filter(v2 -> !v2.equals(onTheWire)));
    }

    /**
     * A hybrid's magnet link names its truncated v2 infohash too: connections are upgraded to it (BEP 52) from the
     * metadata phase on, so that they may carry the hash requests that bring the piece layers afterwards.
     */
    void hybrid(InfoHash v2InfoHash) {
        TorrentEndpoint known = endpoint;
        endpoint = new TorrentEndpoint(known.infoHash(), known.pieceCount(), known.privateTorrent(), this,
                Optional.of(v2InfoHash));
    }

    /** The torrent downloads or seeds: the waiting connections join {@code joined} and tell their kept availability. */
    void startSwarm(Swarm joined) {
        swarm = joined;
        int pieceCount = endpoint.pieceCount();
        for (Peer peer : List.copyOf(waiting.values())) {
            waiting.remove(peer.connection);
            if (swarm.carryOver(peer.connection, peer.origin) != null) {
                peer.connection.pieceCount(pieceCount); // after joining: what it delivers reaches the swarm
            }
        }
        if (hashes != null) {
            List.copyOf(swarm.connections()).forEach(hashes::peerSeen);
        }
    }

    /**
     * The content opened with piece layers (v2 or hybrid): the swarm's peers' hash requests are answered
     * from here on, and missing layers are asked of them if {@code exchange} fetches.
     */
    void hashExchange(HashExchange exchange) {
        hashes = exchange;
        if (swarm != null) {
            List.copyOf(swarm.connections()).forEach(exchange::peerSeen);
        }
    }

    /** The torrent stops (or leaves its slot): every connection closes. */
    void deactivate() {
        active = false;
        if (swarm != null) {
            swarm.close();
            swarm = null;
        }
        List.copyOf(waiting.keySet()).forEach(connection -> connection.close(CloseReason.normal("torrent stopped")));
        waiting.clear();
    }

    boolean isConnected(PeerConnection connection) {
        return swarm != null ? swarm.connections().contains(connection) : waiting.containsKey(connection);
    }

    Collection<Peer> connected() {
        return swarm != null ? swarm.peers() : waiting.values();
    }

    private Collection<PeerConnection> connections() {
        return swarm != null ? swarm.connections() : waiting.keySet();
    }

    // ---- candidates, on the executor ----

    /** Dials the candidates that are due, while the torrent runs. */
    void dial() {
        if (active) {
            connector.dial(connected());
        }
    }

    /** A holepunch's dial: on the executor, through the {@link Connector}'s admission like the torrent's own. */
    @Override
    public CompletableFuture<PeerConnection> dialAdmitted(InetSocketAddress address,
            Supplier<CompletableFuture<PeerConnection>> dial) {
        CompletableFuture<PeerConnection> result = new CompletableFuture<>();
        executor.execute(() -> {
            CompletableFuture<PeerConnection> admitted = active ? connector.dialNow(address, connected(), dial)
                    : CompletableFuture.failedFuture(new PeerConnectException("torrent not running; not dialling " + address));
            admitted.whenComplete((connection, failure) -> {
                if (failure == null) {
                    result.complete(connection);
                } else {
                    result.completeExceptionally(failure);
                }
            });
        });
        return result;
    }

    /** A peer the user gave; true if it is a new candidate (the record keeps these). */
    boolean addManual(InetSocketAddress peer) {
        boolean added = connector.add(peer, PeerOrigin.MANUAL);
        dial();
        return added;
    }

    List<InetSocketAddress> candidates() {
        return connector.candidates();
    }

    /** Peers a tracker or a peer source found: candidates to dial, kept out of the record (they are found again). */
    void found(List<InetSocketAddress> peers, PeerOrigin origin) {
        if (active) {
            if (origin == PeerOrigin.DHT) {
                foundByDht += peers.size();
            }
            peers.stream().filter(peer -> !peer.isUnresolved()).forEach(peer -> connector.add(peer, origin));
            dial();
        }
    }

    /** Closes the connections to the addresses {@code closing} names, for {@code reason}; answers those addresses. */
    List<InetAddress> closePeersWhere(Predicate<InetAddress> closing, CloseReason reason) {
        List<InetAddress> closed = new ArrayList<>();
        for (var peer : List.copyOf(connected())) {
            if (closing.test(peer.address.getAddress())) {
                closed.add(peer.address.getAddress());
                peer.connection.close(reason);
            }
        }
        return closed;
    }

    // ---- what users see, on the executor ----

    /** The peers' statuses and what they add up to; {@code pieceCount} 0 while unknown. */
    record Summary(List<PeerStatus> statuses, long downloadRate, long uploadRate, int seeds) {
    }

    Summary summary(int pieceCount) {
        long downloadRate = 0;
        long uploadRate = 0;
        int seeds = 0;
        List<PeerStatus> statuses = new ArrayList<>();
        for (Peer peer : connected()) {
            PeerStatus status = peer.status(pieceCount == 0 ? 0 : (double) peer.pieces.cardinality() / pieceCount);
            downloadRate += status.downloadRate();
            uploadRate += status.uploadRate();
            seeds += pieceCount > 0 && peer.isSeed(pieceCount) ? 1 : 0;
            statuses.add(status);
        }
        return new Summary(List.copyOf(statuses), downloadRate, uploadRate, seeds);
    }

    /** What a stall diagnosis weighs; before the swarm, a connected peer counts as unchoking (metadata needs no unchoke). */
    Situation situation(List<TrackerStatus> trackers, List<WebSeedStatus> webSeeds, Optional<String> routeDown) {
        Collection<Peer> peers = connected();
        int unchoking = swarm == null ? peers.size() : (int) peers.stream().filter(peer -> !peer.peerChoking()).count();
        boolean privateTorrent = endpoint.privateTorrent();
        Situation.Sources sources = new Situation.Sources(privateTorrent,
                privateTorrent ? Optional.empty() : engine.peerSources().dht(), foundByDht, webSeeds);
        return new Situation(trackers, connector.candidates().size(), connector.dialFailures(), peers.size(), unchoking,
                throttle.diskPaused(), sources, routeDown);
    }

    // ---- the peer wire's callbacks run on event loops and hop onto the executor ----

    @Override
    public void onConnected(PeerConnection connection) {
        if (gate.admit(connection, active)) {
            throttle.connected(connection);
            executor.execute(() -> joined(connection));
        }
    }

    private void joined(PeerConnection connection) {
        if (!active) {
            connection.close(CloseReason.normal("torrent not running"));
            return;
        }
        if (!gate.join(connection, connections())) {
            return;
        }
        PeerOrigin origin = connection.outgoing() ? connector.origin(connection.remoteAddress()) : PeerOrigin.INCOMING;
        Peer peer;
        if (swarm != null) {
            peer = swarm.add(connection, origin);
            if (peer != null) {
                connection.pieceCount(endpoint.pieceCount()); // nothing to learn unless it handshook before the metadata
            }
        } else {
            peer = new Peer(connection, origin, engine.clock().millis());
            waiting.put(connection, peer);
            if (peer.fast()) {
                connection.send(PeerMessage.HaveNone.INSTANCE); // BEP 6: availability comes first
            }
        }
        if (peer != null && connection.outgoing()) {
            connector.connected(peer.address);
        }
    }

    @Override
    public void onMessage(PeerConnection connection, PeerMessage message) {
        onMessages(connection, List.of(message));
    }

    /** One read's messages go to the executor in one task, their blocks charged to the throttle together. */
    @Override
    public void onMessages(PeerConnection connection, List<PeerMessage> messages) {
        long blockBytes = 0;
        for (PeerMessage message : messages) {
            if (message instanceof PeerMessage.Piece piece) {
                blockBytes += piece.data().readableBytes();
            }
        }
        long charged = blockBytes;
        if (charged > 0) {
            throttle.received(connection, charged);
        }
        executor.execute(() -> {
            try {
                messages.forEach(message -> handleAlone(connection, message));
            } finally {
                if (charged > 0) {
                    throttle.handled(connection, charged);
                }
            }
        });
    }

    /** As when each message was a task of its own: one that fails is logged, the rest of the read still handled. */
    private void handleAlone(PeerConnection connection, PeerMessage message) {
        try {
            handle(connection, message);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (RuntimeException | Error e) {
            LOG.error("torrent task failed on {} from {}", message, connection, e);
        }
    }

    private void handle(PeerConnection connection, PeerMessage message) {
        if (HashExchange.isHashMessage(message)) {
            onHashMessage(connection, message);
        } else if (swarm != null) {
            swarm.handle(connection, message);
            if (hashes != null && swarm != null && swarm.connections().contains(connection)) {
                hashes.peerSeen(connection);
            }
        } else if (message instanceof PeerMessage.Piece piece) {
            piece.data().release(); // nothing was requested: there are no pieces to want yet
        }
    }

    /** BEP 52: a hash request is answered with hashes or a reject, whatever the torrent (a v1 one rejects). */
    private void onHashMessage(PeerConnection connection, PeerMessage message) {
        if (hashes != null && swarm != null && swarm.connections().contains(connection)) {
            hashes.handle(connection, message);
        } else if (message instanceof PeerMessage.HashRequest request) {
            connection.send(new PeerMessage.HashReject(request));
        }
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
            Peer peer = swarm != null ? swarm.remove(connection, reason) : waiting.remove(connection);
            if (metadata != null) {
                metadata.peerGone(connection);
            }
            if (hashes != null) {
                hashes.peerGone(connection);
            }
            if (peer != null && connection.outgoing()) {
                connector.backOff(peer.address);
            }
        });
    }
}
