package io.graytorrent.core.internal.pick;

import static io.graytorrent.core.internal.pick.BlockRequest.BLOCK_SIZE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.testkit.Unit;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

@Unit
class PiecePickerTest {

    /** Four blocks per piece; the last piece is 1.5 blocks long. */
    private static final int PIECE_LENGTH = 4 * BLOCK_SIZE;
    private static final int LAST_PIECE_LENGTH = BLOCK_SIZE + BLOCK_SIZE / 2;

    private static PiecePicker<String> picker(int pieces, long seed) {
        return new PiecePicker<>(pieces, p -> p == pieces - 1 ? LAST_PIECE_LENGTH : PIECE_LENGTH, new Random(seed));
    }

    private static BitSet bits(int... pieces) {
        BitSet set = new BitSet();
        for (int piece : pieces) {
            set.set(piece);
        }
        return set;
    }

    private static BitSet range(int from, int to) {
        BitSet set = new BitSet();
        set.set(from, to);
        return set;
    }

    private static Set<Integer> pieces(List<BlockRequest> blocks) {
        return blocks.stream().map(BlockRequest::piece).collect(Collectors.toSet());
    }

    /** Leaves the random-first phase by marking the given pieces as verified. */
    private static void haveFourPieces(PiecePicker<String> picker, int first) {
        picker.setHave(range(first, first + PiecePicker.RANDOM_FIRST_PIECES));
    }

    @Test
    void blocksTileEachPieceAndTheLastBlockOfTheLastPieceIsShort() {
        PiecePicker<String> picker = picker(2, 1);
        picker.peerHaveAll("A");
        List<BlockRequest> all = picker.pick("A", 100, null);

        assertEquals(List.of(
                new BlockRequest(0, 0, BLOCK_SIZE), new BlockRequest(0, BLOCK_SIZE, BLOCK_SIZE),
                new BlockRequest(0, 2 * BLOCK_SIZE, BLOCK_SIZE), new BlockRequest(0, 3 * BLOCK_SIZE, BLOCK_SIZE),
                new BlockRequest(1, 0, BLOCK_SIZE), new BlockRequest(1, BLOCK_SIZE, BLOCK_SIZE / 2)),
                all.stream().sorted(java.util.Comparator.comparingInt(BlockRequest::piece)
                        .thenComparingInt(BlockRequest::offset)).toList());
    }

    @Test
    void lateAvailabilityCountsOnlyThePiecesItAdds() {
        PiecePicker<String> picker = picker(20, 7);
        picker.peerHave("A", 3);
        picker.peerBitfield("A", range(2, 5)); // HAVE then BITFIELD
        picker.peerBitfield("A", range(4, 7)); // a second BITFIELD
        picker.peerBitfield("B", range(0, 4));
        picker.peerHave("B", 9);
        picker.peerHaveAll("B"); // HAVE_ALL after HAVEs
        picker.peerBitfield("B", range(0, 2)); // a BITFIELD after HAVE_ALL
        for (int piece = 0; piece < 20; piece++) {
            int fromA = piece >= 2 && piece < 7 ? 1 : 0;
            assertEquals(fromA + 1, picker.availability(piece), "piece " + piece);
        }
        picker.peerGone("A");
        picker.peerGone("B");
        for (int piece = 0; piece < 20; piece++) {
            assertEquals(0, picker.availability(piece), "piece " + piece + " once both are gone");
        }
    }

    @Test
    void rarestFirstPicksTheRarestPieceOnceFourPiecesAreComplete() {
        PiecePicker<String> picker = picker(20, 7);
        haveFourPieces(picker, 16);
        picker.peerHaveAll("A");
        picker.peerBitfield("B", range(0, 16));
        picker.peerBitfield("C", range(0, 9));
        picker.peerHave("D", 3);

        assertEquals(2, picker.availability(12));
        assertEquals(3, picker.availability(8));
        assertEquals(4, picker.availability(3));

        List<BlockRequest> first = picker.pick("A", 4, null);
        assertEquals(4, first.size());
        assertTrue(Set.of(9, 10, 11, 12, 13, 14, 15).containsAll(pieces(first)));
        assertEquals(1, pieces(first).size());
        // after the rarest (availability 2: pieces 9..15) come the pieces C also has, last piece 3 (D too)
        List<BlockRequest> everything = picker.pick("A", 1000, null);
        int lastPiece = everything.get(everything.size() - 1).piece();
        assertEquals(3, lastPiece);
    }

