package io.graytorrent.storage;

import static io.graytorrent.storage.TorrentStorageTest.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.metainfo.Metainfo;
import io.graytorrent.metainfo.MetainfoParser;
import io.graytorrent.metainfo.TorrentCreator;
import io.graytorrent.metainfo.V2Pieces;
import io.graytorrent.testkit.Unit;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A v2-only torrent made by our creator from real files, stored: pieces verified by their merkle
 * subtrees (full pieces, each file's short last piece, a file of one piece), a damaged block named
 * once its piece verifies, and existing data and resume records checked the v2 way.
 */
@Unit
class V2StorageTest {
    private static final int PIECE = 32_768;
    /** a: 2 pieces (the last 7,232 bytes), b: one piece of 5,000, c: 3 pieces (the last 4,464 bytes). */
    private static final int[] SIZES = {40_000, 5_000, 70_000};

    @TempDir
    Path dir;
    private Metainfo metainfo;
    private V2Pieces pieces;
    private final List<byte[]> contents = new ArrayList<>();
    private final List<StorageService> services = new ArrayList<>();

    @BeforeEach
    void createTorrent() throws Exception {
        Random random = new Random(52);
        for (int i = 0; i < SIZES.length; i++) {
            byte[] data = new byte[SIZES[i]];
            random.nextBytes(data);
            contents.add(data);
            Files.createDirectories(dir.resolve("seed/album"));
            Files.write(dir.resolve("seed/album/" + (char) ('a' + i)), data);
        }
        byte[] torrent = TorrentCreator.forPath(dir.resolve("seed/album")).pieceLength(PIECE)
                .format(TorrentCreator.Format.V2).create();
        metainfo = new MetainfoParser().parse(torrent);
        pieces = new V2Pieces(io.graytorrent.metainfo.PieceLayers.of(metainfo.v2().orElseThrow()));
    }

    @AfterEach
    void closeServices() {
        services.forEach(StorageService::close);
    }

    private TorrentStorage open(Path saveDirectory) {
        StorageService service = Storages.create(StorageConfig.defaults(dir.resolve("state")));
        services.add(service);
        return await(service.open(metainfo, saveDirectory, List.of()));
    }

    /** Piece {@code piece} as a peer sends it: its file's bytes, then zeros over the alignment gap. */
    private ByteBuffer piece(int piece) {
        byte[] data = new byte[metainfo.pieceLength(piece)];
        byte[] file = contents.get(pieces.file(piece));
        System.arraycopy(file, pieces.pieceInFile(piece) * PIECE, data, 0, pieces.dataLength(piece));
        return ByteBuffer.wrap(data);
    }

    private BitSet all() {
        BitSet all = new BitSet();
        all.set(0, metainfo.pieceCount());
        return all;
    }

    @Test
    void everyPieceVerifiesByItsMerkleSubtreeAndTheFilesComeOutWhole() throws Exception {
        assertEquals(6, metainfo.pieceCount());
        TorrentStorage storage = open(dir.resolve("leech"));
        for (int piece = 0; piece < metainfo.pieceCount(); piece++) {
            assertTrue(await(storage.writePiece(piece, piece(piece))), "piece " + piece);
        }
        assertEquals(all(), storage.verifiedPieces());
        await(storage.closeAsync());
        for (int i = 0; i < SIZES.length; i++) {
            assertArrayEquals(contents.get(i), Files.readAllBytes(dir.resolve("leech/album/" + (char) ('a' + i))));
        }
    }

    @Test
    void aPieceSentWithoutItsAlignmentGapVerifiesToo() {
        TorrentStorage storage = open(dir.resolve("leech"));
        for (int piece = 0; piece < metainfo.pieceCount(); piece++) {
            ByteBuffer sent = piece(piece).limit(metainfo.dataLength(piece));
            assertTrue(await(storage.writePiece(piece, sent)), "piece " + piece);
        }
        assertEquals(all(), storage.verifiedPieces());
    }

    @Test
    void aHybridPieceSentWithoutItsPaddingVerifiesByBothHashesWithThePaddingAsZeros() throws Exception {
        metainfo = new MetainfoParser().parse(TorrentCreator.forPath(dir.resolve("seed/album")).pieceLength(PIECE)
                .format(TorrentCreator.Format.HYBRID).create());
        assertTrue(metainfo.hasV1Hashes() && metainfo.v2().isPresent());
        TorrentStorage storage = open(dir.resolve("leech"));
        for (int piece = 0; piece < metainfo.pieceCount(); piece++) {
            assertTrue(await(storage.writePiece(piece, piece(piece).limit(metainfo.dataLength(piece)))), "piece " + piece);
        }
        ByteBuffer damaged = piece(1).limit(metainfo.dataLength(1));
        damaged.put(0, (byte) (damaged.get(0) ^ 1));
        assertFalse(await(open(dir.resolve("other")).writePiece(1, damaged)));
        await(storage.closeAsync());
        assertArrayEquals(contents.get(2), Files.readAllBytes(dir.resolve("leech/album/c")));
    }

    @Test
    void aDamagedBlockFailsItsPieceAndIsNamedOnceThePieceVerifies() {
        TorrentStorage storage = open(dir.resolve("leech"));
        int piece = 4; // c's second piece: two blocks
        ByteBuffer damaged = piece(piece);
        damaged.put(16_384 + 100, (byte) (damaged.get(16_384 + 100) ^ 1));
        assertFalse(await(storage.writePiece(piece, damaged)));
        assertEquals(new BitSet(), storage.takeBadBlocks(piece), "nothing is known before a good copy");
        assertFalse(storage.verifiedPieces().get(piece));

        assertTrue(await(storage.writePiece(piece, piece(piece))));
        BitSet bad = new BitSet();
        bad.set(1);
        assertEquals(bad, storage.takeBadBlocks(piece));
        assertEquals(new BitSet(), storage.takeBadBlocks(piece), "taken once");
    }

    @Test
    void damageInAFilesShortLastPieceAndInAOnePieceFileFails() {
        TorrentStorage storage = open(dir.resolve("leech"));
        for (int piece : new int[] {1, 2, 5}) { // a's last, b (one piece: its root), c's last
            ByteBuffer damaged = piece(piece);
            int last = pieces.dataLength(piece) - 1;
            damaged.put(last, (byte) (damaged.get(last) ^ 1));
            assertFalse(await(storage.writePiece(piece, damaged)), "piece " + piece);
        }
        assertEquals(new BitSet(), storage.verifiedPieces());
    }

    @Test
    void dataAlreadyOnDiskIsHashedTheV2WayAndAResumeRecordIsTrustedUntilAFileChanges() throws Exception {
        TorrentStorage seed = open(dir.resolve("seed"));
        assertEquals(all(), seed.verifiedPieces(), "existing files hash to their merkle roots");
        await(seed.closeAsync());

        Path c = dir.resolve("seed/album/c");
        byte[] bytes = Files.readAllBytes(c);
        bytes[PIECE + 5] ^= 1; // c's second piece, torrent piece 4
        FileTime mtime = Files.getLastModifiedTime(c);
        Files.write(c, bytes);
        Files.setLastModifiedTime(c, mtime);
        assertEquals(all(), open(dir.resolve("seed")).verifiedPieces(), "same stamps: the record is trusted");

        BitSet expected = all();
        expected.clear(4);
        TorrentStorage rechecked = open(dir.resolve("seed"));
        assertEquals(expected, await(rechecked.recheck((checked, total) -> { })));
    }
}
