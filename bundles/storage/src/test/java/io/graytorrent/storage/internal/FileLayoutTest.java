package io.graytorrent.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.graytorrent.storage.TestTorrent;
import io.graytorrent.storage.internal.FileLayout.Slice;
import io.graytorrent.testkit.Unit;
import java.util.List;
import org.junit.jupiter.api.Test;

@Unit
class FileLayoutTest {

    @Test
    void onePieceSpansManySmallFilesAndSkipsZeroLengthOnes() {
        FileLayout map = new FileLayout(TestTorrent.of("t", 16, 1, "a:3", "empty:0", "b:5", "c:1", "d:20").metainfo);
        assertEquals(List.of(new Slice(0, 0, 3), new Slice(2, 0, 5), new Slice(3, 0, 1), new Slice(4, 0, 7)),
                map.pieceSlices(0));
        assertEquals(List.of(new Slice(4, 7, 13)), map.pieceSlices(1));
    }

    @Test
    void lastPieceIsShort() {
        FileLayout map = new FileLayout(TestTorrent.of("t", 16, 1, "a:10", "b:30").metainfo);
        assertEquals(3, map.pieceCount());
        assertEquals(8, map.pieceLength(2));
        assertEquals(List.of(new Slice(1, 22, 8)), map.pieceSlices(2));
    }

    @Test
    void paddingFilesAreMappedLikeFilesSoTheirZerosCanBeHashed() {
        FileLayout map = new FileLayout(TestTorrent.of("t", 16, 1, "a:10", "pad:6", "b:16").metainfo);
        assertEquals(List.of(new Slice(0, 0, 10), new Slice(1, 0, 6)), map.pieceSlices(0));
        assertEquals(List.of(new Slice(2, 0, 16)), map.pieceSlices(1));
    }

    @Test
    void filePieceRangesAndZeroLengthFiles() {
        FileLayout map = new FileLayout(TestTorrent.of("t", 16, 1, "a:10", "empty:0", "b:30", "trailing:0").metainfo);
        assertEquals(0, map.firstPiece(0));
        assertEquals(0, map.lastPiece(0));
        assertEquals(0, map.firstPiece(2));
        assertEquals(2, map.lastPiece(2));
        assertEquals(-1, map.firstPiece(1));
        assertEquals(-2, map.lastPiece(3));
    }

    @Test
    void blockInsideAPieceStartsInTheRightFile() {
        FileLayout map = new FileLayout(TestTorrent.of("t", 16, 1, "a:3", "b:5", "c:40").metainfo);
        assertEquals(List.of(new Slice(1, 2, 3), new Slice(2, 0, 4)), map.slices(5, 7));
    }

    @Test
    void rangesOutsideTheTorrentAndWrongHashCountsAreRejected() {
        FileLayout map = new FileLayout(TestTorrent.of("t", 16, 1, "a:20").metainfo);
        assertThrows(IndexOutOfBoundsException.class, () -> map.slices(10, 11));
        TestTorrent other = TestTorrent.of("t", 8, 1, "a:20");
        var tooFewHashes = new io.graytorrent.metainfo.Metainfo(other.metainfo.infoHash(), other.metainfo.info(), "t", 16,
                other.metainfo.pieceHashes(), other.metainfo.files(), false, List.of(), List.of(), false,
                java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty());
        assertThrows(IllegalArgumentException.class, () -> new FileLayout(tooFewHashes));
    }
}
