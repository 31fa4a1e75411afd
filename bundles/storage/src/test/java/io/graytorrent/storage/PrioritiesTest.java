package io.graytorrent.storage;

import io.graytorrent.api.FilePriority;
import static io.graytorrent.storage.TorrentStorageTest.await;
import static io.graytorrent.storage.TorrentStorageTest.writeAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.testkit.Unit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Skipped files are not created; their bytes in edge pieces wait in the parts file. */
@Unit
class PrioritiesTest {
    // piece length 16: a = 0..20 (pieces 0-1), b = 20..40 (pieces 1-2, only edge pieces), c = 40..60 (pieces 2-3)
    private static final String[] LAYOUT = {"a:20", "b:20", "c:20"};
    private static final List<FilePriority> SKIP_B = List.of(FilePriority.NORMAL, FilePriority.SKIP, FilePriority.NORMAL);

    @TempDir
    Path home;
    @TempDir
    Path downloads;

    private final TestTorrent torrent = TestTorrent.of("p", 16, 5, LAYOUT);
    private StorageService service;

    @BeforeEach
    void start() {
        service = Storages.create(StorageConfig.defaults(home.resolve("state")));
    }

    @AfterEach
    void close() {
        service.close();
    }

    @Test
    void edgePiecesVerifyWithoutCreatingTheSkippedFile() throws Exception {
        TorrentStorage storage = await(service.open(torrent.metainfo, downloads, SKIP_B));
        writeAll(storage, torrent);
        assertEquals(4, storage.verifiedPieces().cardinality());
        assertFalse(Files.exists(downloads.resolve("p/b")), "a skipped file is not created");
        assertArrayEquals(torrent.fileContent(0), Files.readAllBytes(downloads.resolve("p/a")));
        assertArrayEquals(torrent.fileContent(2), Files.readAllBytes(downloads.resolve("p/c")));
        assertTrue(Files.exists(downloads.resolve("." + torrent.metainfo.infoHash().toHex() + ".parts")));
    }

    @Test
    void selectingTheFileLaterMovesItsKeptBytesIntoPlace() throws Exception {
        TorrentStorage storage = await(service.open(torrent.metainfo, downloads, SKIP_B));
        writeAll(storage, torrent);
        await(storage.setFilePriorities(List.of(FilePriority.NORMAL, FilePriority.HIGH, FilePriority.NORMAL)));
        assertArrayEquals(torrent.fileContent(1), Files.readAllBytes(downloads.resolve("p/b")));
        assertFalse(Files.exists(downloads.resolve("." + torrent.metainfo.infoHash().toHex() + ".parts")),
                "no file is skipped any more: the parts file is gone");
        assertEquals(4, await(storage.recheck((checked, total) -> { })).cardinality(), "the pieces verify from the files now");
    }

    @Test
    void keptBytesSurviveARestart() throws Exception {
        TorrentStorage storage = await(service.open(torrent.metainfo, downloads, SKIP_B));
        writeAll(storage, torrent);
        await(storage.closeAsync());
        TorrentStorage reopened = await(service.open(torrent.metainfo, downloads, List.of()));
        assertEquals(SKIP_B, reopened.filePriorities());
        assertEquals(4, await(reopened.recheck((checked, total) -> { })).cardinality());
        assertFalse(Files.exists(downloads.resolve("p/b")));
    }
}
