package io.graytorrent.metainfo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.graytorrent.metainfo.internal.AutoPieceLength;
import io.graytorrent.testkit.Interop;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Our parser and creator against libtorrent 2.0 (python3-libtorrent), both ways. */
@Interop
class LibtorrentInteropTest {
    private final MetainfoParser parser = new MetainfoParser();

    @TempDir
    Path dir;

    private void write(String relative, int size) throws IOException {
        Torrents.writeFile(dir, relative, size);
    }

    private void writeAlbum() throws IOException {
        write("album/cd1/01 intro.flac", 70_001);
        write("album/cd1/02.flac", 16_384);
        write("album/cd2/01.flac", 5);
        write("album/.hidden", 12);
        write("album/cover \u00e9t\u00e9.jpg", 33_000);
        write("album/empty", 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1", "padded", "hybrid"})
    void libtorrentMultiFileTorrentsParseToTheSameTorrent(String mode) throws Exception {
        writeAlbum();
        Path torrent = dir.resolve(mode + ".torrent");
        JsonNode expected = Libtorrent.run("create", dir.resolve("album").toString(), torrent.toString(), mode, "16384");
        Metainfo meta = parser.parse(Files.readAllBytes(torrent));

        assertSameTorrent(expected, meta);
        if (!mode.equals("v1")) {
            assertTrue(meta.files().stream().anyMatch(FileEntry::isPadding), "libtorrent wrote pad files in " + mode);
        }
    }

    @Test
    void libtorrentHybridTorrentCutAtAnyByteIsRefused() throws Exception {
        writeAlbum();
        Path torrent = dir.resolve("hybrid.torrent");
        Libtorrent.run("create", dir.resolve("album").toString(), torrent.toString(), "hybrid", "16384");
        byte[] whole = Files.readAllBytes(torrent);
        for (int length = 0; length < whole.length; length++) {
            byte[] cut = Arrays.copyOf(whole, length);
            assertThrows(MetainfoException.class, () -> parser.parse(cut), "cut at byte " + length);
        }
    }

    @Test
    void libtorrentSingleFileTorrentParsesToTheSameTorrent() throws Exception {
        write("movie.mkv", 100_000);
        Path torrent = dir.resolve("single.torrent");
        JsonNode expected = Libtorrent.run("create", dir.resolve("movie.mkv").toString(), torrent.toString(), "v1", "0");
        Metainfo meta = parser.parse(Files.readAllBytes(torrent));

        assertSameTorrent(expected, meta);
        assertEquals(List.of(List.of("movie.mkv")), meta.files().stream().map(FileEntry::path).toList());
    }

    @Test
    void ourMultiFileTorrentLoadsAndVerifiesInLibtorrent() throws Exception {
        writeAlbum();
        byte[] created = TorrentCreator.forPath(dir.resolve("album")).tracker("http://t1.example/announce")
                .tracker("udp://t2.example:6969").webSeed("http://seed.example/album/").privateTorrent(true).create();
        Path torrent = Files.write(dir.resolve("ours.torrent"), created);
        JsonNode described = Libtorrent.run("describe", torrent.toString());
        Metainfo meta = parser.parse(created);

        assertSameTorrent(described, meta);
        assertEquals(List.of("album/.hidden", "album/cd1/01 intro.flac", "album/cd1/02.flac", "album/cd2/01.flac",
                "album/cover \u00e9t\u00e9.jpg", "album/empty"), texts(described.get("files"), "path"));
        assertEquals(List.of("http://t1.example/announce", "udp://t2.example:6969"), texts(described.get("trackers"), "url"));
        assertEquals(List.of("0", "1"), texts(described.get("trackers"), "tier"));
        assertEquals(List.of("http://seed.example/album/"), texts(described.get("web_seeds"), null));
        assertTrue(described.get("private").asBoolean());
        assertAllPiecesVerify(torrent, meta);
    }

    @Test
    void ourSingleFileTorrentLoadsAndVerifiesInLibtorrent() throws Exception {
        write("disk.img", 3_000_000);
        Path torrent = Files.write(dir.resolve("ours.torrent"), TorrentCreator.forPath(dir.resolve("disk.img")).create());
        JsonNode described = Libtorrent.run("describe", torrent.toString());
        Metainfo meta = parser.parse(Files.readAllBytes(torrent));

        assertSameTorrent(described, meta);
        assertEquals(32 * 1024, described.get("piece_length").asInt(), "libtorrent's auto size for 3 MB");
        assertAllPiecesVerify(torrent, meta);
    }

    @Test
    void autoPieceLengthMatchesLibtorrentAtEveryStep() throws Exception {
        // both sides of each step libtorrent 2.0.8 takes, and far beyond the last one
        List<String> totals = new ArrayList<>(List.of("1", "1000000", "10000000000000"));
        for (long threshold : new long[] {2_684_355L, 10_737_418L, 42_949_673L, 171_798_692L, 687_194_767L,
            2_748_779_069L, 10_995_116_278L, 43_980_465_111L, 175_921_860_444L, 703_687_441_777L}) {
            totals.add(Long.toString(threshold));
            totals.add(Long.toString(threshold + 1));
        }
        List<String> command = new ArrayList<>(List.of("autopiece"));
        command.addAll(totals);
        JsonNode expected = Libtorrent.run(command.toArray(String[]::new));
        for (int i = 0; i < totals.size(); i++) {
            assertEquals(expected.get(i).asInt(), AutoPieceLength.forTotal(Long.parseLong(totals.get(i))),
                    "piece length for " + totals.get(i) + " bytes");
        }
    }

    /** Infohash, name, piece length, piece hashes and files (with offsets and attributes) agree. */
    private static void assertSameTorrent(JsonNode libtorrent, Metainfo meta) {
        assertEquals(libtorrent.get("infohash").asText(), meta.infoHash().toHex(), "v1 infohash");
        assertEquals(libtorrent.get("name").asText(), meta.name());
        assertEquals(libtorrent.get("piece_length").asInt(), meta.pieceLength());
        assertEquals(libtorrent.get("total_size").asLong(), meta.totalLength());
        assertArrayEquals(HexFormat.of().parseHex(String.join("", texts(libtorrent.get("pieces"), null))),
                meta.pieceHashes());
        String prefix = meta.multiFile() ? meta.name() + "/" : "";
        List<String> ours = meta.files().stream()
                .map(f -> prefix + f.displayPath() + " " + f.length() + "@" + f.offset() + " " + sorted(f.attributes()))
                .toList();
        List<String> theirs = new ArrayList<>();
        libtorrent.get("files").forEach(f -> theirs.add(f.get("path").asText() + " " + f.get("size").asLong() + "@"
                + f.get("offset").asLong() + " " + sorted(f.get("attributes").asText())));
        assertEquals(theirs, ours);
    }

    /** libtorrent checks the data in place against our piece hashes and finds every piece. */
    private void assertAllPiecesVerify(Path torrent, Metainfo meta) throws Exception {
        JsonNode verified = Libtorrent.run("verify", torrent.toString(), dir.toString());
        assertEquals("seeding", verified.get("state").asText(), verified.toString());
        assertEquals(meta.pieceCount(), verified.get("num_pieces").asInt(), verified.toString());
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(field == null ? node.asText() : node.get(field).asText()));
        return texts;
    }

    private static String sorted(String letters) {
        return letters.chars().sorted().collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
    }
}
