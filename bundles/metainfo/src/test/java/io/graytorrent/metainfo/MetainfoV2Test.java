package io.graytorrent.metainfo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.graytorrent.testkit.Unit;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** BEP 52 v2 and hybrid torrents: what is read, and each malformation with its own error. */
@Unit
class MetainfoV2Test {
    private static final int PIECE = 16 * 1024;
    private final MetainfoParser parser = new MetainfoParser();

    /** Three files in tree order: one of three pieces, an empty one, one under a piece. */
    private static V2Torrents album() {
        return new V2Torrents("album", PIECE).file(40_000, "a.bin").file(0, "empty").file(5_000, "sub", "b.bin");
    }

    private String rejected(byte[] torrent) {
        try {
            parser.read(torrent);
        } catch (MetainfoException e) {
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            return e.getMessage();
        } catch (RuntimeException e) {
            throw new AssertionError("expected a MetainfoException, got " + e, e);
        }
        return fail("accepted a bad torrent");
    }

    /** The album as v2-only ({@code hybrid} false) or hybrid, with its info broken by {@code change}. */
    private String rejectedInfo(boolean hybrid, Consumer<Map<String, Object>> change) {
        V2Torrents album = album();
        Map<String, Object> info = album.info(hybrid);
        change.accept(info);
        return rejected(V2Torrents.torrent(info, album.pieceLayers()));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> properties(Map<String, Object> info, String... path) {
        Map<String, Object> node = (Map<String, Object>) info.get("file tree");
        for (String component : path) {
            node = (Map<String, Object>) node.get(component);
        }
        return (Map<String, Object>) node.get("");
    }

    @Test
    void v2OnlyTorrentIsReadWithAlignedFilesAndCheckedPieceLayers() throws Exception {
        V2Torrents album = album();
        byte[] torrent = album.torrent(false);
        ParsedTorrent parsed = parser.read(torrent);

        assertEquals("v2", parsed.kind());
        MetainfoV2 v2 = parsed.v2().orElseThrow();
        assertEquals("album", v2.name());
        assertTrue(v2.multiFile());
        assertEquals(List.of("a.bin", "empty", "sub/b.bin"), v2.files().stream().map(f -> f.entry().displayPath()).toList());
        assertEquals(List.of(0L, 3L * PIECE, 3L * PIECE), v2.files().stream().map(f -> f.entry().offset()).toList());
        assertEquals(4, v2.pieceCount());
        assertEquals(45_000, v2.totalLength());
        assertArrayEquals(album.layer(album.contents.get(0)), v2.files().get(0).pieceLayer());
        assertArrayEquals(V2Torrents.root(album.contents.get(2)), v2.files().get(2).piecesRoot());
        assertEquals(0, v2.files().get(2).pieceLayer().length, "one piece: its hash is the root");
        assertEquals(0, v2.files().get(1).piecesRoot().length, "an empty file has no root");

        byte[] info = Arrays.copyOfRange(torrent, "d4:info".length(), torrent.length - 1 - encodedLayersLength(album));
        byte[] sha256 = MessageDigest.getInstance("SHA-256").digest(info);
        assertArrayEquals(sha256, v2.infoHash().toBytes(), "SHA-256 of the info bytes");
        assertArrayEquals(Arrays.copyOf(sha256, 20), v2.infoHash().truncated().toBytes(), "first 20 bytes on the wire");
    }

    private static int encodedLayersLength(V2Torrents album) {
        return album.pieceLayers().values().stream().mapToInt(layer -> 3 + 32 + 3 + ((byte[]) layer).length).sum()
                + 2 + "12:piece layers".length();
    }

    @Test
    void v2OnlyTorrentDownloadsUnderItsTruncatedV2HashWithoutSha1Pieces() throws Exception {
        byte[] torrent = album().torrent(false);
        Metainfo download = parser.parse(torrent);
        MetainfoV2 v2 = parser.read(torrent).v2().orElseThrow();

        assertEquals(v2.infoHash().truncated(), download.infoHash());
        assertTrue(download.isV2Only());
        assertEquals(v2.infoHash(), download.v2().orElseThrow().infoHash());
        assertEquals(List.of(download.infoHash()), download.swarmHashes());
        assertEquals(v2.pieceCount(), download.pieceCount());
    }

    @Test
    void hybridHasBothViewsDescribingTheSameFiles() throws Exception {
        ParsedTorrent parsed = parser.read(album().torrent(true));
        assertEquals("hybrid", parsed.kind());
        Metainfo v1 = parsed.v1().orElseThrow();
        MetainfoV2 v2 = parsed.v2().orElseThrow();
        assertEquals(List.of("a.bin", ".pad/9152", "empty", "sub/b.bin"), v1.files().stream().map(FileEntry::displayPath).toList());
        assertEquals(v1.infoHash(), parser.parse(album().torrent(true)).infoHash(), "the engine downloads the v1 view");
        assertArrayEquals(v1.info(), v2.info());
        assertEquals(v1.infoHash().toHex(), sha1Hex(v1.info()));
    }

    private static String sha1Hex(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
    }

    @Test
    void singleFileV2TorrentIsTheFileAtTheTreesTop() throws Exception {
        V2Torrents one = new V2Torrents("movie.mkv", PIECE).file(70_000, "movie.mkv");
        ParsedTorrent parsed = parser.read(one.torrent(true));
        assertFalse(parsed.v2().orElseThrow().multiFile());
        assertEquals(List.of("movie.mkv"), parsed.v2().orElseThrow().files().get(0).entry().path());
        assertFalse(parsed.v1().orElseThrow().multiFile());
    }

    @Test
    void identicalFilesShareOneRootAndOneLayer() throws Exception {
        V2Torrents twins = new V2Torrents("t", PIECE).file(40_000, "a").file(40_000, "b");
        twins.contents.set(1, twins.contents.get(0));
        assertEquals(1, twins.pieceLayers().size());
        assertEquals(2, parser.read(twins.torrent(false)).v2().orElseThrow().files().size());
    }

    @Test
    void aSymlinkMayLeaveOutItsLengthAndIsKeptAsAnEmptyFile() throws Exception {
        V2Torrents album = album();
        Map<String, Object> info = album.info(false);
        @SuppressWarnings("unchecked")
        Map<String, Object> tree = (Map<String, Object>) info.get("file tree");
        tree.put("link", Map.of("", Map.of("attr", "l", "symlink path", List.of("..", "..", "etc"))));
        MetainfoV2 v2 = parser.read(V2Torrents.torrent(info, album.pieceLayers())).v2().orElseThrow();
        FileEntry link = v2.files().stream().map(V2File::entry).filter(f -> f.path().equals(List.of("link")))
                .findFirst().orElseThrow();
        assertEquals(0, link.length());
        assertEquals("l", link.attributes());
    }

    @Test
    void aHybridCutAtAnyByteIsRefusedAndFlippedBytesNeverEscapeAsAnotherException() throws Exception {
        byte[] torrent = album().torrent(true);
        for (int length = 0; length < torrent.length; length++) {
            rejected(Arrays.copyOf(torrent, length));
        }
        Random random = new Random(52);
        for (int i = 0; i < torrent.length; i++) {
            byte[] flipped = torrent.clone();
            flipped[i] = (byte) random.nextInt(256);
            try {
                parser.read(flipped);
            } catch (MetainfoException expected) {
                // refused; accepted is fine too when the flip kept it valid
            }
        }
    }

    // ---- malformations, one a case ----

    @Test
    void missingPieceLayers() {
        assertEquals("missing 'piece layers' (file 'a.bin' spans more than one piece)",
                rejected(V2Torrents.torrent(album().info(false), null)));
    }

    @Test
    void missingLayerOfOneFile() {
        assertEquals("'piece layers' has no layer for file 'a.bin'",
                rejected(V2Torrents.torrent(album().info(false), new LinkedHashMap<>())));
    }

    @Test
    void layerOfTheWrongSize() {
        V2Torrents album = album();
        Map<String, Object> layers = album.pieceLayers();
        layers.replaceAll((root, layer) -> Arrays.copyOf((byte[]) layer, 64));
        assertEquals("the piece layer of file 'a.bin' is 64 bytes, but its 3 pieces need 96",
                rejected(V2Torrents.torrent(album.info(false), layers)));
    }

    @Test
    void layerThatDoesNotHashToItsRoot() {
        V2Torrents album = album();
        Map<String, Object> layers = album.pieceLayers();
        layers.replaceAll((root, layer) -> {
            byte[] wrong = ((byte[]) layer).clone();
            wrong[40] ^= 1;
            return wrong;
        });
        assertEquals("the piece layer of file 'a.bin' does not hash to its pieces root",
                rejected(V2Torrents.torrent(album.info(false), layers)));
    }

    @Test
    void layerFromTheWrongLayerOfTheTree() {
        V2Torrents album = new V2Torrents("t", 2 * PIECE).file(100_000, "a");
        Map<String, Object> layers = album.pieceLayers();
        byte[] leaves = MerkleTree.leaves(album.contents.get(0), 0, 100_000);
        layers.replaceAll((root, layer) -> Arrays.copyOf(leaves, ((byte[]) layer).length));
        assertEquals("the piece layer of file 'a' does not hash to its pieces root",
                rejected(V2Torrents.torrent(album.info(false), layers)));
    }

    @Test
    void zeroRoot() {
        assertEquals("'info.file tree/sub/b.bin: pieces root' is all zeros",
                rejectedInfo(false, info -> properties(info, "sub", "b.bin").put("pieces root", new byte[32])));
    }

    @Test
    void rootOfTheWrongLength() {
        assertEquals("'info.file tree/sub/b.bin: pieces root' is 31 bytes, not 32",
                rejectedInfo(false, info -> properties(info, "sub", "b.bin").put("pieces root", new byte[31])));
    }

    @Test
    void missingRootOfANonEmptyFile() {
        assertEquals("missing 'info.file tree/sub/b.bin: pieces root'",
                rejectedInfo(false, info -> properties(info, "sub", "b.bin").remove("pieces root")));
    }

    @Test
    void wrongRootOfAFileLongerThanAPiece() {
        byte[] other = "another root, not of this file!!".getBytes(StandardCharsets.US_ASCII);
        assertEquals("'piece layers' has no layer for file 'a.bin'",
                rejectedInfo(false, info -> properties(info, "a.bin").put("pieces root", other)));
    }

    @Test
    void pieceLengthNotAPowerOfTwo() {
        assertEquals("piece length 20000 of a v2 torrent is not a power of two of at least 16384",
                rejectedInfo(false, info -> info.put("piece length", 20_000)));
    }

    @Test
    void pieceLengthUnder16KiB() {
        assertEquals("piece length 8192 of a v2 torrent is not a power of two of at least 16384",
                rejectedInfo(false, info -> info.put("piece length", 8192)));
    }

    @Test
    void fileTreeDeeperThanTheDecoderAllows() {
        Map<String, Object> tree = Map.of("", Map.of("length", 1, "pieces root", new byte[32]));
        for (int depth = 0; depth < 70; depth++) {
            tree = Map.of("d", tree);
        }
        Map<String, Object> deep = tree;
        assertTrue(rejectedInfo(false, info -> info.put("file tree", deep)).contains("nesting deeper than 64"));
    }

    @Test
    void aFileWithSiblingsInItsNode() {
        assertEquals("'info.file tree/a.bin' is a file with other entries beside it", rejectedInfo(false, info -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> node = (Map<String, Object>) ((Map<String, Object>) info.get("file tree")).get("a.bin");
            node.put("x", Map.of());
        }));
    }

