package io.graytorrent.storage;

import static io.graytorrent.storage.TorrentStorageTest.assertReason;
import static io.graytorrent.storage.TorrentStorageTest.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.testkit.Unit;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TorrentStorage#writePiece}: pieces hashed from memory, written only when they match. */
@Unit
class WritePieceTest {
    @TempDir
    Path home;
    @TempDir
    Path downloads;

    private StorageService service;

    private TorrentStorage open(TestTorrent torrent) {
        service = Storages.create(StorageConfig.defaults(home.resolve("state")));
        return await(service.open(torrent.metainfo, downloads, List.of()));
    }

    @AfterEach
    void close() {
        if (service != null) {
            service.close();
        }
    }

    /** The piece in a direct buffer, as the engine holds received pieces. */
    private static ByteBuffer direct(ByteBuffer piece) {
        ByteBuffer copy = ByteBuffer.allocateDirect(piece.remaining());
        copy.put(piece.duplicate()).flip();
        return copy;
    }

    @Test
    void matchingPiecesAreWrittenAcrossFilesAndSurviveAReopen() {
        TestTorrent torrent = TestTorrent.of("multi", 16, 3, "a.txt:7", "pad:7", "b.bin:50", "c:9");
        TorrentStorage storage = open(torrent);
        for (int piece = 0; piece < torrent.metainfo.pieceCount(); piece++) {
            ByteBuffer data = direct(torrent.piece(piece));
            assertTrue(await(storage.writePiece(piece, data)), "piece " + piece);
            assertEquals(0, data.position(), "the caller's buffer is left as it was");
        }
        assertEquals(torrent.metainfo.pieceCount(), storage.verifiedPieces().cardinality());
        await(storage.closeAsync());
        Path root = downloads.resolve("multi");
        assertArrayEquals(torrent.fileContent(0), read(root.resolve("a.txt")));
        assertArrayEquals(torrent.fileContent(2), read(root.resolve("b.bin")));
        assertArrayEquals(torrent.fileContent(3), read(root.resolve("c")));
        assertFalse(Files.exists(root.resolve(".pad")), "padding is never written");

        service.close();
        TorrentStorage reopened = open(torrent);
        assertEquals(torrent.metainfo.pieceCount(), reopened.verifiedPieces().cardinality(), "recorded by the checkpoint");
    }

    @Test
    void piecesLargerThanOneSystemCallsWriteLandWhole() {
        // 1 MiB pieces and a short last one: each is written in several calls of at most 256 KiB
        TestTorrent torrent = TestTorrent.of("big.bin", 1 << 20, 4, "big.bin:" + ((5 << 19) + 12345));
        TorrentStorage storage = open(torrent);
        for (int piece = 0; piece < torrent.metainfo.pieceCount(); piece++) {
            assertTrue(await(storage.writePiece(piece, direct(torrent.piece(piece)))), "piece " + piece);
        }
        assertArrayEquals(torrent.content, read(downloads.resolve("big.bin")));
    }

    @Test
    void aPieceFailingItsHashIsNeverWritten() {
        TestTorrent torrent = TestTorrent.of("data.bin", 16, 5, "data.bin:40");
        TorrentStorage storage = open(torrent);
        ByteBuffer corrupt = direct(torrent.piece(1));
        corrupt.put(3, (byte) (corrupt.get(3) ^ 1));
        assertFalse(await(storage.writePiece(1, corrupt)));
        assertTrue(storage.verifiedPieces().isEmpty());
        Path file = downloads.resolve("data.bin");
        assertTrue(!Files.exists(file) || allZero(read(file)), "no byte of the failed piece reached the disk");

        assertTrue(await(storage.writePiece(1, direct(torrent.piece(1)))), "the good copy is written");
        byte[] written = read(file);
        assertArrayEquals(Arrays.copyOfRange(torrent.content, 16, 32), Arrays.copyOfRange(written, 16, 32));
    }

    @Test
    void aVerifiedPieceIsNotWrittenAgain() throws IOException {
        TestTorrent torrent = TestTorrent.of("data.bin", 16, 6, "data.bin:40");
        TorrentStorage storage = open(torrent);
        assertTrue(await(storage.writePiece(0, direct(torrent.piece(0)))));
        Path file = downloads.resolve("data.bin");
        var modified = Files.getLastModifiedTime(file);
        Files.write(file, new byte[16]); // so a second write would show
        Files.setLastModifiedTime(file, modified);
        assertTrue(await(storage.writePiece(0, direct(torrent.piece(0)))));
        assertTrue(allZero(read(file)), "the second copy was dropped");
    }

    @Test
    void wrongLengthsAndPiecesAreRefusedWithOurException() {
        TestTorrent torrent = TestTorrent.of("data.bin", 16, 7, "data.bin:40");
        TorrentStorage storage = open(torrent);
        assertReason(StorageException.Reason.INVALID_REQUEST, storage.writePiece(0, ByteBuffer.allocate(15)));
        assertReason(StorageException.Reason.INVALID_REQUEST, storage.writePiece(2, ByteBuffer.allocate(16)));
        assertReason(StorageException.Reason.INVALID_REQUEST, storage.writePiece(3, ByteBuffer.allocate(8)));
        assertReason(StorageException.Reason.INVALID_REQUEST, storage.writePiece(-1, ByteBuffer.allocate(16)));
        await(storage.closeAsync());
        assertReason(StorageException.Reason.CLOSED, storage.writePiece(0, torrent.piece(0)));
    }

    private static boolean allZero(byte[] bytes) {
        for (byte b : bytes) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
