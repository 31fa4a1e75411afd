package io.graytorrent.core.internal.pick;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.function.IntUnaryOperator;

/**
 * Decides which blocks to request from which peer for one torrent.
 *
 * <p>Order of preference, applied one priority level at a time from high to low (strict: a
 * lower-priority piece is only requested once no higher one is requestable from that peer):
 * <ol>
 *   <li>pieces this peer is already downloading (whole-piece affinity: fewer peers share the
 *       blame for a bad piece, and pieces finish sooner so they can be shared);</li>
 *   <li>partly downloaded pieces nobody is requesting any more (e.g. their peer left);</li>
 *   <li>a new piece: random until {@value #RANDOM_FIRST_PIECES} pieces are complete (to have
 *       something to trade quickly), rarest-first after that (ties broken at random), or the
 *       lowest index in sequential mode; {@linkplain #setPreferred preferred pieces} (the first
 *       and last piece of each file, for streaming) before any other, lowest index first;</li>
 *   <li>free blocks of pieces other peers are downloading.</li>
 * </ol>
 * When every wanted block is received or requested (endgame), outstanding blocks are also
 * requested from other peers that have them, up to {@value #MAX_COPIES_PER_BLOCK} copies per
 * block; the first copy to arrive makes {@link #blockReceived} name the peers to CANCEL.
 *
 * <p>Not thread-safe: owned by the torrent's executor, like the rest of the torrent's state.
 *
 * @param <P> the peer handle; compared with equals/hashCode
 */
public final class PiecePicker<P> {

    static final int RANDOM_FIRST_PIECES = 4;
    /** The first request plus two endgame duplicates. */
    static final int MAX_COPIES_PER_BLOCK = 3;
    /** Piece priorities for {@link #setPiecePriorities}. */
    public static final int SKIP = 0;
    public static final int LOW = 1;
    public static final int NORMAL = 2;
    public static final int HIGH = 3;

    private final int pieceCount;
    private final IntUnaryOperator pieceLength;
    private final Random random;
    private final BitSet have = new BitSet();
    private final int[] priorities;
    /** Pieces with priority above SKIP that we do not have. */
    private final BitSet wantedMissing = new BitSet();
    /** How many of wantedMissing each priority level holds: a level with none is not searched. */
    private final int[] wantedMissingAt = new int[HIGH + 1];
    /** Per piece, the peers with a bitfield that have it (seeds, in seedCount, add the same to all). */
    private final int[] availability;
    private int seedCount;
    private boolean sequential;
    /** Pieces taken before the others at their priority level (first and last of each file); usually none. */
    private final BitSet preferred = new BitSet();
    private final Map<P, PeerState> peers = new HashMap<>();
    private final Map<Integer, PieceProgress<P>> inProgress = new HashMap<>();
    /** The keys of inProgress, for word-at-a-time scans of fresh pieces. */
    private final BitSet inProgressPieces = new BitSet();

    public PiecePicker(int pieceCount, IntUnaryOperator pieceLength, Random random) {
        if (pieceCount <= 0) {
            throw new IllegalArgumentException("pieceCount must be positive: " + pieceCount);
        }
        this.pieceCount = pieceCount;
        this.pieceLength = Objects.requireNonNull(pieceLength, "pieceLength");
        this.random = Objects.requireNonNull(random, "random");
        this.priorities = new int[pieceCount];
        Arrays.fill(priorities, NORMAL);
        this.availability = new int[pieceCount];
        recomputeWanted();
    }

    // ---- our side -------------------------------------------------------------------------

    /**
     * Replaces the set of verified pieces (e.g. after resume or recheck). Requests for pieces now
     * held are forgotten: the caller cancels them on the wire.
     */
    public void setHave(BitSet verifiedPieces) {
        checkBitfield(verifiedPieces);
        have.clear();
        have.or(verifiedPieces);
        for (int piece = have.nextSetBit(0); piece >= 0; piece = have.nextSetBit(piece + 1)) {
            dropProgress(piece);
        }
        recomputeWanted();
    }

