package io.graytorrent.core.internal.merkle;

import io.graytorrent.core.internal.limit.TokenBucket;
import io.graytorrent.metainfo.MerkleProofs;
import io.graytorrent.metainfo.MerkleTree;
import io.graytorrent.metainfo.MetainfoV2;
import io.graytorrent.metainfo.PieceLayers;
import io.graytorrent.metainfo.V2File;
import io.graytorrent.peerwire.PeerMessage;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Answers BEP 52 hash requests for one v2 or hybrid torrent from its files' piece layers: a
 * {@link PeerMessage.Hashes} with the requested hashes and their uncles, or a
 * {@link PeerMessage.HashReject} for what it cannot or will not answer: a root that is none of the
 * torrent's files, a file whose piece layer is not known yet (a magnet link still fetching), a
 * request malformed for the file's tree, or a peer past its budget.
 *
 * <p>Hashes below the piece layer (block hashes, which libtorrent asks for to find the bad block of a piece that
 * failed) only the data can give: with a {@link PieceLeaves} they are {@link #respond answered} from the blocks of
 * the one verified piece they lie in, read and hashed on the disk pool, at most {@link #MAX_PIECE_READS} pieces at a
 * time for the torrent, each costing the requester its piece's blocks from its budget too; a request spanning
 * pieces, or for a piece we do not have, is rejected.
 *
 * <p>Each file's tree above its piece layer is computed at its first request and kept (about twice
 * the piece layer), so an answer costs its own hashes only. Each peer gets {@code hashesPerSecond} hashes a second (a second's worth in a burst), counting
 * base hashes and uncles; a request that would pass it is rejected, not queued, so a peer cannot make
 * us hold or compute more than the budget. Owned by the torrent's executor: not thread-safe.
 */
public final class HashServer<P> {
    /** Per peer, by default: 64 answers of 512 piece hashes a second, 1 MiB of hashes. */
    public static final long DEFAULT_HASHES_PER_SECOND = 32 * 1024;
    /** Pieces read from disk at once for block-hash answers, per torrent; a request past it is rejected. */
    public static final int MAX_PIECE_READS = 4;

    /** The leaves of a verified piece: the SHA-256 of each 16 KiB block of its file data, read from disk. */
    @FunctionalInterface
    public interface PieceLeaves {
        /** Fails when the piece is not verified or cannot be read. */
        CompletableFuture<byte[]> of(int file, int pieceInFile);
    }

    private final PieceLayers layers;
    private final int pieceLayer;
    /** The files with a piece layer (of more than one piece) by pieces root: their index and piece count. */
    private final Map<ByteBuffer, int[]> files = new HashMap<>();
    /** Per file index, its tree from the piece layer up, computed at its first request. */
    private final Map<Integer, List<byte[]>> trees = new HashMap<>();
    private final Map<P, TokenBucket> budgets = new HashMap<>();
    private final long hashesPerSecond;
    private final LongSupplier nanoClock;
    private final PieceLeaves pieceLeaves;
    private final AtomicInteger pieceReads = new AtomicInteger();

    /** Serves the layers {@code layers} knows, those learnt later included; nothing below them. */
    public HashServer(PieceLayers layers, long hashesPerSecond, LongSupplier nanoClock) {
        this(layers, hashesPerSecond, nanoClock, null);
    }

    /** As {@link #HashServer(PieceLayers, long, LongSupplier)}, and hashes below the piece layer from {@code pieceLeaves}. */
    public HashServer(PieceLayers layers, long hashesPerSecond, LongSupplier nanoClock, PieceLeaves pieceLeaves) {
        if (hashesPerSecond < 1) {
            throw new IllegalArgumentException("hashes per second must be positive");
        }
        MetainfoV2 torrent = layers.torrent();
        this.layers = layers;
        this.pieceLayer = MerkleTree.pieceLayer(torrent.pieceLength());
        this.hashesPerSecond = hashesPerSecond;
        this.nanoClock = nanoClock;
        this.pieceLeaves = pieceLeaves;
        for (int file = 0; file < torrent.files().size(); file++) {
            V2File entry = torrent.files().get(file);
            if (layers.needsLayer(file)) { // a file of one piece has no piece layer: its root is its piece's hash
                files.put(ByteBuffer.wrap(entry.piecesRoot()),
                        new int[] {file, Math.toIntExact(entry.pieceCount(torrent.pieceLength()))});
            }
        }
    }

    /** The answer to {@code peer}'s {@code request}: hashes, or a reject. */
    public PeerMessage answer(P peer, PeerMessage.HashRequest request) {
        int[] file = files.get(ByteBuffer.wrap(request.piecesRoot()));
        if (file == null || !layers.isKnown(file[0])) {
            return new PeerMessage.HashReject(request);
        }
        MerkleProofs.Request numbers = new MerkleProofs.Request(request.baseLayer(), request.index(), request.length(),
                request.proofLayers());
        if (MerkleProofs.problem(MerkleProofs.height(pieceLayer, file[1]), numbers) != null
                || request.baseLayer() < pieceLayer) {
            return new PeerMessage.HashReject(request);
        }
        long cost = (long) request.length() + request.uncleCount();
        TokenBucket budget = budgets.computeIfAbsent(peer, p -> new TokenBucket(hashesPerSecond, nanoClock));
        if (cost > hashesPerSecond || budget.nanosUntilAvailable(cost) > 0) {
            return new PeerMessage.HashReject(request);
        }
        budget.take(cost);
        List<byte[]> tree = trees.computeIfAbsent(file[0], f -> MerkleProofs.tree(layers.layer(f).orElseThrow(), pieceLayer));
        Optional<byte[]> hashes = MerkleProofs.answer(tree, pieceLayer, numbers);
        return hashes.<PeerMessage>map(h -> new PeerMessage.Hashes(request, h))
                .orElseGet(() -> new PeerMessage.HashReject(request));
    }

    /**
     * The answer to {@code peer}'s {@code request}, as {@link #answer}, except that hashes below the piece layer are
     * answered from the piece's data when a {@link PieceLeaves} was given: then the answer completes on the disk
     * pool's thread once the piece is read and hashed.
     */
    public CompletableFuture<PeerMessage> respond(P peer, PeerMessage.HashRequest request) {
        if (pieceLeaves == null || request.baseLayer() >= pieceLayer) {
            return CompletableFuture.completedFuture(answer(peer, request));
        }
        PeerMessage.HashReject reject = new PeerMessage.HashReject(request);
        int[] file = files.get(ByteBuffer.wrap(request.piecesRoot()));
        if (file == null || !layers.isKnown(file[0])) {
            return CompletableFuture.completedFuture(reject);
        }
        MerkleProofs.Request numbers = new MerkleProofs.Request(request.baseLayer(), request.index(), request.length(),
                request.proofLayers());
        if (MerkleProofs.problem(MerkleProofs.height(pieceLayer, file[1]), numbers) != null
                || request.baseLayer() + Integer.numberOfTrailingZeros(request.length()) > pieceLayer) {
            return CompletableFuture.completedFuture(reject); // malformed, or over more than one piece
        }
        long cost = (long) request.length() + request.uncleCount() + (1L << pieceLayer);
        TokenBucket budget = budgets.computeIfAbsent(peer, p -> new TokenBucket(hashesPerSecond, nanoClock));
        if (cost > hashesPerSecond || budget.nanosUntilAvailable(cost) > 0) {
            return CompletableFuture.completedFuture(reject);
        }
        if (pieceReads.incrementAndGet() > MAX_PIECE_READS) {
            pieceReads.decrementAndGet();
            return CompletableFuture.completedFuture(reject);
        }
        budget.take(cost);
        List<byte[]> tree = trees.computeIfAbsent(file[0], f -> MerkleProofs.tree(layers.layer(f).orElseThrow(), pieceLayer));
        int pieceInFile = request.index() >>> (pieceLayer - request.baseLayer());
        CompletableFuture<byte[]> read;
        try {
            read = pieceLeaves.of(file[0], pieceInFile);
        } catch (RuntimeException e) {
            read = CompletableFuture.failedFuture(e);
        }
        return read.handle((leaves, failure) -> {
            pieceReads.decrementAndGet();
            return failure != null ? reject : MerkleProofs.answerWithinPiece(tree, pieceLayer, leaves, numbers)
                    .<PeerMessage>map(h -> new PeerMessage.Hashes(request, h)).orElse(reject);
        });
    }

    /** The peer left: its budget goes. */
    public void peerGone(P peer) {
        budgets.remove(peer);
    }
}
