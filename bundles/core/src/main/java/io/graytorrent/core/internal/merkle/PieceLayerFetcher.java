package io.graytorrent.core.internal.merkle;

import io.graytorrent.metainfo.MerkleProofs;
import io.graytorrent.metainfo.MerkleTree;
import io.graytorrent.peerwire.PeerMessage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fetches the piece layers of a v2 torrent whose info dictionary came without them (a magnet link,
 * BEP 9): for each file of more than one piece, {@link MerkleProofs#pieceLayerRequests} hash requests
 * of up to 512 piece hashes, each answer proved against the file's pieces root; when a file's chunks
 * are all in, its layer is checked as a whole and handed to {@link Listener#pieceLayer}.
 *
 * <p>Requests go to the peers {@link #peerAvailable offered} (BEP 52: a peer must answer for pieces it
 * announced), at most {@value #MAX_OUTSTANDING_PER_PEER} at a time each; a rejected request is not
 * asked of that peer again, one unanswered for {@code timeoutMillis} goes to another peer. A peer
 * that sends hashes nobody asked for, or hashes that do not prove against the root, is dropped.
 * Owned by the torrent's executor: not thread-safe.
 */
public final class PieceLayerFetcher<P> {
    /** Hash requests outstanding at one peer at once. */
    public static final int MAX_OUTSTANDING_PER_PEER = 4;

    /** What the fetcher does; called on the owner's thread, from within its methods. */
    public interface Listener<P> {
        void send(P peer, PeerMessage.HashRequest request);

        /** Disconnects a peer that sent unrequested or unproved hashes. */
        void drop(P peer, String reason);

        /** File {@code file}'s whole piece layer, proved against its root. */
        void pieceLayer(int file, byte[] layer);
    }

    /**
     * A file to fetch the piece layer of.
     *
     * @param index      the file's index in the torrent, handed back to {@link Listener#pieceLayer}
     * @param piecesRoot its 32-byte pieces root
     * @param pieceCount its pieces, at least two
     */
    public record File(int index, byte[] piecesRoot, int pieceCount) {
    }

    private record Chunk(File file, MerkleProofs.Request request, PeerMessage.HashRequest message) {
    }

    private record Pending<P>(P peer, long deadline) {
    }

    private final int pieceLayer;
    private final long timeoutMillis;
    private final Listener<P> listener;
    private final Deque<Chunk> waiting = new ArrayDeque<>();
    private final Map<PeerMessage.HashRequest, Chunk> chunks = new HashMap<>();
    private final Map<Chunk, Pending<P>> pending = new LinkedHashMap<>();
    private final Map<File, Map<Integer, byte[]>> received = new LinkedHashMap<>();
    private final Set<P> peers = new LinkedHashSet<>();
    private final Map<P, Set<Chunk>> refusedBy = new HashMap<>();

    public PieceLayerFetcher(List<File> files, int pieceLength, long timeoutMillis, Listener<P> listener) {
        this.pieceLayer = MerkleTree.pieceLayer(pieceLength);
        this.timeoutMillis = timeoutMillis;
        this.listener = listener;
        for (File file : files) {
            received.put(file, new HashMap<>());
            for (MerkleProofs.Request request : MerkleProofs.pieceLayerRequests(pieceLayer, file.pieceCount())) {
                Chunk chunk = new Chunk(file, request, new PeerMessage.HashRequest(file.piecesRoot(),
                        request.baseLayer(), request.index(), request.length(), request.proofLayers()));
                waiting.add(chunk);
                chunks.put(chunk.message(), chunk);
            }
        }
    }

    /** Whether every file's layer has been handed over. */
    public boolean isComplete() {
        return received.isEmpty();
    }

    /** {@code peer} may be asked for hashes: it announced pieces of the torrent. */
    public void peerAvailable(P peer, long now) {
        peers.add(peer);
        assign(now);
    }

    public void peerGone(P peer, long now) {
        peers.remove(peer);
        refusedBy.remove(peer);
        pending.entrySet().removeIf(entry -> {
            if (entry.getValue().peer().equals(peer)) {
                waiting.addFirst(entry.getKey());
                return true;
            }
            return false;
        });
        assign(now);
    }

    /** Requests unanswered past their deadline go to other peers. */
    public void tick(long now) {
        pending.entrySet().removeIf(entry -> {
            if (entry.getValue().deadline() <= now) {
                refusedBy.computeIfAbsent(entry.getValue().peer(), p -> new HashSet<>()).add(entry.getKey());
                waiting.addFirst(entry.getKey());
                return true;
            }
            return false;
        });
        assign(now);
    }

    public void rejected(P peer, PeerMessage.HashReject reject, long now) {
        Chunk chunk = take(peer, reject.request());
        if (chunk != null) {
            refusedBy.computeIfAbsent(peer, p -> new HashSet<>()).add(chunk);
            waiting.addFirst(chunk);
            assign(now);
        } // a reject of something not asked of this peer (or answered already) changes nothing
    }

    public void received(P peer, PeerMessage.Hashes hashes, long now) {
        Chunk chunk = take(peer, hashes.request());
        if (chunk == null) {
            listener.drop(peer, "sent hashes that were not asked of it");
            peerGone(peer, now);
            return;
        }
        File file = chunk.file();
        int height = MerkleProofs.height(pieceLayer, file.pieceCount());
        var verified = MerkleProofs.verify(file.piecesRoot(), height, chunk.request(), hashes.hashes());
        if (verified.isEmpty()) {
            waiting.addFirst(chunk);
            listener.drop(peer, "sent hashes that do not prove against the file's pieces root");
            peerGone(peer, now);
            return;
        }
        Map<Integer, byte[]> fileChunks = received.get(file);
        fileChunks.put(chunk.request().index(), verified.get());
        List<MerkleProofs.Request> all = MerkleProofs.pieceLayerRequests(pieceLayer, file.pieceCount());
        if (fileChunks.size() == all.size()) {
            List<byte[]> inOrder = new ArrayList<>();
            all.forEach(request -> inOrder.add(fileChunks.get(request.index())));
            received.remove(file);
            // each chunk is proved, so the whole hashes to the root; checked again all the same
            listener.pieceLayer(file.index(), MerkleProofs.assemblePieceLayer(inOrder, pieceLayer, file.pieceCount(),
                    file.piecesRoot()));
        }
        assign(now);
    }

    /** The chunk {@code request} names if it is outstanding at {@code peer}, no longer outstanding. */
    private Chunk take(P peer, PeerMessage.HashRequest request) {
        Chunk chunk = chunks.get(request);
        Pending<P> at = chunk == null ? null : pending.get(chunk);
        if (at == null || !at.peer().equals(peer)) {
            return null;
        }
        pending.remove(chunk);
        return chunk;
    }

    private void assign(long now) {
        for (P peer : peers) {
            long outstanding = pending.values().stream().filter(p -> p.peer().equals(peer)).count();
            Set<Chunk> refused = refusedBy.getOrDefault(peer, Set.of());
            for (var it = waiting.iterator(); it.hasNext() && outstanding < MAX_OUTSTANDING_PER_PEER; ) {
                Chunk chunk = it.next();
                if (refused.contains(chunk)) {
                    continue;
                }
                it.remove();
                pending.put(chunk, new Pending<>(peer, now + timeoutMillis));
                outstanding++;
                listener.send(peer, chunk.message());
            }
        }
    }
}