    @Test
    void rarestTiesAreBrokenAtRandom() {
        Set<Integer> firstPicks = new HashSet<>();
        Random seeds = new Random(42);
        for (int run = 0; run < 200; run++) {
            PiecePicker<String> picker = picker(12, seeds.nextLong());
            haveFourPieces(picker, 8);
            picker.peerHaveAll("A");
            firstPicks.add(picker.pick("A", 1, null).get(0).piece());
        }
        assertEquals(Set.of(0, 1, 2, 3, 4, 5, 6, 7), firstPicks);
    }

    @Test
    void firstPiecesAreRandomNotRarest() {
        Set<Integer> firstPicks = new HashSet<>();
        Random seeds = new Random(42);
        for (int run = 0; run < 40; run++) {
            PiecePicker<String> picker = picker(10, seeds.nextLong());
            picker.peerHaveAll("A");
            picker.peerBitfield("B", range(1, 10)); // piece 0 is the rarest
            firstPicks.add(picker.pick("A", 1, null).get(0).piece());
        }
        assertTrue(firstPicks.size() > 3, "random-first should spread over pieces: " + firstPicks);
        assertTrue(firstPicks.stream().anyMatch(p -> p != 0));
    }

    @Test
    void strictPriorityNeverTakesALowerPieceWhileAHigherOneIsRequestable() {
        PiecePicker<String> picker = picker(10, 3);
        haveFourPieces(picker, 6);
        picker.peerHaveAll("A");
        picker.peerBitfield("B", range(0, 6));
        picker.peerBitfield("C", bits(5));
        int[] priorities = {0, 1, 2, 2, 2, 3, 2, 2, 2, 2};
        picker.setPiecePriorities(priorities);

        // piece 5 is the most common, but high priority; piece 0 is skipped
        assertEquals(Set.of(5), pieces(picker.pick("A", 4, null)));
        // then the normal ones (rarest first would prefer none of them to the others: all equal) ...
        List<BlockRequest> normal = picker.pick("A", 12, null);
        assertEquals(Set.of(2, 3, 4), pieces(normal));
        // ... and only then low, and never skip
        assertEquals(Set.of(1), pieces(picker.pick("A", 100, null)));
        assertEquals(2, picker.availability(0));
        assertTrue(picker.pick("B", 100, null).stream().noneMatch(b -> b.piece() == 0), "skipped pieces never");
    }

    @Test
    void strictPriorityIsPerPeerSoAPeerWithoutTheHighPieceStillServesNormalOnes() {
        PiecePicker<String> picker = picker(8, 3);
        haveFourPieces(picker, 4);
        picker.setPiecePriorities(new int[] {3, 2, 2, 2, 2, 2, 2, 2});
        picker.peerBitfield("B", range(1, 4));

        List<BlockRequest> b = picker.pick("B", 4, null);
        assertEquals(4, b.size());
        assertTrue(Set.of(1, 2, 3).containsAll(pieces(b)));
    }

    @Test
    void aPeerKeepsDownloadingThePieceItStarted() {
        PiecePicker<String> picker = picker(10, 5);
        haveFourPieces(picker, 6);
        picker.peerHaveAll("A");
        picker.peerHaveAll("B");

        List<BlockRequest> a1 = picker.pick("A", 2, null);
        List<BlockRequest> b1 = picker.pick("B", 2, null);
        List<BlockRequest> a2 = picker.pick("A", 2, null);

        assertEquals(1, pieces(a1).size());
        assertEquals(pieces(a1), pieces(a2), "A continues its own piece");
        assertFalse(pieces(b1).equals(pieces(a1)), "B starts another piece while fresh ones exist");
    }