    /** One priority per piece: 0 skip, 1 low, 2 normal (the default), 3 high. */
    public void setPiecePriorities(int[] newPriorities) {
        if (newPriorities.length != pieceCount) {
            throw new IllegalArgumentException(
                    "expected " + pieceCount + " priorities, got " + newPriorities.length);
        }
        for (int priority : newPriorities) {
            if (priority < SKIP || priority > HIGH) {
                throw new IllegalArgumentException("priority out of range 0..3: " + priority);
            }
        }
        System.arraycopy(newPriorities, 0, priorities, 0, pieceCount);
        recomputeWanted();
    }

    /** In sequential mode new pieces are taken in index order (streaming), not rarest-first. */
    public void setSequential(boolean sequential) {
        this.sequential = sequential;
    }

    /** Pieces to take before any other of their priority level, lowest index first; empty for none. */
    public void setPreferred(BitSet pieces) {
        checkBitfield(pieces);
        preferred.clear();
        preferred.or(pieces);
    }

    /** The piece hashed correctly: we have it and drop its per-block state. */
    public void pieceVerified(int piece) {
        checkPiece(piece);
        have.set(piece);
        if (wantedMissing.get(piece)) {
            wantedMissing.clear(piece);
            wantedMissingAt[priorities[piece]]--;
        }
        dropProgress(piece);
    }

    /**
     * The piece failed its hash: all its blocks become pickable again. Returns the peers that
     * contributed blocks to it so the caller can score (and eventually ban) them.
     */
    public Set<P> pieceFailed(int piece) {
        checkPiece(piece);
        PieceProgress<P> progress = inProgress.get(piece);
        Set<P> contributors = progress == null ? Set.of() : progress.contributors();
        dropProgress(piece);
        return contributors;
    }

    /**
     * Per block of a piece in progress, the peer that delivered it (null for a block not received); empty when the
     * piece is not in progress. Ask before {@link #pieceFailed}, which forgets it.
     */
    public List<P> blockSenders(int piece) {
        checkPiece(piece);
        PieceProgress<P> progress = inProgress.get(piece);
        return progress == null ? List.of() : progress.senders();
    }

    /** True when we have every piece whose priority is not skip. */
    public boolean isComplete() {
        return wantedMissing.isEmpty();
    }

    // ---- peer availability ----------------------------------------------------------------

    /** The peer's BITFIELD, added to what it announced before: a late or second one counts only its new pieces. */
    public void peerBitfield(P peer, BitSet pieces) {
        checkBitfield(pieces);
        PeerState state = peers.computeIfAbsent(peer, p -> new PeerState());
        for (int piece = pieces.nextSetBit(0); piece >= 0; piece = pieces.nextSetBit(piece + 1)) {
            addAvailability(state, piece);
        }
    }

    public void peerHave(P peer, int piece) {
        checkPiece(piece);
        addAvailability(peers.computeIfAbsent(peer, p -> new PeerState()), piece);
    }

    private void addAvailability(PeerState state, int piece) {
        if (!state.has(piece)) {
            state.pieces.set(piece);
            availability[piece]++;
        }
    }

    /** HAVE ALL (Fast extension), or a bitfield with every piece. */
    public void peerHaveAll(P peer) {
        PeerState state = peers.computeIfAbsent(peer, p -> new PeerState());
        forgetAvailability(state);
        state.seed = true;
        seedCount++;
    }

    /** The peer disconnected: its availability goes and its outstanding blocks become pickable. */
    public void peerGone(P peer) {
        PeerState state = peers.remove(peer);
        if (state != null) {
            forgetAvailability(state);
            releaseOutstanding(peer, state);
        }
    }

    /** True when the peer has a piece we want and do not have (we should be INTERESTED). */
    public boolean isInteresting(P peer) {
        PeerState state = peers.get(peer);
        if (state == null) {
            return false;
        }
        return state.seed ? !wantedMissing.isEmpty() : state.pieces.intersects(wantedMissing);
    }

