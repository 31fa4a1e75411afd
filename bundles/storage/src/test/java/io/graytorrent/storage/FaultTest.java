package io.graytorrent.storage;

import static io.graytorrent.storage.TorrentStorageTest.await;
import static io.graytorrent.storage.TorrentStorageTest.assertReason;
import static io.graytorrent.storage.TorrentStorageTest.writeAll;
import static io.graytorrent.storage.TorrentStorageTest.writeAndVerify;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.graytorrent.storage.StorageException.Reason;
import io.graytorrent.testkit.Unit;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Disk faults: a 1 MiB disk that fills up and a read-only one (a real tmpfs, and a fault-injecting
 * file system provider for machines that may not mount), an immutable
 * file, a directory where a file belongs, planted symlinks. Each test checks that the failure
 * really happens, the torrent enters error with the reason, verified pieces stay, and retry works.
 */
@Unit
class FaultTest {
    @TempDir
    Path home;
    @TempDir
    Path downloads;

    private StorageService service;

    @BeforeEach
    void start() {
        service = Storages.create(StorageConfig.defaults(home.resolve("state")));
    }

    @AfterEach
    void stop() {
        service.close();
    }

    @ParameterizedTest
    @EnumSource(SmallDisk.Kind.class)
    void aFullDiskPutsTheTorrentInErrorKeepsVerifiedPiecesAndRetryResumes(SmallDisk.Kind kind) throws Exception {
        TestTorrent torrent = TestTorrent.of("big", 256 << 10, 1, "big:" + (2 << 20));
        try (SmallDisk disk = kind.create(downloads, false)) {
            TorrentStorage storage = await(service.open(torrent.metainfo, disk.root(), List.of()));
            BitSet verifiedBeforeFull = new BitSet();
            int piece = 0;
            try {
                for (; piece < torrent.metainfo.pieceCount(); piece++) {
                    writeAndVerify(storage, torrent, piece);
                    verifiedBeforeFull.set(piece);
                }
                fail("2 MiB fitted on a 1 MiB disk");
            } catch (CompletionException e) {
                assertEquals(Reason.DISK_FULL, ((StorageException) e.getCause()).reason(), e.getMessage());
            }
            assertEquals(Reason.DISK_FULL, storage.error().orElseThrow().reason());
            assertTrue(verifiedBeforeFull.cardinality() >= 2, "some pieces fitted: " + verifiedBeforeFull);
            assertEquals(verifiedBeforeFull, storage.verifiedPieces());
            assertReason(Reason.IN_ERROR, storage.writeBlock(piece, 0, torrent.piece(piece)));

            disk.enlarge();
            await(storage.retry());
            assertTrue(storage.error().isEmpty());
            for (; piece < torrent.metainfo.pieceCount(); piece++) {
                writeAndVerify(storage, torrent, piece);
            }
            assertEquals(torrent.metainfo.pieceCount(), storage.verifiedPieces().cardinality());
            assertArrayEquals(torrent.content, Files.readAllBytes(downloads.resolve("big")));
            await(storage.closeAsync());
        }
    }

    @ParameterizedTest
    @EnumSource(SmallDisk.Kind.class)
    void aReadOnlyFileSystemIsReportedAndRetryWorksOnceWritable(SmallDisk.Kind kind) throws Exception {
        TestTorrent torrent = TestTorrent.of("ro", 16, 2, "a:20", "b:20");
        try (SmallDisk disk = kind.create(downloads, true)) {
            assertThrows(IOException.class, () -> Files.createDirectory(disk.root().resolve("probe")),
                    "the disk must really be read-only, even for root");
            TorrentStorage storage = await(service.open(torrent.metainfo, disk.root(), List.of()));
            assertEquals(Reason.READ_ONLY_FILE_SYSTEM, storage.error().orElseThrow().reason());
            assertReason(Reason.IN_ERROR, storage.writeBlock(0, 0, torrent.piece(0)));

            disk.makeWritable();
            await(storage.retry());
            writeAll(storage, torrent);
            assertEquals(3, storage.verifiedPieces().cardinality());
            await(storage.closeAsync());
        }
    }

    @ParameterizedTest
    @EnumSource(SmallDisk.Kind.class)
    void completeDataOnAReadOnlyDiskOpensWithoutErrorAndSeeds(SmallDisk.Kind kind) throws Exception {
        TestTorrent torrent = TestTorrent.of("seed", 16, 9, "a:20", "b:20");
        try (SmallDisk disk = kind.create(downloads, false)) {
            TorrentStorage storage = await(service.open(torrent.metainfo, disk.root(), List.of()));
            writeAll(storage, torrent);
            await(storage.closeAsync());
            disk.makeReadOnly();

            TorrentStorage seeding = await(service.open(torrent.metainfo, disk.root(), List.of()));
            assertTrue(seeding.error().isEmpty(), () -> "error: " + seeding.error().orElseThrow().getMessage());
            assertEquals(3, seeding.verifiedPieces().cardinality());
            ByteBuffer block = ByteBuffer.allocate(16);
            await(seeding.readBlock(1, 0, block));
            assertArrayEquals(TorrentStorageTest.copy(torrent.piece(1)), block.array());
            await(seeding.closeAsync());
        }
    }

