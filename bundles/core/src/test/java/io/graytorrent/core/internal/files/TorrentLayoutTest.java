package io.graytorrent.core.internal.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.graytorrent.api.FilePriority;
import io.graytorrent.api.FileStatus;
import io.graytorrent.api.InfoHash;
import io.graytorrent.metainfo.FileEntry;
import io.graytorrent.metainfo.Metainfo;
import io.graytorrent.testkit.Unit;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

@Unit
class TorrentLayoutTest {
    // pieces of 100 bytes: a [0,150) | padding [150,200) | b [200,230) | c [230,400)
    private final Metainfo metainfo = new Metainfo(InfoHash.of(new byte[20]), new byte[0], "t", 100, new byte[4 * 20],
            List.of(new FileEntry(List.of("a"), 150, 0, ""), new FileEntry(List.of(".pad", "50"), 50, 150, "p"),
                    new FileEntry(List.of("b"), 30, 200, ""), new FileEntry(List.of("c"), 170, 230, "")),
            true, List.of(), List.of(), false, Optional.empty(), Optional.empty(), Optional.empty());
    private final TorrentLayout layout = new TorrentLayout(metainfo);
    private final List<FilePriority> bSkipped =
            List.of(FilePriority.HIGH, FilePriority.NORMAL, FilePriority.SKIP, FilePriority.LOW);

    @Test
    void aPieceTakesTheHighestPriorityOfTheFilesItTouchesPaddingAside() {
        assertArrayEquals(new int[] {3, 3, 1, 1}, layout.piecePriorities(bSkipped));
        List<FilePriority> onlyB = List.of(FilePriority.SKIP, FilePriority.HIGH, FilePriority.NORMAL, FilePriority.SKIP);
        assertArrayEquals(new int[] {0, 0, 2, 0}, layout.piecePriorities(onlyB));
    }

    @Test
    void countsBytesOfVerifiedPiecesPerFileWithoutPadding() {
        BitSet verified = new BitSet();
        verified.set(1);
        verified.set(2);
        List<FileStatus> files = layout.files(verified, bSkipped);
        assertEquals(List.of("a", "b", "c"), files.stream().map(FileStatus::path).toList());
        assertEquals(List.of(50L, 30L, 70L), files.stream().map(FileStatus::verifiedBytes).toList());
        assertEquals(350, layout.totalBytes());
        assertEquals(320, layout.wantedBytes(bSkipped));
        assertEquals(120, layout.verifiedWantedBytes(verified, bSkipped));
    }
}
