package io.graytorrent.metainfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.testkit.Unit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The v2 download layout (every file starts a piece, padding in the gaps) and per-piece merkle
 * verification, with data built by {@link V2Torrents}: full pieces, each file's short last piece, a
 * file of one piece (verified against its root), a file of one short block, and layers learnt later.
 */
@Unit
class V2PiecesTest {
    private static final int PIECE = 32_768;
    private final MetainfoParser parser = new MetainfoParser();

    /** 3 pieces (last 3,392 bytes), an empty file, 1 piece of 5,000 bytes, 2 pieces (last 1 byte), 1 block of 7. */
    private static V2Torrents album() {
        return new V2Torrents("album", PIECE).file(68_928, "a.bin").file(0, "b-empty").file(5_000, "c.bin")
                .file(PIECE + 1, "d.bin").file(7, "e.bin");
    }

    private static byte[] leaves(byte[] data, int from, int length) {
        return MerkleTree.leaves(data, from, length);
    }

    /** (file index in the tree, piece in file) of each piece, with the bytes of data it holds. */
    private static List<int[]> expectedPieces(V2Torrents album) {
        List<int[]> pieces = new ArrayList<>();
        for (int file = 0; file < album.contents.size(); file++) {
            int length = album.contents.get(file).length;
            for (int start = 0, n = 0; start < length; start += PIECE, n++) {
                pieces.add(new int[] {file, n, Math.min(PIECE, length - start)});
            }
        }
        return pieces;
    }

    @Test
    void everyFileStartsAPieceAndEachFilesLastPieceIsShortBeforeItsPadding() throws Exception {
        V2Torrents album = album();
        Metainfo download = parser.parse(album.torrent(false));
        V2Pieces pieces = new V2Pieces(PieceLayers.of(download.v2().orElseThrow()));

        List<int[]> expected = expectedPieces(album);
        assertEquals(expected.size(), download.pieceCount());
        assertEquals(expected.size(), pieces.pieceCount());
        for (int piece = 0; piece < expected.size(); piece++) {
            int[] where = expected.get(piece);
            assertEquals(where[0], pieces.file(piece), "file of piece " + piece);
            assertEquals(where[1], pieces.pieceInFile(piece), "piece in file of piece " + piece);
            assertEquals(where[2], pieces.dataLength(piece), "data in piece " + piece);
            assertEquals(where[2], download.dataLength(piece), "what peers are asked for of piece " + piece);
        }
        // the download layout: files at piece boundaries, padding in the gaps, none after the last file
        List<String> layout = download.files().stream().map(f -> f.displayPath() + "@" + f.offset() + "+" + f.length()
                + (f.isPadding() ? "p" : "")).toList();
        assertEquals(List.of("a.bin@0+68928", ".pad/29376@68928+29376p", "b-empty@98304+0", "c.bin@98304+5000",
                ".pad/27768@103304+27768p", "d.bin@131072+32769", ".pad/32767@163841+32767p", "e.bin@196608+7"), layout);
        assertEquals(196_615, download.totalLength());
        assertEquals(PIECE, download.pieceLength(0));
        assertEquals(7, download.pieceLength(download.pieceCount() - 1));
    }

    @Test
    void eachPiecesBlocksVerifyAgainstItsLayerEntryOrItsFilesRoot() throws Exception {
        V2Torrents album = album();
        V2Pieces pieces = new V2Pieces(PieceLayers.of(parser.parse(album.torrent(false)).v2().orElseThrow()));
        List<int[]> expected = expectedPieces(album);
        for (int piece = 0; piece < expected.size(); piece++) {
            int[] where = expected.get(piece);
            byte[] data = album.contents.get(where[0]);
            byte[] good = leaves(data, where[1] * PIECE, where[2]);
            assertEquals(V2Pieces.Verdict.GOOD, pieces.verdict(piece, good), "piece " + piece);

            byte[] damaged = Arrays.copyOfRange(data, where[1] * PIECE, where[1] * PIECE + where[2]);
            damaged[damaged.length - 1] ^= 1;
            assertEquals(V2Pieces.Verdict.BAD, pieces.verdict(piece, leaves(damaged, 0, damaged.length)),
                    "damaged last byte of piece " + piece);
        }
    }