    /** Number of peers that have the piece. */
    public int availability(int piece) {
        checkPiece(piece);
        return availability[piece] + seedCount;
    }

    // ---- requests -------------------------------------------------------------------------

    /**
     * Chooses up to {@code maxNewRequests} blocks to request from the peer now, and records them
     * as outstanding. A peer that announced no pieces yet gets nothing.
     *
     * @param allowedFastIfChoked null when the peer unchokes us; when it chokes us, the pieces it
     *     allows us to request anyway (Fast extension), possibly empty
     */
    public List<BlockRequest> pick(P peer, int maxNewRequests, Set<Integer> allowedFastIfChoked) {
        if (maxNewRequests < 0) {
            throw new IllegalArgumentException("maxNewRequests must not be negative: " + maxNewRequests);
        }
        PeerState state = peers.get(peer);
        if (state == null || maxNewRequests == 0) {
            return List.of();
        }
        IntPredicate candidate = piece -> wantedMissing.get(piece) && state.has(piece)
                && (allowedFastIfChoked == null || allowedFastIfChoked.contains(piece));
        List<BlockRequest> picked = new ArrayList<>();
        for (int priority = HIGH; priority > SKIP && picked.size() < maxNewRequests; priority--) {
            if (wantedMissingAt[priority] == 0) {
                continue; // else the fresh-piece scan would go over the whole torrent for nothing
            }
            int level = priority;
            IntPredicate eligible = piece -> priorities[piece] == level && candidate.test(piece);
            int piece;
            while (picked.size() < maxNewRequests && (piece = choosePiece(peer, state, eligible)) >= 0) {
                requestFreeBlocks(piece, peer, state, maxNewRequests, picked);
            }
        }
        if (picked.size() < maxNewRequests && inEndgame()) {
            requestDuplicates(peer, state, candidate, maxNewRequests, picked);
        }
        return picked;
    }

    /**
     * For a source that serves byte ranges (a web seed): up to {@code maxPieces} whole pieces in a
     * row, so that one HTTP request fetches them all. The run begins at the lowest-numbered of the
     * rarest pieces nobody has begun (peers keep the random and rarest-first spread; a range source
     * reads sequentially) and goes on while the next piece is wanted at the same priority, not
     * begun, and held by the source. With no fresh piece left, it is what {@link #pick} gives for
     * one piece's worth of blocks: free blocks of begun pieces, then endgame copies.
     */
    public List<BlockRequest> pickRun(P peer, int maxPieces) {
        PeerState state = peers.get(peer);
        if (state == null || maxPieces <= 0) {
            return List.of();
        }
        for (int priority = HIGH; priority > SKIP; priority--) {
            if (wantedMissingAt[priority] == 0) {
                continue;
            }
            int level = priority;
            IntPredicate fresh = piece -> priorities[piece] == level && wantedMissing.get(piece) && state.has(piece)
                    && !inProgressPieces.get(piece) && !state.rejected.stream().anyMatch(b -> b.piece() == piece);
            int first = rarestLowest(state, fresh);
            if (first >= 0) {
                List<BlockRequest> picked = new ArrayList<>();
                for (int piece = first; piece < pieceCount && piece - first < maxPieces && fresh.test(piece); piece++) {
                    requestFreeBlocks(piece, peer, state, Integer.MAX_VALUE, picked);
                }
                return picked;
            }
        }
        return pick(peer, BlockRequest.blockCount(pieceLength.applyAsInt(0)), null);
    }

    private int rarestLowest(PeerState state, IntPredicate fresh) {
        BitSet candidates = (BitSet) (state.seed ? wantedMissing : state.pieces).clone();
        candidates.and(wantedMissing);
        candidates.andNot(inProgressPieces);
        int best = -1;
        for (int piece = candidates.nextSetBit(0); piece >= 0; piece = candidates.nextSetBit(piece + 1)) {
            if ((best < 0 || availability[piece] < availability[best]) && fresh.test(piece)) {
                best = piece;
            }
        }
        return best;
    }

