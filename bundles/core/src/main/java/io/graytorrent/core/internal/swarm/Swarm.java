package io.graytorrent.core.internal.swarm;

import io.graytorrent.api.PeerOrigin;
import io.graytorrent.api.util.Bitfields;
import io.graytorrent.core.internal.concurrent.Clock;
import io.graytorrent.core.internal.limit.PieceBudget;
import io.graytorrent.core.internal.choke.Choker;
import io.graytorrent.core.internal.choke.RequestQueueSizer;
import io.graytorrent.core.internal.pick.BlockRequest;
import io.graytorrent.core.internal.pick.PiecePicker;
import io.graytorrent.metainfo.Metainfo;
import io.graytorrent.peerwire.AllowedFastSet;
import io.graytorrent.peerwire.CloseReason;
import io.graytorrent.peerwire.PeerConnection;
import io.graytorrent.peerwire.PeerMessage;
import io.graytorrent.storage.TorrentStorage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connected peers of one running torrent and the protocol with them: availability and
 * interest, pipelined requests from the picker, received blocks to the storage and their pieces to
 * verification, HAVE broadcasts, endgame CANCELs, choking, and scoring of peers whose data fails.
 * Made when the torrent becomes active and closed when it stops; owned by the torrent's executor.
 */
public final class Swarm {
    private static final Logger LOG = LoggerFactory.getLogger(Swarm.class);
    private static final int REGULAR_UNCHOKE_SLOTS = 4;
    private static final int ALLOWED_FAST_PIECES = 10;
    private static final int MAX_UNREQUESTED_BLOCKS = 64;
    /** Failed pieces of mixed origin whose block senders are kept until a good copy names the bad blocks. */
    static final int MAX_FAILED_PIECES = 1024;

    /** What the swarm needs of its torrent. */
    public interface Torrent {
        int id();

        /** The verified pieces, live. */
        BitSet have();

        boolean isComplete();

        /** A piece passed its hash check; the torrent records it (and may complete). */
        void pieceVerified(int piece);

        /** Payload bytes received in requested blocks. */
        void downloaded(int bytes);

        /** A storage operation failed. */
        void diskFailed(Throwable failure);

        /** A piece whose data all came from {@code address} failed its hash check. */
        void badDataFrom(InetAddress address);
    }

    /**
     * A source of blocks that is not a peer connection (a web seed): it takes runs of whole pieces
     * ({@link #pickRun}), delivers them ({@link #sourceBlock}) and hears of its pieces that fail.
     */
    public interface RangeSource {
        /** A piece whose data all came from this source failed its hash check. */
        void badPiece(int piece);
    }

    private final Torrent torrent;
    private final Clock clock;
    private final Metainfo metainfo;
    private final Executor executor;
    private final TorrentStorage storage;
    /** Per failed piece of mixed origin, the sender of each block of the failed copy. */
    private final Map<Integer, List<Object>> failedSenders = new HashMap<>();
    private final Uploads uploads;
    /** Keyed by {@link Peer} or {@link RangeSource}. */
    private final PiecePicker<Object> picker;
    private final Choker<Peer> choker;
    private final ReadThrottle throttle;
    private final Map<PeerConnection, Peer> peers = new HashMap<>();
    private final PieceAssembler assembler;
    private boolean closed;

    /**
     * {@code executor} owns the swarm (every method is called on it); {@code optimisticRotationMillis}:
     * how long an optimistic unchoke lasts.
     */
    public Swarm(Torrent torrent, Metainfo metainfo, Executor executor, Clock clock, TorrentStorage storage,
            Uploads uploads, ReadThrottle throttle, int[] piecePriorities, PieceBudget pieceBudget,
            long optimisticRotationMillis) {
        this.torrent = torrent;
        this.clock = clock;
        this.metainfo = metainfo;
        this.executor = executor;
        this.storage = storage;
        this.uploads = uploads;
        this.throttle = throttle;
        Random random = new Random();
        this.picker = new PiecePicker<>(metainfo.pieceCount(), metainfo::dataLength, random);
        picker.setHave(torrent.have());
        picker.setPiecePriorities(piecePriorities);
        this.choker = new Choker<>(REGULAR_UNCHOKE_SLOTS, optimisticRotationMillis, random);
        this.assembler = new PieceAssembler(metainfo, storage, pieceBudget, PooledByteBufAllocator.DEFAULT,
                failure -> executor.execute(() -> torrent.diskFailed(failure)));
    }