    @Test
    void aPieceWhoseLayerIsUnknownIsNeitherGoodNorBadUntilAPeerSuppliesTheLayer() throws Exception {
        V2Torrents album = album();
        Metainfo download = parser.parseMetadata(V2Torrents.torrent(album.info(false), null));
        PieceLayers layers = PieceLayers.of(download.v2().orElseThrow());
        V2Pieces pieces = new V2Pieces(layers);
        assertEquals(List.of(0, 3), layers.missing(), "a.bin and d.bin span several pieces");
        byte[] a = album.contents.get(0);
        assertEquals(V2Pieces.Verdict.UNKNOWN, pieces.verdict(0, leaves(a, 0, PIECE)));
        assertEquals(V2Pieces.Verdict.GOOD, pieces.verdict(3, leaves(album.contents.get(2), 0, 5_000)), "c.bin: its root");

        List<Integer> learnt = new ArrayList<>();
        layers.onLearned(learnt::add);
        byte[] layer = album.layer(a);
        byte[] wrong = layer.clone();
        wrong[0] ^= 1;
        assertFalse(layers.offer(0, wrong), "a layer that does not hash to the root");
        assertFalse(layers.offer(0, Arrays.copyOf(layer, 64)), "a layer of the wrong length");
        assertFalse(layers.isKnown(0));
        assertTrue(layers.offer(0, layer));
        assertTrue(layers.offer(0, layer), "offered twice: still known, told once");
        assertEquals(List.of(0), learnt);
        assertEquals(V2Pieces.Verdict.GOOD, pieces.verdict(0, leaves(a, 0, PIECE)));
        assertEquals(V2Pieces.Verdict.GOOD, pieces.verdict(2, leaves(a, 2 * PIECE, 68_928 - 2 * PIECE)));
        assertEquals(List.of(3), layers.missing());
    }

    @Test
    void aHybridCarriesItsV2ViewAndJoinsBothSwarms() throws Exception {
        byte[] torrent = album().torrent(true);
        Metainfo download = parser.parse(torrent);
        MetainfoV2 v2 = download.v2().orElseThrow();
        assertTrue(download.hasV1Hashes());
        assertEquals(List.of(download.infoHash(), v2.infoHash().truncated()), download.swarmHashes());
        V2Pieces pieces = new V2Pieces(PieceLayers.of(v2));
        assertEquals(pieces.pieceCount(), download.pieceCount());
        for (int piece = 0; piece < download.pieceCount(); piece++) {
            assertEquals(pieces.dataLength(piece), download.dataLength(piece), "a hybrid's padding is not asked for either");
        }
    }

    @Test
    void anEmptyFileAfterTheLastDataLeavesNoGapInTheDownloadLayout() throws Exception {
        V2Torrents torrent = new V2Torrents("t", PIECE).file(10, "a").file(0, "z-empty");
        Metainfo download = parser.parse(torrent.torrent(false));
        assertEquals(10, download.totalLength());
        assertEquals(1, download.pieceCount());
        assertEquals(10, download.pieceLength(0));
        assertEquals(List.of("a@0+10", "z-empty@10+0"),
                download.files().stream().map(f -> f.displayPath() + "@" + f.offset() + "+" + f.length()).toList());
    }

    @Test
    void aV1TorrentWithoutPaddingIsAskedForWhole() throws Exception {
        Metainfo v1 = parser.parse(Torrents.torrent(Torrents.multiFileInfo("t",
                List.of(Torrents.file(20_000, "a"), Torrents.file(30_000, "b"), Torrents.file(1, "c")))));
        assertTrue(v1.pieceCount() > 1);
        for (int piece = 0; piece < v1.pieceCount(); piece++) {
            assertEquals(v1.pieceLength(piece), v1.dataLength(piece));
        }
    }
}
