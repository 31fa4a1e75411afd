package io.graytorrent.storage;

import static io.graytorrent.storage.TorrentStorageTest.await;
import static io.graytorrent.storage.TorrentStorageTest.writeAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.testkit.Unit;
import java.nio.file.Files;
import io.graytorrent.testkit.Tmpfs;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Moving a closed torrent's data: renamed on one file system, copied and checked across two (a tmpfs the
 * test mounts), all or nothing on failure, and the resume record follows so that opening it at the new
 * place trusts what was verified. Trust is shown by a byte changed behind the stamps: a re-hash would
 * drop its piece, a trusted record keeps it.
 */
@Unit
class MoveTest {
    // piece length 64 KiB: a = pieces 0-9, sub/b = pieces 9-18 (1.2 MB in all: more than a 1 MiB tmpfs holds)
    private static final String[] LAYOUT = {"a:600000", "sub/b:600000"};

    @TempDir
    Path home;
    @TempDir
    Path disk;

    private final TestTorrent torrent = TestTorrent.of("m", 64 * 1024, 5, LAYOUT);
    private StorageService storage;

    @AfterEach
    void close() {
        if (storage != null) {
            storage.close();
        }
    }

    private StorageService storage() {
        if (storage == null) {
            storage = Storages.create(StorageConfig.defaults(home.resolve("state")));
        }
        return storage;
    }

    /** Downloads everything below {@code directory}, closes, and changes a byte of {@code a} behind its stamp. */
    private void completeAndClose(Path directory) throws Exception {
        TorrentStorage opened = await(storage().open(torrent.metainfo, directory, List.of()));
        writeAll(opened, torrent);
        await(opened.closeAsync());
        Path a = directory.resolve("m/a");
        FileTime mtime = Files.getLastModifiedTime(a);
        byte[] bytes = Files.readAllBytes(a);
        bytes[5] ^= 1;
        Files.write(a, bytes);
        Files.setLastModifiedTime(a, mtime);
    }

    private BitSet verifiedAfterOpening(Path directory) {
        TorrentStorage reopened = await(storage().open(torrent.metainfo, directory, List.of()));
        BitSet verified = reopened.verifiedPieces();
        await(reopened.closeAsync());
        return verified;
    }

    private BitSet all() {
        BitSet all = new BitSet();
        all.set(0, torrent.metainfo.pieceCount());
        return all;
    }

    @Test
    void withinAFileSystemTheFilesAreRenamedAndTheRecordFollows() throws Exception {
        Path from = Files.createDirectories(disk.resolve("from"));
        completeAndClose(from);
        await(storage().move(torrent.metainfo, from, disk.resolve("to/deeper")));

        assertFalse(Files.exists(from.resolve("m")), "the torrent's own directories went with it");
        assertTrue(Files.isDirectory(from), "the old save directory stays");
        assertArrayEquals(torrent.fileContent(1), Files.readAllBytes(disk.resolve("to/deeper/m/sub/b")));
        assertEquals(all(), verifiedAfterOpening(disk.resolve("to/deeper")), "trusted, not re-hashed");
    }

    @Test
    void acrossFileSystemsTheFilesAreCopiedCheckedAndTheOldOnesDeleted() throws Exception {
        Path from = Files.createDirectories(disk.resolve("from"));
        Path mountPoint = Files.createDirectories(disk.resolve("other"));
        Optional<Tmpfs> tmpfs = Tmpfs.mount(mountPoint, "8m", false);
        Assumptions.assumeTrue(tmpfs.isPresent(), "mounting a tmpfs is not permitted here: no second file system");
        try (Tmpfs other = tmpfs.get()) {
            completeAndClose(from);
            await(storage().move(torrent.metainfo, from, mountPoint.resolve("dl")));

            assertFalse(Files.exists(from.resolve("m")));
            assertArrayEquals(torrent.fileContent(1), Files.readAllBytes(mountPoint.resolve("dl/m/sub/b")));
            try (Stream<Path> left = Files.walk(mountPoint)) {
                assertTrue(left.noneMatch(p -> p.toString().endsWith(".gray-moving")), "no temporary copy left");
            }
            assertEquals(all(), verifiedAfterOpening(mountPoint.resolve("dl")), "trusted, not re-hashed");
        }
    }