    @Test
    void aTreeRootThatIsAFile() {
        assertEquals("'info.file tree' is itself a file, not a directory", rejectedInfo(false,
                info -> info.put("file tree", Map.of("", Map.of("length", 1)))));
    }

    @Test
    void anEmptyTreeOrOneOfEmptyFiles() {
        assertEquals("'info.file tree' holds no files", rejectedInfo(false, info -> info.put("file tree", Map.of())));
        assertEquals("the torrent holds no data (all files are empty)", rejectedInfo(false,
                info -> info.put("file tree", Map.of("e", Map.of("", Map.of("length", 0))))));
    }

    @Test
    void treeEntriesThatAreNotDictionariesOrLengthsThatAreNegative() {
        assertEquals("'info.file tree/x' is not a dictionary",
                rejectedInfo(false, info -> info.put("file tree", Map.of("x", 5))));
        assertEquals("'info.file tree/a.bin: length' is negative: -1",
                rejectedInfo(false, info -> properties(info, "a.bin").put("length", -1)));
    }

    @Test
    void missingFileTreeOrNewerMetaVersion() {
        assertEquals("missing 'info.file tree'", rejectedInfo(false, info -> info.remove("file tree")));
        assertTrue(assertThrows(UnsupportedTorrentException.class, () -> parser.read(V2Torrents.torrent(
                Map.of("meta version", 3, "name", "x"), null))).getMessage().startsWith("meta version 3 is newer"));
    }