    /** True when the block is currently requested from this peer (check before {@link #blockReceived}). */
    public boolean wasRequested(P peer, BlockRequest block) {
        PeerState state = peers.get(peer);
        return state != null && state.isOutstanding(block);
    }

    /**
     * The peer delivered the block. Returns the other peers it was also requested from (endgame):
     * the caller sends them CANCEL. A block that was not requested from this peer changes nothing
     * and returns an empty list (see {@link #wasRequested}).
     */
    public List<P> blockReceived(P peer, BlockRequest block) {
        PeerState state = peers.get(peer);
        if (state == null || !state.removeOutstanding(block)) {
            return List.of();
        }
        List<P> others = inProgress.get(block.piece()).receive(block.index(), peer);
        for (P other : others) {
            peers.get(other).removeOutstanding(block);
        }
        return others;
    }

    /**
     * The peer answered REJECT: the block becomes pickable for other peers, and is not asked of
     * this peer again until {@link #peerUnchoked}.
     */
    public void requestRejected(P peer, BlockRequest block) {
        PeerState state = peers.get(peer);
        if (state != null && state.removeOutstanding(block)) {
            state.rejected.add(block);
            releaseRequest(peer, block);
        }
    }

    /** The peer unchoked us: blocks it rejected earlier may be requested from it again. */
    public void peerUnchoked(P peer) {
        PeerState state = peers.get(peer);
        if (state != null) {
            state.rejected.clear();
        }
    }

    /**
     * The peer choked us without the Fast extension, which silently drops its request queue: all
     * our requests to it become pickable again. (With Fast, it sends REJECT for each instead.)
     */
    public void requestsDropped(P peer) {
        PeerState state = peers.get(peer);
        if (state != null) {
            releaseOutstanding(peer, state);
        }
    }

    public int outstandingRequests(P peer) {
        PeerState state = peers.get(peer);
        return state == null ? 0 : state.outstandingCount();
    }

    /** Pieces that currently hold per-block state (bounded by the requests in flight). */
    public int piecesInProgress() {
        return inProgress.size();
    }

    // ---- choosing -------------------------------------------------------------------------

    private int choosePiece(P peer, PeerState state, IntPredicate eligible) {
        // the peer's own pieces first, lowest index first: one per piece, not one per block in flight
        BitSet own = state.piecesRequested();
        for (int piece = own.nextSetBit(0); piece >= 0; piece = own.nextSetBit(piece + 1)) {
            if (eligible.test(piece) && hasFreeBlock(piece, state)) {
                return piece;
            }
        }
        for (int piece = preferred.nextSetBit(0); piece >= 0; piece = preferred.nextSetBit(piece + 1)) {
            if (eligible.test(piece) && hasFreeBlock(piece, state)) {
                return piece;
            }
        }
        Choice choice = new Choice();
        if (sequential) {
            for (int piece = wantedMissing.nextSetBit(0); piece >= 0 && !choice.found();
                    piece = wantedMissing.nextSetBit(piece + 1)) {
                if (eligible.test(piece) && hasFreeBlock(piece, state)) {
                    choice.offer(piece, piece);
                }
            }
            return choice.best;
        }
        for (PieceProgress<P> progress : inProgress.values()) {
            int piece = progress.piece();
            if (!progress.hasRequesters() && eligible.test(piece) && hasFreeBlock(piece, state)) {
                choice.offer(piece, availability[piece]);
            }
        }
        if (choice.found()) {
            return choice.best;
        }
        int fresh = chooseFreshPiece(state, eligible);
        if (fresh >= 0) {
            return fresh;
        }
        for (PieceProgress<P> progress : inProgress.values()) {
            int piece = progress.piece();
            if (eligible.test(piece) && hasFreeBlock(piece, state)) {
                choice.offer(piece, availability[piece]);
            }
        }
        return choice.best;
    }

