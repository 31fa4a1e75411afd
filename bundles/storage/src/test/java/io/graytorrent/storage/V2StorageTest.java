package io.graytorrent.storage;

import static io.graytorrent.storage.TorrentStorageTest.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.metainfo.Metainfo;
import io.graytorrent.metainfo.MetainfoParser;
import io.graytorrent.metainfo.TorrentCreator;
import io.graytorrent.metainfo.V2Pieces;
import io.graytorrent.testkit.Unit;
import io.graytorrent.metainfo.PieceLayers;
import io.graytorrent.storage.StorageException.Reason;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletionException;
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

    /**
     * A crafted hybrid: the v2 view (roots, piece layers) of the album, the v1 piece hashes of the album with c's
     * bytes changed. Each view is well formed and they name the same files, so it parses; only data tells them apart.
     */
    private Metainfo craftedHybrid(byte[] otherC) throws Exception {
        Files.createDirectories(dir.resolve("other/album"));
        for (int i = 0; i < SIZES.length; i++) {
            Files.write(dir.resolve("other/album/" + (char) ('a' + i)), i == 2 ? otherC : contents.get(i));
        }
        byte[] honest = TorrentCreator.forPath(dir.resolve("seed/album")).pieceLength(PIECE)
                .format(TorrentCreator.Format.HYBRID).create();
        byte[] other = TorrentCreator.forPath(dir.resolve("other/album")).pieceLength(PIECE)
                .format(TorrentCreator.Format.HYBRID).create();
        int at = indexOf(honest, "6:pieces");
        int otherAt = indexOf(other, "6:pieces");
        int length = 20 * metainfo.pieceCount();
        String prefix = "6:pieces" + length + ":";
        assertEquals(prefix, new String(honest, at, prefix.length(), StandardCharsets.US_ASCII));
        System.arraycopy(other, otherAt + prefix.length(), honest, at + prefix.length(), length);
        Metainfo crafted = new MetainfoParser().parse(honest);
        assertTrue(crafted.hasV1Hashes() && crafted.v2().isPresent(), "it reads as a hybrid");
        return crafted;
    }

    private static int indexOf(byte[] haystack, String needle) {
        byte[] bytes = needle.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i + bytes.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + bytes.length, bytes, 0, bytes.length)) {
                return i;
            }
        }
        throw new AssertionError(needle + " not found");
    }

    private static Reason failure(java.util.concurrent.CompletableFuture<?> future) {
        CompletionException thrown = assertThrows(CompletionException.class, () -> await(future));
        return ((StorageException) thrown.getCause()).reason();
    }

    private byte[] changedC() {
        byte[] c = contents.get(2).clone();
        c[PIECE + 100] ^= 1; // in c's second piece, torrent piece 4
        return c;
    }

    @Test
    void aHybridWhoseViewsDescribeDifferentDataStopsInErrorWhicheverViewAPieceMatches() throws Exception {
        byte[] otherC = changedC();
        metainfo = craftedHybrid(otherC);
        assertEquals(6, metainfo.pieceCount());
        TorrentStorage storage = open(dir.resolve("leech"));
        assertTrue(await(storage.writePiece(3, piece(3))), "c's first piece is the same in both views");
        // the album's bytes match the v2 subtree and not the v1 hash
        assertEquals(Reason.INCONSISTENT_HASHES, failure(storage.writePiece(4, piece(4))));
        assertEquals(Reason.INCONSISTENT_HASHES, storage.error().orElseThrow().reason());
        assertFalse(storage.verifiedPieces().get(4));

        // the other bytes match the v1 hash and not the v2 subtree
        TorrentStorage second = open(dir.resolve("leech2"));
        ByteBuffer other = piece(4);
        other.put(100, (byte) (other.get(100) ^ 1));
        assertEquals(Reason.INCONSISTENT_HASHES, failure(second.writePiece(4, other)));
        assertFalse(second.verifiedPieces().get(4));
        // bytes that match neither are a bad piece, as ever: the sender's fault, not the torrent's
        TorrentStorage third = open(dir.resolve("leech3"));
        other.put(200, (byte) (other.get(200) ^ 1));
        assertFalse(await(third.writePiece(4, other)));
        assertTrue(third.error().isEmpty());
    }

    /** The same torrent as a magnet link gives it: the info dictionary, no piece layers. */
    private static Metainfo withoutLayers(Metainfo torrent) {
        io.graytorrent.metainfo.MetainfoV2 v2 = torrent.v2().orElseThrow();
        return torrent.withV2(new io.graytorrent.metainfo.MetainfoV2(v2.infoHash(), v2.info(), v2.name(),
                v2.pieceLength(), v2.files().stream()
                .map(f -> new io.graytorrent.metainfo.V2File(f.entry(), f.piecesRoot(), new byte[0])).toList(),
                v2.multiFile()));
    }

    @Test
    void aHybridMagnetsPiecesVerifiedBySha1AloneAreCheckedAgainstALayerLearntLater() throws Exception {
        Metainfo crafted = craftedHybrid(changedC());
        byte[] layerOfC = crafted.v2().orElseThrow().files().get(2).pieceLayer();
        metainfo = withoutLayers(crafted);
        TorrentStorage storage = open(dir.resolve("leech"));
        PieceLayers layers = storage.pieceLayers().orElseThrow();
        assertEquals(List.of(0, 2), layers.missing(), "a and c need layers, b (one piece) its root only");
        ByteBuffer other = piece(4);
        other.put(100, (byte) (other.get(100) ^ 1));
        assertTrue(await(storage.writePiece(4, other)), "no layer yet: the v1 hash alone judges");
        assertTrue(await(storage.writePiece(3, piece(3))));
        await(storage.checkLearntLayer(2)); // not learnt yet: nothing to check against

        assertTrue(layers.offer(2, layerOfC), "the layer matches c's root");
        assertEquals(Reason.INCONSISTENT_HASHES, failure(storage.checkLearntLayer(2)));
        assertEquals(Reason.INCONSISTENT_HASHES, storage.error().orElseThrow().reason());
        assertEquals(new BitSet(), storage.verifiedPieces(), "neither view's pieces are trusted any more");
    }

    @Test
    void anHonestHybridMagnetKeepsItsPiecesWhenTheLayerArrives() throws Exception {
        Metainfo honest = new MetainfoParser().parse(TorrentCreator.forPath(dir.resolve("seed/album")).pieceLength(PIECE)
                .format(TorrentCreator.Format.HYBRID).create());
        byte[] layerOfC = honest.v2().orElseThrow().files().get(2).pieceLayer();
        metainfo = withoutLayers(honest);
        TorrentStorage storage = open(dir.resolve("leech"));
        for (int piece = 3; piece < 6; piece++) {
            assertTrue(await(storage.writePiece(piece, piece(piece))), "piece " + piece);
        }
        assertTrue(storage.pieceLayers().orElseThrow().offer(2, layerOfC));
        await(storage.checkLearntLayer(2));
        assertTrue(storage.error().isEmpty());
        BitSet c = new BitSet();
        c.set(3, 6);
        assertEquals(c, storage.verifiedPieces());
    }
}
