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
import java.util.function.LongSupplier;

/**
 * Answers BEP 52 hash requests for one v2 or hybrid torrent from its files' piece layers: a
 * {@link PeerMessage.Hashes} with the requested hashes and their uncles, or a
 * {@link PeerMessage.HashReject} for what it cannot or will not answer: a root that is none of the
 * torrent's files, a file whose piece layer is not known yet (a magnet link still fetching), a
 * request malformed for the file's tree, hashes below the piece layer (only the data could give
 * them; we do not read the disk for hashes), or a peer past its budget.
 *
 * <p>Each file's tree above its piece layer is computed at its first request and kept (about twice
 * the piece layer), so an answer costs its own hashes only. Each peer gets {@code hashesPerSecond} hashes a second (a second's worth in a burst), counting
 * base hashes and uncles; a request that would pass it is rejected, not queued, so a peer cannot make
 * us hold or compute more than the budget. Owned by the torrent's executor: not thread-safe.
 */
public final class HashServer<P> {
    /** Per peer, by default: 64 answers of 512 piece hashes a second, 1 MiB of hashes. */
    public static final long DEFAULT_HASHES_PER_SECOND = 32 * 1024;

    private final PieceLayers layers;
    private final int pieceLayer;
    /** The files with a piece layer (of more than one piece) by pieces root: their index and piece count. */
    private final Map<ByteBuffer, int[]> files = new HashMap<>();
    /** Per file index, its tree from the piece layer up, computed at its first request. */
    private final Map<Integer, List<byte[]>> trees = new HashMap<>();
    private final Map<P, TokenBucket> budgets = new HashMap<>();
    private final long hashesPerSecond;
    private final LongSupplier nanoClock;

    /** Serves the layers {@code layers} knows, those learnt later included. */
    public HashServer(PieceLayers layers, long hashesPerSecond, LongSupplier nanoClock) {
        if (hashesPerSecond < 1) {
            throw new IllegalArgumentException("hashes per second must be positive");
        }
        MetainfoV2 torrent = layers.torrent();
        this.layers = layers;
        this.pieceLayer = MerkleTree.pieceLayer(torrent.pieceLength());
        this.hashesPerSecond = hashesPerSecond;
        this.nanoClock = nanoClock;
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

    /** The peer left: its budget goes. */
    public void peerGone(P peer) {
        budgets.remove(peer);
    }
}