    /** How many connected peers have each piece. On the executor. */
    public int[] availability() {
        int[] counts = new int[metainfo.pieceCount()];
        Arrays.setAll(counts, picker::availability);
        return counts;
    }

    public Collection<Peer> peers() {
        return peers.values();
    }

    // ---- peers joining and leaving ----

    /** The connections of {@link #peers()}. */
    public Collection<PeerConnection> connections() {
        return peers.keySet();
    }

    /**
     * A connection the torrent's admission let join; returns its peer, or null when the swarm has
     * closed. Our availability is the first thing it hears.
     */
    public Peer add(PeerConnection connection, PeerOrigin origin) {
        return join(connection, origin, false);
    }

    /**
     * A connection from the torrent's metadata phase, which has heard already that we have nothing
     * (HAVE_NONE, or no BITFIELD): the pieces we have now follow as HAVEs, since a BITFIELD must come
     * first. Returns its peer, or null when the swarm has closed.
     */
    public Peer carryOver(PeerConnection connection, PeerOrigin origin) {
        return join(connection, origin, true);
    }

    private Peer join(PeerConnection connection, PeerOrigin origin, boolean heardNothing) {
        if (closed) {
            connection.close(CloseReason.normal("torrent not running"));
            return null;
        }
        Peer peer = new Peer(connection, origin, clock.millis());
        peers.put(connection, peer);
        if (heardNothing) {
            torrent.have().stream().forEach(piece -> connection.send(new PeerMessage.Have(piece)));
            sendAllowedFast(peer);
        } else {
            sendAvailability(peer);
        }
        LOG.debug("torrent {}: peer {} connected", torrent.id(), peer);
        return peer;
    }

    private void sendAvailability(Peer peer) {
        int pieceCount = metainfo.pieceCount();
        BitSet have = torrent.have();
        if (peer.fast() && have.isEmpty()) {
            peer.connection.send(PeerMessage.HaveNone.INSTANCE);
        } else if (peer.fast() && have.cardinality() == pieceCount) {
            peer.connection.send(PeerMessage.HaveAll.INSTANCE);
        } else if (!have.isEmpty()) {
            peer.connection.send(new PeerMessage.Bitfield(Bitfields.pack(have, pieceCount)));
        }
        sendAllowedFast(peer);
    }

    private void sendAllowedFast(Peer peer) {
        if (peer.fast()) {
            for (int piece : AllowedFastSet.compute(metainfo.infoHash(), peer.address.getAddress(), metainfo.pieceCount(),
                    ALLOWED_FAST_PIECES)) {
                peer.allowedFastToPeer.add(piece);
                peer.connection.send(new PeerMessage.AllowedFast(piece));
            }
        }
    }

    /** The connection closed; returns its peer if it was one of ours. */
    public Peer remove(PeerConnection connection, CloseReason reason) {
        Peer peer = peers.remove(connection);
        if (peer != null) {
            picker.peerGone(peer);
            uploads.peerGone(peer);
            LOG.debug("torrent {}: peer {} closed: {}", torrent.id(), peer, reason.description());
        }
        return peer;
    }

    /** Disconnects everyone: the torrent stopped. */
    public void close() {
        closed = true;
        assembler.close();
        for (Peer peer : peers.values()) {
            uploads.peerGone(peer);
            peer.connection.close(CloseReason.normal("torrent stopped"));
        }
        peers.clear();
    }

    public void closePeersAt(InetAddress address) {
        List.copyOf(peers.values()).stream()
                .filter(peer -> peer.address.getAddress().equals(address))
                .forEach(peer -> peer.connection.close(CloseReason.misbehaviour("banned: sent data that failed hash checks")));
    }

    // ---- messages ----