    @Test
    void hybridWithADifferentFileCount() {
        assertEquals("the hybrid torrent's v1 and v2 views disagree: v1 has 2 files, v2 has 3",
                rejectedInfo(true, info -> ((List<?>) info.get("files")).remove(2)));
    }

    @Test
    void hybridWithADifferentSize() {
        assertEquals("the hybrid torrent's v1 and v2 views disagree: file 2 is 'sub/b.bin' (4999 bytes) in v1 but"
                + " 'sub/b.bin' (5000 bytes) in v2", rejectedInfo(true, info -> {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> last = (Map<String, Object>) ((List<?>) info.get("files")).get(3);
                    last.put("length", 4999);
                    info.put("pieces", Arrays.copyOf((byte[]) info.get("pieces"), 80));
                }));
    }

    @Test
    void hybridWithADifferentNameOrOrder() {
        assertEquals("the hybrid torrent's v1 and v2 views disagree: file 0 is 'b.bin' (40000 bytes) in v1 but"
                + " 'a.bin' (40000 bytes) in v2", rejectedInfo(true, info -> {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> first = (Map<String, Object>) ((List<?>) info.get("files")).get(0);
                    first.put("path", List.of("b.bin"));
                }));
        assertTrue(rejectedInfo(true, info -> {
            @SuppressWarnings("unchecked")
            List<Object> files = (List<Object>) info.get("files");
            files.add(files.remove(2));
        }).startsWith("the hybrid torrent's v1 and v2 views disagree: file 1 is 'sub/b.bin'"));
    }

    @Test
    void hybridWithoutItsPadFilesIsMisaligned() {
        assertEquals("the hybrid torrent's v1 and v2 views disagree: file 'sub/b.bin' starts at byte 40000 in v1 but"
                + " at the piece boundary 49152 in v2 (missing or wrong padding files)", rejectedInfo(true, info -> {
                    ((List<?>) info.get("files")).remove(1);
                    info.put("pieces", Arrays.copyOf((byte[]) info.get("pieces"), 60));
                }));
    }

    @Test
    void hybridWithASingleFileInOneViewAndATreeInTheOther() {
        V2Torrents one = new V2Torrents("a.bin", PIECE).file(70_000, "a.bin");
        Map<String, Object> info = one.info(true);
        info.remove("length");
        info.put("files", List.of(Torrents.file(70_000, "a.bin")));
        assertEquals("the hybrid torrent's v1 and v2 views disagree: v1 lists several files, v2 holds a single file",
                rejected(V2Torrents.torrent(info, one.pieceLayers())));
    }
}
