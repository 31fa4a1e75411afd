package io.graytorrent.core.internal.pick;

import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** What the picker knows about one peer: its pieces, our requests to it, the blocks it refused. */
final class PeerState {

    final BitSet pieces = new BitSet();
    boolean seed;
    final Set<BlockRequest> rejected = new HashSet<>();
    private final Set<BlockRequest> outstanding = new LinkedHashSet<>();
    /** The pieces of the outstanding requests, and how many requests each has. */
    private final BitSet piecesRequested = new BitSet();
    private final Map<Integer, Integer> requestsPerPiece = new HashMap<>();

    boolean has(int piece) {
        return seed || pieces.get(piece);
    }

    void addOutstanding(BlockRequest block) {
        if (outstanding.add(block)) {
            requestsPerPiece.merge(block.piece(), 1, Integer::sum);
            piecesRequested.set(block.piece());
        }
    }

    boolean removeOutstanding(BlockRequest block) {
        if (!outstanding.remove(block)) {
            return false;
        }
        if (requestsPerPiece.merge(block.piece(), -1, Integer::sum) == 0) {
            requestsPerPiece.remove(block.piece());
            piecesRequested.clear(block.piece());
        }
        return true;
    }

    void clearOutstanding() {
        outstanding.clear();
        requestsPerPiece.clear();
        piecesRequested.clear();
    }

    boolean isOutstanding(BlockRequest block) {
        return outstanding.contains(block);
    }

    int outstandingCount() {
        return outstanding.size();
    }

    /** Read only. */
    Set<BlockRequest> outstanding() {
        return outstanding;
    }

    /** The pieces with requests outstanding to this peer; read only. */
    BitSet piecesRequested() {
        return piecesRequested;
    }
}