    /**
     * A piece nobody started: random while we have fewer than {@value #RANDOM_FIRST_PIECES}, else
     * the rarest, ties at random. This is the scan over the whole torrent, so it works on words
     * of the bitfields and draws one random number rather than one per tie.
     */
    private int chooseFreshPiece(PeerState state, IntPredicate eligible) {
        boolean randomFirst = have.cardinality() < RANDOM_FIRST_PIECES;
        BitSet fresh = (BitSet) (state.seed ? wantedMissing : state.pieces).clone();
        fresh.and(wantedMissing);
        fresh.andNot(inProgressPieces);
        boolean checkRejections = !state.rejected.isEmpty();
        int bestKey = Integer.MAX_VALUE;
        int ties = 0;
        for (int piece = fresh.nextSetBit(0); piece >= 0; piece = fresh.nextSetBit(piece + 1)) {
            if (!eligible.test(piece) || (checkRejections && !hasFreeBlock(piece, state))) {
                fresh.clear(piece);
                continue;
            }
            int key = randomFirst ? 0 : availability[piece];
            if (key < bestKey) {
                bestKey = key;
                ties = 1;
            } else if (key == bestKey) {
                ties++;
            }
        }
        int skip = ties == 0 ? -1 : random.nextInt(ties);
        for (int piece = fresh.nextSetBit(0); piece >= 0 && skip >= 0; piece = fresh.nextSetBit(piece + 1)) {
            if ((randomFirst ? 0 : availability[piece]) == bestKey && skip-- == 0) {
                return piece;
            }
        }
        return -1;
    }

    /** Lowest key wins; equal keys are chosen uniformly at random (reservoir sampling). */
    private final class Choice {
        int best = -1;
        private int bestKey;
        private int ties;

        void offer(int piece, int key) {
            if (best < 0 || key < bestKey) {
                best = piece;
                bestKey = key;
                ties = 1;
            } else if (key == bestKey && random.nextInt(++ties) == 0) {
                best = piece;
            }
        }

        boolean found() {
            return best >= 0;
        }
    }

