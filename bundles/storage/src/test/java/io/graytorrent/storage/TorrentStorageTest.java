package io.graytorrent.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.testkit.Unit;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Unit
class TorrentStorageTest {
    @TempDir
    Path home;
    @TempDir
    Path downloads;

    private final List<StorageService> services = new ArrayList<>();

    private StorageService service(AllocationMode allocation) {
        StorageService service = Storages.create(StorageConfig.defaults(home.resolve("state")).withAllocation(allocation));
        services.add(service);
        return service;
    }

    @AfterEach
    void closeServices() {
        services.forEach(StorageService::close);
    }

    static <T> T await(java.util.concurrent.CompletableFuture<T> future) {
        return future.orTimeout(20, java.util.concurrent.TimeUnit.SECONDS).join();
    }

    static void writeAndVerify(TorrentStorage storage, TestTorrent torrent, int piece) {
        await(storage.writeBlock(piece, 0, torrent.piece(piece)));
        assertTrue(await(storage.verifyPiece(piece)), "piece " + piece + " verifies");
    }

    static void writeAll(TorrentStorage storage, TestTorrent torrent) {
        for (int piece = 0; piece < torrent.metainfo.pieceCount(); piece++) {
            writeAndVerify(storage, torrent, piece);
        }
    }

    private static final String[] LAYOUT = {"a.txt:7", "dir/empty:0", "dir/b.bin:50", "pad:7", "c/d/e:64", "f:5"};

    @Test
    void writtenPiecesVerifyAndLandInTheirFiles() {
        TestTorrent torrent = TestTorrent.of("multi", 16, 7, LAYOUT);
        TorrentStorage storage = await(service(AllocationMode.SPARSE).open(torrent.metainfo, downloads, List.of()));
        for (int piece = 0; piece < torrent.metainfo.pieceCount(); piece++) {
            // blocks of 5 bytes, submitted last-first, to exercise out-of-order writes inside a piece
            int length = torrent.metainfo.pieceLength(piece);
            for (int offset = (length - 1) / 5 * 5; offset >= 0; offset -= 5) {
                storage.writeBlock(piece, offset, torrent.piece(piece).position(offset).limit(Math.min(length, offset + 5)).slice());
            }
            assertTrue(await(storage.verifyPiece(piece)), "piece " + piece);
        }
        Path root = downloads.resolve("multi");
        assertArrayEquals(torrent.fileContent(0), read(root.resolve("a.txt")));
        assertEquals(0, read(root.resolve("dir/empty")).length);
        assertArrayEquals(torrent.fileContent(2), read(root.resolve("dir/b.bin")));
        assertArrayEquals(torrent.fileContent(4), read(root.resolve("c/d/e")));
        assertArrayEquals(torrent.fileContent(5), read(root.resolve("f")));
        assertFalse(Files.exists(root.resolve(".pad")), "padding is never written");
        assertEquals(torrent.metainfo.pieceCount(), storage.verifiedPieces().cardinality());
    }

    @Test
    void zeroLengthFilesExistAsSoonAsTheTorrentIsOpen() {
        TestTorrent torrent = TestTorrent.of("multi", 16, 7, LAYOUT);
        await(service(AllocationMode.SPARSE).open(torrent.metainfo, downloads, List.of()));
        assertTrue(Files.isRegularFile(downloads.resolve("multi/dir/empty")));
    }

    @Test
    void aCorruptPieceFailsAndCanBeRewritten() {
        TestTorrent torrent = TestTorrent.of("single", 32, 3, "single:100");
        TorrentStorage storage = await(service(AllocationMode.SPARSE).open(torrent.metainfo, downloads, List.of()));
        ByteBuffer corrupt = ByteBuffer.allocate(32);
        await(storage.writeBlock(1, 0, corrupt));
        assertFalse(await(storage.verifyPiece(1)));
        assertFalse(storage.verifiedPieces().get(1));
        writeAndVerify(storage, torrent, 1);
        assertTrue(Files.isRegularFile(downloads.resolve("single")), "a single-file torrent is a file in the save directory");
    }