    public void handle(PeerConnection connection, PeerMessage message) {
        Peer peer = peers.get(connection);
        if (peer == null) {
            if (message instanceof PeerMessage.Piece piece) {
                piece.data().release();
            }
        } else if (message instanceof PeerMessage.Piece piece) {
            onBlock(peer, piece);
        } else if (message instanceof PeerMessage.Request request) {
            uploads.onRequest(peer, request, torrent.have(), storage);
        } else if (message instanceof PeerMessage.Cancel cancel) {
            uploads.onCancel(peer, cancel);
        } else if (message instanceof PeerMessage.Choke) {
            peer.peerChoking = true;
            if (!peer.fast()) {
                picker.requestsDropped(peer); // without BEP 6 a choke voids every request
            }
        } else if (message instanceof PeerMessage.Unchoke) {
            peer.peerChoking = false;
            peer.lastBlockMillis = clock.millis();
            picker.peerUnchoked(peer);
            request(peer);
        } else if (message instanceof PeerMessage.Interested) {
            peer.peerInterested = true;
            unchokeIfSlotFree(peer);
        } else if (message instanceof PeerMessage.NotInterested) {
            peer.peerInterested = false;
        } else if (message instanceof PeerMessage.RejectRequest reject) {
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
            picker.peerHave(peer, h.piece());
        } else if (message instanceof PeerMessage.Bitfield bitfield) {
            for (int piece = 0; piece < pieceCount; piece++) {
                if (bitfield.has(piece)) {
                    peer.pieces.set(piece);
                }
            }
            picker.peerBitfield(peer, peer.pieces);
        } else if (message instanceof PeerMessage.HaveAll) {
            peer.pieces.set(0, pieceCount);
            picker.peerHaveAll(peer);
        } else {
            return; // HAVE_NONE, KEEP_ALIVE, PORT, SUGGEST: nothing to do
        }
        if (peer.isSeed(pieceCount) && torrent.have().cardinality() == pieceCount) {
            peer.connection.close(CloseReason.normal("both sides are seeds"));
            return;
        }
        updateInterest(peer);
        request(peer);
    }

    private void updateInterest(Peer peer) {
        boolean interesting = !torrent.isComplete() && picker.isInteresting(peer);
        if (interesting != peer.amInterested) {
            peer.amInterested = interesting;
            peer.connection.send(interesting ? PeerMessage.Interested.INSTANCE : PeerMessage.NotInterested.INSTANCE);
        }
    }

    /** File priorities changed: the picker follows, and so does our interest. */
    public void setPiecePriorities(int[] piecePriorities) {
        picker.setPiecePriorities(piecePriorities);
        peers.values().forEach(this::updateInterest);
    }

    /**
     * Streaming order: new pieces in index order, and/or {@code edges} (the first and last piece of
     * each wanted file) before the others; rarest-first and the endgame otherwise as ever.
     */
    public void setPieceOrder(boolean sequential, BitSet edges) {
        picker.setSequential(sequential);
        picker.setPreferred(edges);
    }

    /** Every wanted piece is verified: lose interest, and drop seeds if we are one too. */
    public void completed() {
        assembler.releaseSpares();
        for (Peer peer : List.copyOf(peers.values())) {
            updateInterest(peer);
            if (peer.isSeed(metainfo.pieceCount()) && torrent.have().cardinality() == metainfo.pieceCount()) {
                peer.connection.close(CloseReason.normal("both sides are seeds"));
            }
        }
    }

    // ---- downloading ----

    /** Fills the peer's request pipeline from the picker, to a depth that follows its rate and its reqq. */
    private void request(Peer peer) {
        boolean choked = peer.peerChoking;
        if (!peer.amInterested || (choked && peer.allowedFastFromPeer.isEmpty())) {
            return;
        }
        int room = requestDepth(peer) - picker.outstandingRequests(peer);
        if (room <= 0) {
            return;
        }
        for (BlockRequest block : picker.pick(peer, room, choked ? peer.allowedFastFromPeer : null)) {
            peer.connection.send(new PeerMessage.Request(block.piece(), block.offset(), block.length()));
        }
    }

