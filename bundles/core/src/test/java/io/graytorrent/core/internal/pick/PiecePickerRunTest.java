package io.graytorrent.core.internal.pick;

import static io.graytorrent.core.internal.pick.BlockRequest.BLOCK_SIZE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.graytorrent.testkit.Unit;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Runs of whole contiguous pieces for a range source (a web seed), beside peers. */
@Unit
class PiecePickerRunTest {
    private static final int PIECE = 2 * BLOCK_SIZE;
    private final PiecePicker<String> picker = new PiecePicker<>(10, piece -> PIECE, new Random(1));

    private static List<Integer> pieces(List<BlockRequest> blocks) {
        return blocks.stream().map(BlockRequest::piece).distinct().toList();
    }

    @Test
    void aRunIsWholePiecesInOrderFromTheLowestRarest() {
        picker.peerHaveAll("seed");
        List<BlockRequest> run = picker.pickRun("seed", 4);
        assertEquals(List.of(0, 1, 2, 3), pieces(run));
        assertEquals(8, run.size(), "every block of the four pieces");
        assertEquals(List.of(4, 5, 6, 7), pieces(picker.pickRun("seed", 4)));
    }

    @Test
    void aRunBeginsWherePeersCannotHelpAndStopsAtAPieceBegunElsewhere() {
        BitSet peerPieces = new BitSet();
        peerPieces.set(0, 4);
        picker.peerBitfield("peer", peerPieces);
        picker.peerHaveAll("seed");
        picker.pieceVerified(7);
        assertEquals(List.of(4, 5, 6), pieces(picker.pickRun("seed", 8)), "4 is the lowest of the rarest; 7 is had");
        assertEquals(List.of(8, 9), pieces(picker.pickRun("seed", 8)));
        int begun = pieces(picker.pick("peer", 1, null)).get(0);
        List<Integer> expected = begun == 0 ? List.of(1, 2, 3) : IntStream.range(0, begun).boxed().toList();
        assertEquals(expected, pieces(picker.pickRun("seed", 8)), "the peer began " + begun);
    }

    @Test
    void withNoFreshPieceLeftARunTakesFreeBlocksOfBegunPieces() {
        PiecePicker<String> small = new PiecePicker<>(1, piece -> PIECE, new Random(1));
        small.peerHaveAll("peer");
        small.peerHaveAll("seed");
        assertEquals(1, small.pick("peer", 1, null).size());
        List<BlockRequest> rest = small.pickRun("seed", 4);
        assertEquals(List.of(new BlockRequest(0, BLOCK_SIZE, BLOCK_SIZE), new BlockRequest(0, 0, BLOCK_SIZE)), rest,
                "the free block, then (endgame) a copy of the one the peer has");
    }
}
