package io.graytorrent.metainfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.graytorrent.testkit.Interop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * v2-only and hybrid torrents made by libtorrent 2.0 at run time read to the same infohashes, files,
 * piece-aligned offsets and merkle roots (so our piece-layer check accepts what libtorrent writes).
 */
@Interop
class LibtorrentV2InteropTest {
    private final MetainfoParser parser = new MetainfoParser();

    @TempDir
    Path dir;

    private void writeAlbum() throws Exception {
        Torrents.writeFile(dir, "album/cd1/01 intro.flac", 70_001);
        Torrents.writeFile(dir, "album/cd1/02.flac", 16_384);
        Torrents.writeFile(dir, "album/cd2/01.flac", 5);
        Torrents.writeFile(dir, "album/.hidden", 12);
        Torrents.writeFile(dir, "album/cover \u00e9t\u00e9.jpg", 300_000);
        Torrents.writeFile(dir, "album/empty", 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"v2", "hybrid"})
    void libtorrentMultiFileTorrentsReadToTheSameHashesAndFiles(String mode) throws Exception {
        writeAlbum();
        for (int pieceLength : new int[] {16_384, 65_536}) {
            Path torrent = dir.resolve(mode + pieceLength + ".torrent");
            JsonNode expected = Libtorrent.run("create", dir.resolve("album").toString(), torrent.toString(), mode,
                    Integer.toString(pieceLength));
            ParsedTorrent parsed = parser.read(Files.readAllBytes(torrent));

            assertEquals(mode, parsed.kind());
            assertSameV2(expected, parsed.v2().orElseThrow());
            if (mode.equals("hybrid")) {
                assertEquals(expected.get("infohash").asText(), parsed.v1().orElseThrow().infoHash().toHex());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"v2", "hybrid"})
    void libtorrentSingleFileTorrentsReadToTheSameHashesAndFile(String mode) throws Exception {
        Torrents.writeFile(dir, "movie.mkv", 100_000);
        Path torrent = dir.resolve(mode + ".torrent");
        JsonNode expected = Libtorrent.run("create", dir.resolve("movie.mkv").toString(), torrent.toString(), mode, "0");
        ParsedTorrent parsed = parser.read(Files.readAllBytes(torrent));

        MetainfoV2 v2 = parsed.v2().orElseThrow();
        assertSameV2(expected, v2);
        assertEquals(List.of("movie.mkv"), v2.files().get(0).entry().path());
        assertFalse(v2.multiFile());
    }

    /** v2 infohash, name, piece length and the non-padding files with offsets and roots agree. */
    private static void assertSameV2(JsonNode libtorrent, MetainfoV2 v2) {
        assertEquals(libtorrent.get("infohash_v2").asText(), v2.infoHash().toHex(), "v2 infohash");
        assertEquals(libtorrent.get("name").asText(), v2.name());
        assertEquals(libtorrent.get("piece_length").asInt(), v2.pieceLength());
        String prefix = v2.multiFile() ? v2.name() + "/" : "";
        List<String> ours = v2.files().stream().map(f -> prefix + f.entry().displayPath() + " " + f.entry().length()
                + "@" + f.entry().offset() + " " + (f.piecesRoot().length == 0 ? "0".repeat(64)
                        : HexFormat.of().formatHex(f.piecesRoot()))).toList();
        List<String> theirs = new ArrayList<>();
        libtorrent.get("files").forEach(f -> {
            if (!f.get("attributes").asText().contains("p")) {
                theirs.add(f.get("path").asText() + " " + f.get("size").asLong() + "@" + f.get("offset").asLong() + " "
                        + f.get("root").asText());
            }
        });
        assertEquals(theirs, ours);
    }

    @Test
    void aV2OnlyTorrentFromLibtorrentDownloadsUnderTheFirst20BytesOfItsV2Hash() throws Exception {
        Torrents.writeFile(dir, "movie.mkv", 100_000);
        Path torrent = dir.resolve("v2.torrent");
        JsonNode made = Libtorrent.run("create", dir.resolve("movie.mkv").toString(), torrent.toString(), "v2", "0");
        Metainfo download = parser.parse(Files.readAllBytes(torrent));
        assertEquals(made.get("infohash_v2").asText().substring(0, 40), download.infoHash().toHex());
        assertTrue(download.isV2Only());
    }

    @ParameterizedTest
    @ValueSource(strings = {"V2", "HYBRID"})
    void ourTorrentsLoadInLibtorrentWithTheSameHashesAndVerify(String format) throws Exception {
        writeAlbum();
        byte[] created = TorrentCreator.forPath(dir.resolve("album")).pieceLength(32 * 1024)
                .format(TorrentCreator.Format.valueOf(format)).create();
        Path torrent = Files.write(dir.resolve("ours.torrent"), created);
        JsonNode described = Libtorrent.run("describe", torrent.toString());
        ParsedTorrent ours = parser.read(created);

        assertSameV2(described, ours.v2().orElseThrow());
        if (format.equals("HYBRID")) {
            assertEquals(described.get("infohash").asText(), ours.v1().orElseThrow().infoHash().toHex());
        } else {
            assertTrue(described.get("infohash").isNull(), "v2-only in libtorrent too");
        }
        JsonNode verified = Libtorrent.run("verify", torrent.toString(), dir.toString());
        assertEquals("seeding", verified.get("state").asText(), verified.toString());

        // libtorrent making the same files into the same kind of torrent writes the same info dictionary
        Path theirs = dir.resolve("theirs.torrent");
        JsonNode made = Libtorrent.run("create", dir.resolve("album").toString(), theirs.toString(),
                format.toLowerCase(java.util.Locale.ROOT), Integer.toString(32 * 1024));
        assertEquals(made.get("infohash_v2").asText(), ours.v2().orElseThrow().infoHash().toHex());
    }

    @ParameterizedTest
    @ValueSource(strings = {"V2", "HYBRID"})
    void ourSingleFileTorrentsLoadInLibtorrentWithTheSameHashes(String format) throws Exception {
        Torrents.writeFile(dir, "disk.img", 3_000_000);
        byte[] created = TorrentCreator.forPath(dir.resolve("disk.img")).format(TorrentCreator.Format.valueOf(format))
                .create();
        Path torrent = Files.write(dir.resolve("ours.torrent"), created);
        JsonNode described = Libtorrent.run("describe", torrent.toString());
        ParsedTorrent ours = parser.read(created);

        assertSameV2(described, ours.v2().orElseThrow());
        JsonNode verified = Libtorrent.run("verify", torrent.toString(), dir.toString());
        assertEquals("seeding", verified.get("state").asText(), verified.toString());
    }
}