    /**
     * The sizer's depth for the peer's measured rate. The rate meter reports nothing until a whole
     * second has passed, so until then the depth grows by one per block received (doubling each
     * round trip, like TCP's slow start) instead of staying at the sizer's floor: short transfers
     * over fast links would otherwise crawl at four blocks per round trip.
     */
    private static int requestDepth(Peer peer) {
        int reqq = peer.connection.remoteExtensionHandshake().map(h -> h.requestQueue().orElse(0)).orElse(0);
        long rate = peer.connection.stats().downloadRate();
        int depth = RequestQueueSizer.depth(rate, reqq);
        if (rate > 0) {
            return depth;
        }
        int ceiling = RequestQueueSizer.depth(Long.MAX_VALUE, reqq);
        return (int) Math.min(ceiling, (long) depth + peer.blocksReceived);
    }

    private void onBlock(Peer peer, PeerMessage.Piece piece) {
        int length = piece.data().readableBytes();
        BlockRequest block = new BlockRequest(piece.piece(), piece.offset(), length);
        if (!picker.wasRequested(peer, block)) {
            piece.data().release();
            if (++peer.unrequestedBlocks > MAX_UNREQUESTED_BLOCKS) {
                peer.connection.close(CloseReason.misbehaviour("too many blocks we did not request"));
            }
            return;
        }
        peer.lastBlockMillis = clock.millis();
        peer.snubbed = false;
        peer.blocksReceived++;
        accept(peer, block, piece.data());
        request(peer);
    }

    /** A requested block, from a peer or a range source, goes to its piece. */
    private void accept(Object source, BlockRequest block, ByteBuf data) {
        received(source, block);
        whenVerified(block.piece(), assembler.add(block.piece(), block.offset(), data));
        throttle.checkDisk();
    }

    /** A requested block arrived: counted, and cancelled where else it was asked (end game). */
    private void received(Object source, BlockRequest block) {
        torrent.downloaded(block.length());
        for (Object other : picker.blockReceived(source, block)) {
            if (other instanceof Peer peer) {
                peer.connection.send(new PeerMessage.Cancel(block.piece(), block.offset(), block.length()));
            }
        }
    }

    /** {@code verification}: the piece's, when a block completed it; else null. */
    private void whenVerified(int piece, CompletableFuture<Boolean> verification) {
        if (verification != null) {
            verification.whenComplete((good, failure) -> executor.execute(() -> onVerified(piece, good, failure)));
        }
    }

    private void onVerified(int piece, Boolean good, Throwable failure) {
        if (failure != null) {
            torrent.diskFailed(failure);
        } else if (closed) {
            return; // the torrent stopped meanwhile; the storage keeps what it verified
        } else if (good) {
            blameBadBlocks(piece);
            picker.pieceVerified(piece);
            for (Peer peer : peers.values()) {
                peer.connection.send(new PeerMessage.Have(piece));
            }
            torrent.pieceVerified(piece);
            if (!torrent.isComplete()) {
                peers.values().forEach(this::updateInterest);
            }
        } else {
            List<Object> senders = picker.blockSenders(piece);
            Set<Object> contributors = picker.pieceFailed(piece);
            LOG.info("torrent {}: piece {} failed its hash check; data from {}", torrent.id(), piece, contributors);
            if (contributors.size() == 1) {
                // a piece of mixed origin proves nothing against any one of its peers (all on one
                // address behind a NAT, or an honest peer that finished a banned one's piece)
                Object culprit = contributors.iterator().next();
                if (culprit instanceof Peer peer) {
                    torrent.badDataFrom(peer.address.getAddress());
                } else {
                    ((RangeSource) culprit).badPiece(piece);
                }
            } else if (contributors.size() > 1 && (failedSenders.size() < MAX_FAILED_PIECES || failedSenders.containsKey(piece))) {
                failedSenders.put(piece, senders); // the storage may name the bad blocks once a good copy verifies
            }
        }
    }

    /**
     * A piece of mixed origin that failed has now verified: the storage compares the block hashes (v2) of the failed
     * copy with the good one, and the sender of each block that differed is blamed, as if it had sent the piece alone.
     */
    private void blameBadBlocks(int piece) {
        List<Object> senders = failedSenders.remove(piece);
        if (senders == null) {
            return;
        }
        BitSet bad = storage.takeBadBlocks(piece);
        Set<Object> culprits = new java.util.LinkedHashSet<>();
        bad.stream().filter(block -> block < senders.size() && senders.get(block) != null)
                .forEach(block -> culprits.add(senders.get(block)));
        if (!culprits.isEmpty()) {
            LOG.info("torrent {}: piece {} verified; its failed copy had bad blocks {} from {}", torrent.id(), piece, bad,
                    culprits);
        }
        for (Object culprit : culprits) {
            if (culprit instanceof Peer peer) {
                torrent.badDataFrom(peer.address.getAddress());
            } else {
                ((RangeSource) culprit).badPiece(piece);
            }
        }
    }