    @Test
    void withoutSpaceNothingMovesAndTheDataStaysTrusted() throws Exception {
        Path from = Files.createDirectories(disk.resolve("from"));
        Path mountPoint = Files.createDirectories(disk.resolve("small"));
        Optional<Tmpfs> tmpfs = Tmpfs.mount(mountPoint, "1m", false);
        Assumptions.assumeTrue(tmpfs.isPresent(), "mounting a tmpfs is not permitted here: no small disk");
        try (Tmpfs small = tmpfs.get()) {
            completeAndClose(from);
            CompletionException failed = assertThrows(CompletionException.class,
                    () -> await(storage().move(torrent.metainfo, from, mountPoint.resolve("dl"))));
            StorageException cause = assertInstanceOf(StorageException.class, failed.getCause());
            assertEquals(StorageException.Reason.DISK_FULL, cause.reason(), cause.getMessage());
            assertTrue(cause.getMessage().contains("nothing was moved"), cause.getMessage());

            try (Stream<Path> left = Files.walk(mountPoint)) {
                assertEquals(0, left.filter(Files::isRegularFile).count(), "nothing written there");
            }
            assertArrayEquals(torrent.fileContent(1), Files.readAllBytes(from.resolve("m/sub/b")));
            assertEquals(all(), verifiedAfterOpening(from), "the record still trusts the old place");
        }
    }

    @Test
    void aFileInTheWayRefusesTheMoveAndNothingMoves() throws Exception {
        Path from = Files.createDirectories(disk.resolve("from"));
        completeAndClose(from);
        Files.createDirectories(disk.resolve("to/m"));
        Files.writeString(disk.resolve("to/m/a"), "somebody's");

        CompletionException failed = assertThrows(CompletionException.class,
                () -> await(storage().move(torrent.metainfo, from, disk.resolve("to"))));
        StorageException cause = assertInstanceOf(StorageException.class, failed.getCause());
        assertEquals(StorageException.Reason.TARGET_EXISTS, cause.reason(), cause.getMessage());
        assertTrue(cause.getMessage().contains("already exists"), cause.getMessage());
        assertEquals("somebody's", Files.readString(disk.resolve("to/m/a")));
        assertTrue(Files.exists(from.resolve("m/a")) && Files.exists(from.resolve("m/sub/b")));
    }

    @Test
    void aDirectoryThatCannotBeMadeUndoesTheFilesRenamedBefore() throws Exception {
        Path from = Files.createDirectories(disk.resolve("from"));
        completeAndClose(from);
        // a moves first; sub/b cannot follow, since a file sits where its directory would go
        Files.createDirectories(disk.resolve("to/m"));
        Files.writeString(disk.resolve("to/m/sub"), "a file, not a directory");

        CompletionException failed = assertThrows(CompletionException.class,
                () -> await(storage().move(torrent.metainfo, from, disk.resolve("to"))));
        assertTrue(failed.getCause().getMessage().contains("nothing was moved"), failed.getCause().getMessage());
        assertFalse(Files.exists(disk.resolve("to/m/a")), "a was moved back");
        assertArrayEquals(torrent.fileContent(1), Files.readAllBytes(from.resolve("m/sub/b")));
        assertEquals(all(), verifiedAfterOpening(from));
    }

    @Test
    void anOpenTorrentIsNotMoved() throws Exception {
        Path from = Files.createDirectories(disk.resolve("from"));
        TorrentStorage opened = await(storage().open(torrent.metainfo, from, List.of()));
        CompletionException failed = assertThrows(CompletionException.class,
                () -> await(storage().move(torrent.metainfo, from, disk.resolve("to"))));
        assertEquals(StorageException.Reason.INVALID_REQUEST, ((StorageException) failed.getCause()).reason());
        await(opened.closeAsync());
    }
}