    /** True when the piece has a block that is neither received nor requested, and the peer did not reject. */
    private boolean hasFreeBlock(int piece, PeerState state) {
        PieceProgress<P> progress = inProgress.get(piece);
        if (progress != null && progress.unrequestedCount() == 0) {
            return false;
        }
        if (state.rejected.isEmpty()) {
            return true;
        }
        int length = lengthOf(piece);
        for (int index = 0; index < BlockRequest.blockCount(length); index++) {
            if (isFree(progress, index) && !state.rejected.contains(BlockRequest.of(piece, length, index))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isFree(PieceProgress<?> progress, int index) {
        return progress == null || (!progress.isReceived(index) && progress.copies(index) == 0);
    }

    private void requestFreeBlocks(int piece, P peer, PeerState state, int max, List<BlockRequest> picked) {
        PieceProgress<P> progress = inProgress.get(piece);
        if (progress == null) {
            progress = new PieceProgress<>(piece, lengthOf(piece));
            inProgress.put(piece, progress);
            inProgressPieces.set(piece);
        }
        for (int index = 0; index < progress.blockCount() && picked.size() < max; index++) {
            BlockRequest block = progress.block(index);
            if (isFree(progress, index) && !state.rejected.contains(block)) {
                progress.addRequester(index, peer);
                state.addOutstanding(block);
                picked.add(block);
            }
        }
    }

    /** Endgame: every wanted block is received or requested from someone. */
    private boolean inEndgame() {
        for (int piece = wantedMissing.nextSetBit(0); piece >= 0; piece = wantedMissing.nextSetBit(piece + 1)) {
            PieceProgress<P> progress = inProgress.get(piece);
            if (progress == null || progress.unrequestedCount() > 0) {
                return false;
            }
        }
        return !wantedMissing.isEmpty();
    }

    private record Duplicate<P>(PieceProgress<P> progress, int index, int priority, int copies) { }

    private void requestDuplicates(P peer, PeerState state, IntPredicate candidate, int max,
            List<BlockRequest> picked) {
        List<Duplicate<P>> options = new ArrayList<>();
        for (PieceProgress<P> progress : inProgress.values()) {
            if (!candidate.test(progress.piece())) {
                continue;
            }
            for (int index = 0; index < progress.blockCount(); index++) {
                int copies = progress.copies(index);
                if (copies > 0 && copies < MAX_COPIES_PER_BLOCK && !progress.isRequestedFrom(index, peer)
                        && !state.rejected.contains(progress.block(index))) {
                    options.add(new Duplicate<>(progress, index, priorities[progress.piece()], copies));
                }
            }
        }
        options.sort(Comparator.comparingInt((Duplicate<P> d) -> -d.priority()).thenComparingInt(Duplicate::copies));
        for (int i = 0; i < options.size() && picked.size() < max; i++) {
            Duplicate<P> option = options.get(i);
            option.progress().addRequester(option.index(), peer);
            BlockRequest block = option.progress().block(option.index());
            state.addOutstanding(block);
            picked.add(block);
        }
    }

    // ---- bookkeeping ----------------------------------------------------------------------

    private void releaseOutstanding(P peer, PeerState state) {
        for (BlockRequest block : state.outstanding()) {
            releaseRequest(peer, block);
        }
        state.clearOutstanding();
    }

    private void releaseRequest(P peer, BlockRequest block) {
        PieceProgress<P> progress = inProgress.get(block.piece());
        progress.removeRequester(block.index(), peer);
        if (progress.isIdle()) {
            inProgress.remove(block.piece());
            inProgressPieces.clear(block.piece());
        }
    }

    /** Forgets the piece's block state and every request for it (callers cancel on the wire if needed). */
    private void dropProgress(int piece) {
        PieceProgress<P> progress = inProgress.remove(piece);
        inProgressPieces.clear(piece);
        if (progress != null) {
            for (int index = 0; index < progress.blockCount(); index++) {
                BlockRequest block = progress.block(index);
                for (P requester : progress.requestersOf(index)) {
                    peers.get(requester).removeOutstanding(block);
                }
            }
        }
        for (PeerState state : peers.values()) {
            if (!state.rejected.isEmpty()) {
                state.rejected.removeIf(block -> block.piece() == piece);
            }
        }
    }

    private void forgetAvailability(PeerState state) {
        if (state.seed) {
            state.seed = false;
            seedCount--;
        }
        BitSet pieces = state.pieces;
        for (int piece = pieces.nextSetBit(0); piece >= 0; piece = pieces.nextSetBit(piece + 1)) {
            availability[piece]--;
        }
        pieces.clear();
    }

    private void recomputeWanted() {
        wantedMissing.clear();
        Arrays.fill(wantedMissingAt, 0);
        for (int piece = 0; piece < pieceCount; piece++) {
            if (priorities[piece] != SKIP && !have.get(piece)) {
                wantedMissing.set(piece);
                wantedMissingAt[priorities[piece]]++;
            }
        }
    }

    private int lengthOf(int piece) {
        int length = pieceLength.applyAsInt(piece);
        if (length <= 0) {
            throw new IllegalStateException("piece " + piece + " has length " + length);
        }
        return length;
    }

    private void checkPiece(int piece) {
        if (piece < 0 || piece >= pieceCount) {
            throw new IndexOutOfBoundsException("piece " + piece + " out of 0.." + (pieceCount - 1));
        }
    }

    private void checkBitfield(BitSet pieces) {
        if (pieces.length() > pieceCount) {
            throw new IllegalArgumentException(
                    "bitfield names piece " + (pieces.length() - 1) + " of " + pieceCount);
        }
    }
}