    @Test
    void aPieceIsNotRecordedAsVerifiedWhenItsBytesCannotBeForcedToDisk() throws Exception {
        TestTorrent torrent = TestTorrent.of("f", 16, 8, "f:40");
        FaultyFileSystem disk = new FaultyFileSystem(1 << 20, false);
        TorrentStorage storage = await(service.open(torrent.metainfo, disk.wrap(downloads), List.of()));
        writeAndVerify(storage, torrent, 0);
        await(storage.checkpoint());
        Path record = home.resolve("state").resolve(torrent.metainfo.infoHash().toHex() + ".resume");
        byte[] recorded = Files.readAllBytes(record);

        writeAndVerify(storage, torrent, 1);
        disk.setForceFails(true);
        assertReason(Reason.IO_ERROR, storage.checkpoint());
        assertArrayEquals(recorded, Files.readAllBytes(record), "the record still holds only piece 0");
        assertTrue(storage.verifiedPieces().get(1), "in memory the piece stays verified");
    }

    @Test
    void anImmutableFileGivesPermissionDeniedEvenToRoot() throws Exception {
        TestTorrent torrent = TestTorrent.of("imm", 16, 3, "imm:40");
        Path file = downloads.resolve("imm");
        Files.write(file, new byte[0]);
        makeUnwritable(file);
        try {
            assertThrows(IOException.class, () -> Files.write(file, new byte[1]), "the file must really refuse writes");
            TorrentStorage storage = await(service.open(torrent.metainfo, downloads, List.of()));
            assertReason(Reason.PERMISSION_DENIED, storage.writeBlock(0, 0, torrent.piece(0)));
            assertEquals(Reason.PERMISSION_DENIED, storage.error().orElseThrow().reason());

            makeWritable(file);
            await(storage.retry());
            writeAll(storage, torrent);
            assertArrayEquals(torrent.content, Files.readAllBytes(file));
        } finally {
            makeWritable(file);
        }
    }

    @Test
    void aDirectoryWhereAFileBelongsIsNotAFile() throws Exception {
        TestTorrent torrent = TestTorrent.of("d", 16, 4, "a:20", "b:20");
        Path b = downloads.resolve("d/b");
        Files.createDirectories(b);
        TorrentStorage storage = await(service.open(torrent.metainfo, downloads, List.of()));
        assertEquals(Reason.NOT_A_FILE, storage.error().orElseThrow().reason(), "found when hashing existing data on open");

        Files.delete(b);
        await(storage.retry());
        writeAll(storage, torrent);
        assertArrayEquals(torrent.fileContent(1), Files.readAllBytes(b));
    }

    @Test
    void aSymlinkedDirectoryCannotRedirectWritesOutside(@TempDir Path outside) throws Exception {
        TestTorrent torrent = TestTorrent.of("s", 16, 5, "a:20", "sub/b:20");
        Files.createDirectories(downloads.resolve("s"));
        Files.createSymbolicLink(downloads.resolve("s/sub"), outside);
        TorrentStorage storage = await(service.open(torrent.metainfo, downloads, List.of()));
        assertEquals(Reason.PATH_ESCAPE, storage.error().orElseThrow().reason());
        await(storage.retry().exceptionally(failure -> null));
        assertReason(Reason.IN_ERROR, storage.writeBlock(2, 0, torrent.piece(2)));
        try (var listing = Files.list(outside)) {
            assertEquals(0, listing.count(), "nothing was written outside the torrent's directory");
        }
    }

    @Test
    void aSymlinkInPlaceOfAFileIsNeitherWrittenThroughNorReadForUploads(@TempDir Path outside) throws Exception {
        TestTorrent torrent = TestTorrent.of("l", 16, 6, "a:20", "b:20");
        Path secret = outside.resolve("secret");
        Files.write(secret, torrent.fileContent(1)); // even data that would verify must not be served
        Files.createDirectories(downloads.resolve("l"));
        Files.createSymbolicLink(downloads.resolve("l/b"), secret);
        TorrentStorage storage = await(service.open(torrent.metainfo, downloads, List.of()));
        assertEquals(Reason.PATH_ESCAPE, storage.error().orElseThrow().reason());
        assertFalse(storage.verifiedPieces().get(2), "a piece read through a symlink is not verified");
        assertArrayEquals(torrent.fileContent(1), Files.readAllBytes(secret), "the target is untouched");
    }

    private static void makeUnwritable(Path file) throws Exception {
        if ("root".equals(System.getProperty("user.name"))) {
            command("chattr", "+i", file.toString()); // root ignores mode bits, not the immutable flag
        } else {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("r--r--r--"));
        }
    }

    private static void makeWritable(Path file) throws Exception {
        if ("root".equals(System.getProperty("user.name"))) {
            command("chattr", "-i", file.toString());
        } else {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    private static void command(String... line) throws Exception {
        Process process = new ProcessBuilder(line).inheritIO().start();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError(String.join(" ", line) + " failed");
            }
        } finally {
            process.destroyForcibly();
        }
    }
}