    @Test
    void aPieceLeftHalfDoneByAGonePeerIsFinishedBeforeStartingNewOnes() {
        PiecePicker<String> picker = picker(10, 5);
        haveFourPieces(picker, 6);
        picker.peerHaveAll("A");
        picker.peerBitfield("B", range(0, 6));
        picker.peerBitfield("C", bits(0)); // piece 0 is the most common: rarest-first would avoid it
        picker.peerBitfield("D", bits(0));

        picker.setPiecePriorities(new int[] {2, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        List<BlockRequest> a = picker.pick("A", 2, null);
        picker.setPiecePriorities(new int[] {2, 2, 2, 2, 2, 2, 2, 2, 2, 2});
        picker.blockReceived("A", a.get(0));
        picker.peerGone("A");

        List<BlockRequest> b = picker.pick("B", 3, null);
        assertEquals(Set.of(0), pieces(b));
        assertTrue(b.contains(a.get(1)), "the block A never delivered is pickable again");
        assertFalse(b.contains(a.get(0)), "the block A delivered is not asked again");
    }

    @Test
    void whenFreshPiecesRunOutAPeerJoinsPiecesOthersAreDownloading() {
        PiecePicker<String> picker = picker(5, 1);
        haveFourPieces(picker, 1);
        picker.peerHaveAll("A");
        picker.peerHaveAll("B");

        assertEquals(2, picker.pick("A", 2, null).size());
        List<BlockRequest> b = picker.pick("B", 10, null);
        assertEquals(List.of(new BlockRequest(0, 2 * BLOCK_SIZE, BLOCK_SIZE),
                new BlockRequest(0, 3 * BLOCK_SIZE, BLOCK_SIZE)), b.subList(0, 2));
    }

    @Test
    void endgameDuplicatesOutstandingBlocksAndCancelsTheOtherCopies() {
        PiecePicker<String> picker = picker(2, 1);
        picker.setHave(bits(0));
        for (String peer : List.of("A", "B", "C", "D")) {
            picker.peerHaveAll(peer);
        }
        List<BlockRequest> a = picker.pick("A", 10, null);
        assertEquals(2, a.size()); // the short last piece: 2 blocks, now all requested

        assertEquals(a, picker.pick("B", 10, null), "endgame: B duplicates A's requests");
        assertEquals(a, picker.pick("C", 10, null), "second extra copy");
        assertEquals(List.of(), picker.pick("D", 10, null), "at most three copies of a block");
        assertEquals(List.of(), picker.pick("A", 10, null), "never the same block twice from one peer");

        assertTrue(picker.wasRequested("B", a.get(0)));
        assertEquals(List.of("A", "C"), picker.blockReceived("B", a.get(0)));
        assertFalse(picker.wasRequested("A", a.get(0)));
        assertEquals(1, picker.outstandingRequests("A"));
        assertEquals(1, picker.outstandingRequests("C"));
        assertEquals(List.of(), picker.pick("D", 10, null), "the received block is not duplicated");
    }

    @Test
    void noDuplicatesBeforeEveryBlockIsRequested() {
        PiecePicker<String> picker = picker(3, 1);
        picker.peerHaveAll("A");
        picker.peerBitfield("B", bits(0, 1));
        List<BlockRequest> a = picker.pick("A", 8, Set.of(0, 1)); // pieces 0 and 1; piece 2 left
        assertEquals(Set.of(0, 1), pieces(a));

        List<BlockRequest> b = picker.pick("B", 10, null);
        assertTrue(b.stream().noneMatch(a::contains), "B has pieces 0 and 1 only, which A already requested");
        assertEquals(List.of(), b, "piece 2 still unrequested, so no endgame yet");
    }

    @Test
    void aBlockNotRequestedFromThePeerIsReportedAndChangesNothing() {
        PiecePicker<String> picker = picker(3, 1);
        picker.peerHaveAll("A");
        picker.peerHaveAll("B");
        BlockRequest block = picker.pick("A", 1, null).get(0);

        assertFalse(picker.wasRequested("B", block));
        assertEquals(List.of(), picker.blockReceived("B", block));
        assertTrue(picker.wasRequested("A", block));
        assertFalse(picker.wasRequested("stranger", block));
        assertEquals(List.of(), picker.blockReceived("stranger", block));
    }

    @Test
    void aRejectedBlockGoesToOtherPeersAndBackToTheSamePeerOnlyAfterUnchoke() {
        PiecePicker<String> picker = picker(1, 1);
        picker.peerHaveAll("A");
        picker.peerHaveAll("B");
        List<BlockRequest> a = picker.pick("A", 2, null);
        picker.requestRejected("A", a.get(0));

        assertEquals(1, picker.outstandingRequests("A"));
        assertEquals(List.of(a.get(0)), picker.pick("B", 1, null).subList(0, 1));
        picker.requestRejected("B", a.get(0));
        List<BlockRequest> again = picker.pick("A", 10, null);
        assertFalse(again.contains(a.get(0)), "A rejected it: do not ask A again while it still refuses");
        picker.peerUnchoked("A");
        assertTrue(picker.pick("A", 10, null).contains(a.get(0)));
    }

    @Test
    void aChokeWithoutFastDropsTheQueueAndTheBlocksArePickableAgain() {
        PiecePicker<String> picker = picker(4, 1);
        picker.peerHaveAll("A");
        assertEquals(3, picker.pick("A", 3, null).size());
        picker.requestsDropped("A");

        assertEquals(0, picker.outstandingRequests("A"));
        assertEquals(0, picker.piecesInProgress());
        picker.peerHaveAll("B");
        picker.setSequential(true);
        assertEquals(3, picker.pick("B", 3, null).size());
        assertTrue(picker.wasRequested("B", new BlockRequest(0, 0, BLOCK_SIZE)));
    }

    @Test
    void whenChokedOnlyAllowedFastPiecesAreRequested() {
        PiecePicker<String> picker = picker(10, 1);
        picker.peerHaveAll("A");

        assertEquals(List.of(), picker.pick("A", 10, Set.of()));
        assertEquals(Set.of(6), pieces(picker.pick("A", 10, Set.of(6))));
    }

    @Test
    void sequentialModeTakesPiecesInIndexOrder() {
        PiecePicker<String> picker = picker(10, 1);
        haveFourPieces(picker, 0);
        picker.peerHaveAll("A");
        picker.peerBitfield("B", range(5, 10)); // 4 would be the rarest
        picker.setSequential(true);

        assertEquals(List.of(4, 4, 4, 4, 5, 5, 5, 5, 6),
                picker.pick("A", 9, null).stream().map(BlockRequest::piece).toList());
    }

    @Test
    void preferredPiecesComeFirstThenRarestFirstForTheRest() {
        PiecePicker<String> picker = picker(10, 1);
        haveFourPieces(picker, 0);
        picker.peerHaveAll("A");
        picker.peerBitfield("B", range(4, 9)); // 9 is the rarest
        BitSet edges = new BitSet();
        edges.set(4);
        edges.set(8);
        picker.setPreferred(edges);

        assertEquals(List.of(4, 4, 4, 4, 8, 8, 8, 8, 9),
                picker.pick("A", 9, null).stream().map(BlockRequest::piece).toList());
    }

    @Test
    void preferredPiecesOnlyAtTheirOwnPriorityLevel() {
        PiecePicker<String> picker = picker(4, 1);
        picker.peerHaveAll("A");
        picker.setPiecePriorities(new int[] {PiecePicker.NORMAL, PiecePicker.HIGH, PiecePicker.SKIP, PiecePicker.NORMAL});
        BitSet edges = new BitSet();
        edges.set(2);
        edges.set(3);
        picker.setPreferred(edges);

        assertEquals(List.of(1, 1, 1, 1, 3, 3, 0, 0),
                picker.pick("A", 8, null).stream().map(BlockRequest::piece).toList(),
                "high first, then the preferred piece of its level (the last: 2 blocks), then the rest;"
                        + " a skipped preferred piece is never taken");
    }

    @Test
    void aFailedPieceNamesItsContributorsAndIsDownloadedAgain() {
        PiecePicker<String> picker = picker(2, 1);
        picker.peerHaveAll("A");
        picker.peerHaveAll("B");
        picker.setPiecePriorities(new int[] {2, 0});
        List<BlockRequest> a = picker.pick("A", 2, null);
        List<BlockRequest> b = picker.pick("B", 2, null);
        a.forEach(block -> picker.blockReceived("A", block));
        b.forEach(block -> picker.blockReceived("B", block));

        assertEquals(List.of(), picker.pick("A", 4, null), "all blocks arrived, awaiting the hash");
        assertEquals(Set.of("A", "B"), picker.pieceFailed(0));
        assertEquals(4, picker.pick("A", 4, null).size());
        assertFalse(picker.isComplete());
        picker.pieceVerified(0);
        assertTrue(picker.isComplete());
        assertEquals(0, picker.outstandingRequests("A"));
        assertEquals(0, picker.piecesInProgress());
    }

    @Test
    void interestFollowsWhatThePeerHasThatWeStillWant() {
        PiecePicker<String> picker = picker(4, 1);
        picker.peerBitfield("A", bits(1));
        picker.peerHaveAll("S");

        assertTrue(picker.isInteresting("A"));
        assertFalse(picker.isInteresting("unknown"));
        picker.pieceVerified(1);
        assertFalse(picker.isInteresting("A"));
        picker.peerHave("A", 2);
        assertTrue(picker.isInteresting("A"));
        picker.setPiecePriorities(new int[] {2, 2, 0, 2});
        assertFalse(picker.isInteresting("A"));
        assertTrue(picker.isInteresting("S"));
        picker.setHave(bits(0, 1, 3));
        assertFalse(picker.isInteresting("S"));
        assertTrue(picker.isComplete());
    }

    @Test
    void availabilityCountsBitfieldsHavesAndSeedsAndForgetsPeersThatLeave() {
        PiecePicker<String> picker = picker(4, 1);
        picker.peerBitfield("A", bits(0, 1));
        picker.peerHave("A", 1);
        picker.peerHave("B", 1);
        picker.peerHaveAll("S");
        picker.peerHaveAll("S");

        assertEquals(List.of(2, 3, 1, 1), IntStream.range(0, 4).map(picker::availability).boxed().toList());
        picker.peerHaveAll("A");
        assertEquals(List.of(2, 3, 2, 2), IntStream.range(0, 4).map(picker::availability).boxed().toList());
        picker.peerGone("A");
        picker.peerGone("S");
        assertEquals(List.of(0, 1, 0, 0), IntStream.range(0, 4).map(picker::availability).boxed().toList());
    }

    @Test
    void badInputIsRefusedClearly() {
        PiecePicker<String> picker = picker(4, 1);
        assertThrows(IllegalArgumentException.class, () -> picker.setPiecePriorities(new int[3]));
        assertThrows(IllegalArgumentException.class, () -> picker.setPiecePriorities(new int[] {0, 1, 2, 4}));
        assertThrows(IllegalArgumentException.class, () -> picker.peerBitfield("A", bits(4)));
        assertThrows(IndexOutOfBoundsException.class, () -> picker.peerHave("A", 4));
        assertThrows(IllegalArgumentException.class, () -> picker.pick("A", -1, null));
        assertThrows(IllegalArgumentException.class, () -> new BlockRequest(0, 0, BLOCK_SIZE + 1));
        assertThrows(IllegalArgumentException.class, () -> new PiecePicker<String>(0, p -> 1, new Random()));
    }
}
