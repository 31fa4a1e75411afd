package io.graytorrent.core.internal.pick;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Per-block state of one piece being downloaded: which blocks arrived, which peers each missing
 * block is requested from, and who contributed data (to blame them if the hash fails). Exists only
 * while the piece is in progress, so memory follows the number of pieces in flight.
 */
final class PieceProgress<P> {

    private final int piece;
    private final int pieceLength;
    private final BitSet received = new BitSet();
    private final List<List<P>> requesters;
    private final Set<P> contributors = new LinkedHashSet<>();
    /** Per block, who delivered it (the copy that counted); null while not received. */
    private final List<P> senders;
    private int requestedBlocks;

    PieceProgress(int piece, int pieceLength) {
        this.piece = piece;
        this.pieceLength = pieceLength;
        int blocks = BlockRequest.blockCount(pieceLength);
        this.requesters = new ArrayList<>(blocks);
        this.senders = new ArrayList<>(blocks);
        for (int i = 0; i < blocks; i++) {
            requesters.add(null);
            senders.add(null);
        }
    }

    int piece() {
        return piece;
    }

    int blockCount() {
        return requesters.size();
    }

    BlockRequest block(int index) {
        return BlockRequest.of(piece, pieceLength, index);
    }

    boolean isReceived(int index) {
        return received.get(index);
    }

    int copies(int index) {
        List<P> peers = requesters.get(index);
        return peers == null ? 0 : peers.size();
    }

    boolean isRequestedFrom(int index, P peer) {
        List<P> peers = requesters.get(index);
        return peers != null && peers.contains(peer);
    }

    /** Blocks neither received nor requested from anyone. */
    int unrequestedCount() {
        return blockCount() - received.cardinality() - requestedBlocks;
    }

    /** True when some block is requested from at least one peer. */
    boolean hasRequesters() {
        return requestedBlocks > 0;
    }

    /** Nothing received and nothing requested: the state carries no information any more. */
    boolean isIdle() {
        return requestedBlocks == 0 && received.isEmpty();
    }

    void addRequester(int index, P peer) {
        List<P> peers = requesters.get(index);
        if (peers == null) {
            peers = new ArrayList<>(2);
            requesters.set(index, peers);
            requestedBlocks++;
        }
        peers.add(peer);
    }

    void removeRequester(int index, P peer) {
        List<P> peers = requesters.get(index);
        if (peers != null && peers.remove(peer) && peers.isEmpty()) {
            requesters.set(index, null);
            requestedBlocks--;
        }
    }

    /** Marks the block received from {@code from}; returns the other peers it was requested from. */
    List<P> receive(int index, P from) {
        List<P> peers = requesters.get(index);
        List<P> others = List.of();
        if (peers != null) {
            peers.remove(from);
            others = List.copyOf(peers);
            requesters.set(index, null);
            requestedBlocks--;
        }
        if (!received.get(index)) {
            senders.set(index, from);
        }
        received.set(index);
        contributors.add(from);
        return others;
    }

    /** Every peer that any block is currently requested from, per block. */
    List<P> requestersOf(int index) {
        List<P> peers = requesters.get(index);
        return peers == null ? List.of() : List.copyOf(peers);
    }

    /** Per block, who delivered it; null for a block not received. */
    List<P> senders() {
        return java.util.Collections.unmodifiableList(new ArrayList<>(senders));
    }

    Set<P> contributors() {
        return Set.copyOf(contributors);
    }
}