    // ---- range sources (web seeds) ----

    /** A range source joins with {@code pieces}, or every piece when null. */
    public void addSource(RangeSource source, BitSet pieces) {
        picker.peerGone(source);
        if (pieces == null) {
            picker.peerHaveAll(source);
        } else {
            picker.peerBitfield(source, pieces);
        }
    }

    /** The source leaves; its outstanding blocks become pickable. */
    public void removeSource(RangeSource source) {
        picker.peerGone(source);
    }

    /** Blocks of up to {@code maxPieces} contiguous pieces for the source, or none once nothing is wanted. */
    public List<BlockRequest> pickRun(RangeSource source, int maxPieces) {
        return closed || torrent.isComplete() ? List.of() : picker.pickRun(source, maxPieces);
    }

    /** A block the source delivered; takes over {@code data}. Blocks no longer asked of it are dropped. */
    public void sourceBlock(RangeSource source, BlockRequest block, ByteBuf data) {
        if (closed || !picker.wasRequested(source, block)) {
            data.release();
            return;
        }
        accept(source, block, data);
    }

    /**
     * Blocks the source delivered in order, back to back in {@code data}; takes over {@code data}. A
     * whole piece, every block of it asked of this source and none yet held, is kept in {@code data}
     * as it is (no copy) when the assembler can; else each block goes as {@link #sourceBlock}.
     */
    public void sourceBlocks(RangeSource source, List<BlockRequest> blocks, ByteBuf data) {
        int piece = blocks.get(0).piece();
        if (!closed && blocks.get(0).offset() == 0 && data.readableBytes() == metainfo.dataLength(piece)
                && blocks.stream().allMatch(block -> block.piece() == piece && picker.wasRequested(source, block))) {
            CompletableFuture<Boolean> verification = assembler.addWhole(piece, data);
            if (verification != null) {
                blocks.forEach(block -> received(source, block));
                whenVerified(piece, verification);
                throttle.checkDisk();
                return;
            }
        }
        int offset = data.readerIndex();
        for (BlockRequest block : blocks) {
            sourceBlock(source, block, data.retainedSlice(offset, block.length()));
            offset += block.length();
        }
        data.release();
    }

    /** Blocks the source will not deliver: others may take them; it is not asked them again until {@link #sourceReady}. */
    public void sourceFailed(RangeSource source, Collection<BlockRequest> undelivered) {
        undelivered.forEach(block -> picker.requestRejected(source, block));
    }

    /** The source's back-off ended: blocks it failed may be asked of it again. */
    public void sourceReady(RangeSource source) {
        picker.peerUnchoked(source);
    }

    /** Every second: snub marks, stalled uploads and request pipelines. */
    public void tick(long nowMillis) {
        for (Peer peer : peers.values()) {
            peer.snubbed = Choker.isSnubbed(peer.lastBlockMillis, nowMillis, peer.amInterested && !peer.peerChoking);
            uploads.pump(peer, storage);
            request(peer);
        }
    }

    public void writable(PeerConnection connection) {
        Peer peer = peers.get(connection);
        if (peer != null) {
            uploads.pump(peer, storage);
        }
    }

    // ---- choking ----

    /** How long an optimistic unchoke lasts from now on. */
    public void setOptimisticRotation(long millis) {
        choker.setRotationMillis(millis);
    }

    public void rechoke(boolean seeding) {
        int pieceCount = metainfo.pieceCount();
        List<Choker.PeerSample<Peer>> samples = peers.values().stream()
                .map(peer -> new Choker.PeerSample<>(peer, peer.peerInterested, peer.connection.stats().downloadRate(),
                        peer.connection.stats().uploadRate(), peer.snubbed, peer.isSeed(pieceCount)))
                .toList();
        Choker.Decision<Peer> decision = choker.rechoke(samples, seeding, clock.millis());
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
}