    @Test
    void uploadsReadVerifiedBlocksAcrossFilesAndPadding() throws Exception {
        TestTorrent torrent = TestTorrent.of("multi", 16, 7, LAYOUT);
        TorrentStorage storage = await(service(AllocationMode.SPARSE).open(torrent.metainfo, downloads, List.of()));
        writeAll(storage, torrent);
        // piece 0 spans a.txt and b.bin; piece 3 is b.bin's end followed by padding
        ByteBuffer block = ByteBuffer.allocate(16);
        await(storage.readBlock(0, 0, block));
        assertArrayEquals(copy(torrent.piece(0)), block.array());

        ByteBuffer withPadding = ByteBuffer.allocate(16);
        await(storage.readBlock(3, 0, withPadding));
        assertArrayEquals(copy(torrent.piece(3)), withPadding.array());
    }

    @Test
    void unverifiedAndOutOfRangeRequestsAreRefusedWithOurException() {
        TestTorrent torrent = TestTorrent.of("single", 32, 3, "single:100");
        TorrentStorage storage = await(service(AllocationMode.SPARSE).open(torrent.metainfo, downloads, List.of()));
        assertReason(StorageException.Reason.INVALID_REQUEST, storage.readBlock(0, 0, ByteBuffer.allocate(4)));
        assertReason(StorageException.Reason.INVALID_REQUEST, storage.writeBlock(3, 0, ByteBuffer.allocate(5)));
        assertReason(StorageException.Reason.INVALID_REQUEST, storage.writeBlock(4, 0, ByteBuffer.allocate(1)));
        assertReason(StorageException.Reason.INVALID_REQUEST, storage.writeBlock(0, -1, ByteBuffer.allocate(1)));
        assertTrue(storage.error().isEmpty(), "a bad request does not put the torrent in error");
    }

    @Test
    void fullAllocationGivesWantedFilesTheirLengthUpFront() throws Exception {
        TestTorrent torrent = TestTorrent.of("multi", 16, 7, LAYOUT);
        await(service(AllocationMode.FULL).open(torrent.metainfo, downloads, List.of()));
        assertEquals(64, Files.size(downloads.resolve("multi/c/d/e")));
        assertEquals(50, Files.size(downloads.resolve("multi/dir/b.bin")));
    }

    @Test
    void existingDataIsVerifiedOnOpenAndBecomesSeedable() throws Exception {
        TestTorrent torrent = TestTorrent.of("multi", 16, 7, LAYOUT);
        Path root = downloads.resolve("multi");
        int[] dataFiles = {0, 2, 4, 5};
        for (int file : dataFiles) {
            Path path = root.resolve(torrent.metainfo.files().get(file).displayPath());
            Files.createDirectories(path.getParent());
            Files.write(path, torrent.fileContent(file));
        }
        TorrentStorage storage = await(service(AllocationMode.SPARSE).open(torrent.metainfo, downloads, List.of()));
        assertEquals(torrent.metainfo.pieceCount(), storage.verifiedPieces().cardinality());
        ByteBuffer block = ByteBuffer.allocate(16);
        await(storage.readBlock(0, 0, block));
        assertArrayEquals(copy(torrent.piece(0)), block.array());
    }

    @Test
    void recheckRebuildsTheBitfieldWithProgress() throws Exception {
        TestTorrent torrent = TestTorrent.of("multi", 16, 7, LAYOUT);
        TorrentStorage storage = await(service(AllocationMode.SPARSE).open(torrent.metainfo, downloads, List.of()));
        writeAll(storage, torrent);
        await(storage.checkpoint());
        Path e = downloads.resolve("multi/c/d/e");
        byte[] damaged = Files.readAllBytes(e);
        damaged[20] ^= 1; // e starts at torrent offset 64: byte 20 is in piece 5
        Files.write(e, damaged);
        List<Integer> progress = new ArrayList<>();
        BitSet good = await(storage.recheck((checked, total) -> progress.add(checked * 100 + total)));
        BitSet expected = new BitSet();
        expected.set(0, torrent.metainfo.pieceCount());
        expected.clear(5);
        assertEquals(expected, good);
        assertEquals(expected, storage.verifiedPieces());
        assertEquals(torrent.metainfo.pieceCount(), progress.size());
        assertEquals(torrent.metainfo.pieceCount() * 101, progress.get(progress.size() - 1));
    }

    static void assertReason(StorageException.Reason reason, java.util.concurrent.CompletableFuture<?> future) {
        try {
            await(future);
        } catch (CompletionException e) {
            StorageException cause = (StorageException) e.getCause();
            assertEquals(reason, cause.reason(), cause.getMessage());
            return;
        }
        assertNull(reason, "expected a failure with " + reason);
    }

    static byte[] copy(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    static byte[] read(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
