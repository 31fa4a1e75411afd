package io.graytorrent.core.internal.pick;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.testkit.Unit;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A whole download against simulated peers: partial bitfields, slow and fast peers, rejects,
 * disconnects, a peer that sends corrupt data. The picker must finish the torrent, never ask for
 * data we hold, keep one copy per block until the endgame, and blame the corrupt peer.
 */
@Unit
class PiecePickerSwarmTest {

    private static final int PIECES = 60;
    private static final int PIECE_LENGTH = 3 * BlockRequest.BLOCK_SIZE + 100;
    private static final String CORRUPT = "corrupt";

    private final Random random = new Random(2026);
    private final PiecePicker<String> picker = new PiecePicker<>(PIECES, p -> PIECE_LENGTH, new Random(1));
    private final Map<String, List<BlockRequest>> queues = new HashMap<>();
    private final Map<Integer, Set<Integer>> receivedBlocks = new HashMap<>();
    private final Map<Integer, Boolean> corrupted = new HashMap<>();
    private final BitSet verified = new BitSet();
    private int maxInProgress;
    private int duplicateRequestsOutsideEndgame;
    private int failures;
    private final List<String> peers = new ArrayList<>();

    @Test
    void aSwarmOfSimulatedPeersCompletesTheTorrentAndTheCorruptPeerIsBlamed() {
        for (int i = 0; i < 12; i++) {
            String peer = "peer" + i;
            peers.add(peer);
            BitSet pieces = new BitSet();
            for (int piece = 0; piece < PIECES; piece++) {
                if (random.nextInt(3) == 0) {
                    pieces.set(piece);
                }
            }
            picker.peerBitfield(peer, pieces);
        }
        picker.peerHaveAll("seed");
        picker.peerHaveAll(CORRUPT);
        peers.add("seed");
        peers.add(CORRUPT);
        Set<String> blamed = new HashSet<>();

        int rounds = 0;
        while (!picker.isComplete() && rounds++ < 5_000) {
            for (String peer : List.copyOf(peers)) {
                queues.computeIfAbsent(peer, p -> new ArrayList<>());
                requestUpTo(peer, 8);
                deliverSome(peer, blamed);
            }
            if (rounds == 30) {
                picker.peerGone("peer3"); // leaves with requests outstanding
                queues.remove("peer3");
                peers.remove("peer3");
            }
            maxInProgress = Math.max(maxInProgress, picker.piecesInProgress());
        }

        assertTrue(picker.isComplete(), "stuck after " + rounds + " rounds, have " + verified.cardinality());
        assertEquals(PIECES, verified.cardinality());
        assertTrue(blamed.contains(CORRUPT), "the corrupt peer contributed to failed pieces");
        assertEquals(0, duplicateRequestsOutsideEndgame);
        assertTrue(maxInProgress <= peers.size() * 8, "per-block state only for pieces in flight: " + maxInProgress);
        assertEquals(0, picker.piecesInProgress());
    }

    private void requestUpTo(String peer, int depth) {
        List<BlockRequest> queue = queues.get(peer);
        for (BlockRequest block : picker.pick(peer, depth - queue.size(), null)) {
            assertFalse(verified.get(block.piece()), "asked for a piece we have");
            assertFalse(receivedBlocks.getOrDefault(block.piece(), Set.of()).contains(block.index()));
            if (!inEndgame() && othersRequested(peer, block)) {
                duplicateRequestsOutsideEndgame++;
            }
            queue.add(block);
        }
        assertEquals(queue.size(), picker.outstandingRequests(peer));
    }

    private boolean inEndgame() {
        // the test's own view: every missing block of every missing piece is queued somewhere
        int queued = queues.values().stream().mapToInt(List::size).sum();
        int missingBlocks = 0;
        for (int piece = verified.nextClearBit(0); piece < PIECES; piece = verified.nextClearBit(piece + 1)) {
            missingBlocks += 4 - receivedBlocks.getOrDefault(piece, Set.of()).size();
        }
        return queued >= missingBlocks;
    }

    private boolean othersRequested(String peer, BlockRequest block) {
        return queues.entrySet().stream().anyMatch(e -> !e.getKey().equals(peer) && e.getValue().contains(block));
    }

    private void deliverSome(String peer, Set<String> blamed) {
        List<BlockRequest> queue = queues.get(peer);
        int deliveries = peer.equals("seed") ? 1 : random.nextInt(3);
        for (int i = 0; i < deliveries && !queue.isEmpty(); i++) {
            BlockRequest block = queue.remove(0);
            if (random.nextInt(20) == 0) {
                picker.requestRejected(peer, block);
                picker.peerUnchoked(peer);
                continue;
            }
            assertTrue(picker.wasRequested(peer, block));
            for (String other : picker.blockReceived(peer, block)) {
                assertTrue(queues.get(other).remove(block), "CANCEL goes to a peer that had it queued");
            }
            Set<Integer> blocks = receivedBlocks.computeIfAbsent(block.piece(), p -> new HashSet<>());
            blocks.add(block.index());
            if (peer.equals(CORRUPT)) {
                corrupted.put(block.piece(), true);
            }
            if (blocks.size() == 4) {
                finishPiece(block.piece(), blamed);
            }
        }
    }

    private void finishPiece(int piece, Set<String> blamed) {
        receivedBlocks.remove(piece);
        if (corrupted.remove(piece) != null) {
            Set<String> contributors = picker.pieceFailed(piece);
            assertTrue(contributors.contains(CORRUPT));
            blamed.addAll(contributors);
            if (++failures == 3) {
                picker.peerGone(CORRUPT); // banned: its pending requests go back to the pool
                queues.remove(CORRUPT).clear();
                peers.remove(CORRUPT);
            }
        } else {
            picker.pieceVerified(piece);
            verified.set(piece);
        }
    }
}
