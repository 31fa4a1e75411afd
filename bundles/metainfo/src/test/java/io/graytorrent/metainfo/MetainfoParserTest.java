package io.graytorrent.metainfo;

import static io.graytorrent.metainfo.Torrents.file;
import static io.graytorrent.metainfo.Torrents.multiFileInfo;
import static io.graytorrent.metainfo.Torrents.singleFileInfo;
import static io.graytorrent.metainfo.Torrents.torrent;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.bencode.BencodeEncoder;
import io.graytorrent.testkit.Unit;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

@Unit
class MetainfoParserTest {
    private final MetainfoParser parser = new MetainfoParser();

    @Test
    void singleFileTorrentGivesOneFileNamedAfterTheTorrent() throws Exception {
        Map<String, Object> info = singleFileInfo("movie.mkv", 40_000);
        Metainfo meta = parser.parse(torrent(info, "announce", "http://t.example/announce"));

        assertEquals("movie.mkv", meta.name());
        assertFalse(meta.multiFile());
        assertEquals(List.of(new FileEntry(List.of("movie.mkv"), 40_000, 0, "")), meta.files());
        assertEquals(16 * 1024, meta.pieceLength());
        assertEquals(3, meta.pieceCount());
        assertEquals(40_000 - 2 * 16 * 1024, meta.pieceLength(2));
        assertEquals(40_000, meta.totalLength());
    }

    @Test
    void infoHashIsTheSha1OfTheInfoDictionaryBytes() throws Exception {
        byte[] infoBytes = BencodeEncoder.encode(singleFileInfo("a", 5));
        byte[] torrent = torrent(singleFileInfo("a", 5), "comment", "x");
        Metainfo meta = parser.parse(torrent);

        assertArrayEquals(infoBytes, meta.info());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(infoBytes)),
                meta.infoHash().toHex());
    }

    @Test
    void multiFileTorrentKeepsFileOrderAndOffsets() throws Exception {
        Metainfo meta = parser.parse(torrent(multiFileInfo("album", List.of(
                file(100, "cd1", "01.flac"), file(0, "empty.txt"), file(20_000, "cd2", "01.flac")))));

        assertTrue(meta.multiFile());
        assertEquals(List.of(
                new FileEntry(List.of("cd1", "01.flac"), 100, 0, ""),
                new FileEntry(List.of("empty.txt"), 0, 100, ""),
                new FileEntry(List.of("cd2", "01.flac"), 20_000, 100, "")), meta.files());
        assertEquals(20_100, meta.totalLength());
        assertEquals(2, meta.pieceCount());
    }

    @Test
    void announceAloneIsOneTier() throws Exception {
        Metainfo meta = parser.parse(torrent(singleFileInfo("a", 1), "announce", "udp://t.example:80"));
        assertEquals(List.of(List.of("udp://t.example:80")), meta.trackerTiers());
    }

    @Test
    void announceListWinsAndKeepsTierOrder() throws Exception {
        Metainfo meta = parser.parse(torrent(singleFileInfo("a", 1),
                "announce", "http://ignored.example/a",
                "announce-list", List.of(List.of("http://t1/a", "http://t2/a"), List.of(), List.of("udp://b1:1"))));
        assertEquals(List.of(List.of("http://t1/a", "http://t2/a"), List.of("udp://b1:1")), meta.trackerTiers());
        assertEquals(List.of("http://t1/a", "http://t2/a", "udp://b1:1"), meta.trackers());
    }

    @Test
    void emptyAnnounceListFallsBackToAnnounce() throws Exception {
        Metainfo meta = parser.parse(torrent(singleFileInfo("a", 1),
                "announce", "http://t/a", "announce-list", List.of(List.of(""))));
        assertEquals(List.of(List.of("http://t/a")), meta.trackerTiers());
    }

    @Test
    void noTrackersIsAllowed() throws Exception {
        assertEquals(List.of(), parser.parse(torrent(singleFileInfo("a", 1))).trackerTiers());
    }

    @Test
    void urlListAsOneString() throws Exception {
        Metainfo meta = parser.parse(torrent(singleFileInfo("a", 1), "url-list", "http://seed.example/a"));
        assertEquals(List.of("http://seed.example/a"), meta.webSeeds());
    }

    @Test
    void urlListAsAListSkippingWhatIsNotAUrl() throws Exception {
        Metainfo meta = parser.parse(torrent(singleFileInfo("a", 1),
                "url-list", List.of("http://s1/", "", 7, "ftp://s2/")));
        assertEquals(List.of("http://s1/", "ftp://s2/"), meta.webSeeds());
    }

    @Test
    void httpSeedsAsAListSkippingBadEntriesAndDuplicates() throws Exception {
        ParsedTorrent parsed = parser.read(torrent(singleFileInfo("a", 1), "httpseeds", List.of(
                "http://h1.example/seed.php", "", 7, "ftp://h2.example/", "no scheme", "https://h3.example:8443/s?x=1",
                "http://h1.example/seed.php", "http://h4.example/" + "x".repeat(MetainfoParser.MAX_HTTP_SEED_URL),
                List.of("http://nested.example/"), "http://frag.example/#f", "http:///nohost")));
        List<String> expected = List.of("http://h1.example/seed.php", "https://h3.example:8443/s?x=1");
        assertEquals(expected, parsed.httpSeeds());
        assertEquals(expected, MetainfoParser.downloadView(parsed).httpSeeds());
        assertEquals(List.of(), parsed.webSeeds(), "httpseeds are not url-list");
    }

    @Test
    void httpSeedsAsOneStringAndAbsent() throws Exception {
        Metainfo one = parser.parse(torrent(singleFileInfo("a", 1), "httpseeds", "http://h.example/s"));
        assertEquals(List.of("http://h.example/s"), one.httpSeeds());
        assertEquals(List.of(), parser.parse(torrent(singleFileInfo("a", 1))).httpSeeds());
        assertEquals(List.of(), parser.parse(torrent(singleFileInfo("a", 1), "httpseeds", 12)).httpSeeds());
    }

    @Test
    void httpSeedsAreBoundedInNumber() throws Exception {
        List<Object> many = new java.util.ArrayList<>();
        for (int i = 0; i < MetainfoParser.MAX_HTTP_SEEDS + 10; i++) {
            many.add("http://h" + i + ".example/");
        }
        List<String> seeds = parser.parse(torrent(singleFileInfo("a", 1), "httpseeds", many)).httpSeeds();
        assertEquals(MetainfoParser.MAX_HTTP_SEEDS, seeds.size());
        assertEquals("http://h0.example/", seeds.get(0));
        assertEquals("http://h" + (MetainfoParser.MAX_HTTP_SEEDS - 1) + ".example/", seeds.get(seeds.size() - 1));
    }

    @Test
    void privateFlag() throws Exception {
        Map<String, Object> info = singleFileInfo("a", 1);
        assertFalse(parser.parse(torrent(info)).isPrivate());
        info.put("private", 1);
        assertTrue(parser.parse(torrent(info)).isPrivate());
        info.put("private", 0);
        assertFalse(parser.parse(torrent(info)).isPrivate());
    }

    @Test
    void optionalTopLevelFields() throws Exception {
        Metainfo meta = parser.parse(torrent(singleFileInfo("a", 1),
                "creation date", 1_700_000_000L, "created by", "mktorrent 1.1", "comment", "hello"));
        assertEquals(Optional.of(Instant.ofEpochSecond(1_700_000_000L)), meta.creationDate());
        assertEquals(Optional.of("mktorrent 1.1"), meta.createdBy());
        assertEquals(Optional.of("hello"), meta.comment());

        Metainfo bare = parser.parse(torrent(singleFileInfo("a", 1), "creation date", Long.MAX_VALUE));
        assertEquals(Optional.empty(), bare.creationDate());
        assertEquals(Optional.empty(), bare.comment());
    }

    @Test
    void padFilesAndAttributes() throws Exception {
        Map<String, Object> pad = file(16_383, ".pad", "16383");
        pad.put("attr", "p");
        Map<String, Object> tool = file(1, "bin", "tool");
        tool.put("attr", "xh");
        Map<String, Object> link = Map.of("length", 0, "path", List.of("link"), "attr", "l",
                "symlink path", List.of("bin", "tool"));
        Metainfo meta = parser.parse(torrent(multiFileInfo("t", List.of(file(1, "a"), pad, tool, link))));

        assertTrue(meta.files().get(1).isPadding());
        assertFalse(meta.files().get(0).isPadding());
        assertEquals("xh", meta.files().get(2).attributes());
        assertEquals(16_384, meta.files().get(2).offset());
        assertEquals(new FileEntry(List.of("link"), 0, 16_385, "l"), meta.files().get(3));
    }

    @Test
    void padFilesMayShareAPathAndOmitIt() throws Exception {
        Map<String, Object> pad1 = file(16_383, ".pad", "16383");
        pad1.put("attr", "p");
        Map<String, Object> pad2 = Map.of("length", 16_383, "attr", "p");
        Metainfo meta = parser.parse(torrent(multiFileInfo("t", List.of(
                file(1, "a"), pad1, file(1, "b"), pad2, file(1, "c")))));
        assertEquals(List.of(".pad", "16383"), meta.files().get(3).path());
    }

    @Test
    void symlinkMayOmitItsLength() throws Exception {
        Map<String, Object> link = Map.of("path", List.of("link"), "attr", "l");
        Map<String, Object> info = multiFileInfo("t", List.of(file(5, "a")));
        info.put("files", List.of(file(5, "a"), link));
        Metainfo meta = parser.parse(torrent(info));
        assertEquals(new FileEntry(List.of("link"), 0, 5, "l"), meta.files().get(1));
        assertEquals(5, meta.totalLength());
    }

    @Test
    void utf8VariantsArePreferredWhenValid() throws Exception {
        Map<String, Object> f = file(3, "caf\u00e9-latin1");
        f.put("path", List.of("caf".getBytes(StandardCharsets.US_ASCII)));
        f.put("path.utf-8", List.of("caf\u00e9"));
        Map<String, Object> info = multiFileInfo("n", List.of(f));
        info.put("name.utf-8", "\u65e5\u672c");
        Metainfo meta = parser.parse(torrent(info, "comment", "plain", "comment.utf-8", "\u00fcber"));

        assertEquals("\u65e5\u672c", meta.name());
        assertEquals(List.of("caf\u00e9"), meta.files().get(0).path());
        assertEquals(Optional.of("\u00fcber"), meta.comment());
    }

    @Test
    void invalidUtf8VariantFallsBackToThePlainKey() throws Exception {
        Map<String, Object> f = file(3, "plain");
        f.put("path.utf-8", List.of(new byte[] {(byte) 0xff, 'x'}));
        Map<String, Object> info = multiFileInfo("n", List.of(f));
        info.put("name.utf-8", new byte[] {(byte) 0xc3});
        Metainfo meta = parser.parse(torrent(info));

        assertEquals("n", meta.name());
        assertEquals(List.of("plain"), meta.files().get(0).path());
    }

    /** A pieces root for a file of one piece: nothing in the torrent can check it against data. */
    private static final byte[] ROOT = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    @Test
    void hybridTorrentIsReadThroughItsV1Part() throws Exception {
        Map<String, Object> info = singleFileInfo("a", 10);
        info.put("meta version", 2);
        info.put("file tree", Map.of("a", Map.of("", Map.of("length", 10, "pieces root", ROOT))));
        assertEquals(10, parser.parse(torrent(info)).totalLength());
    }

    @Test
    void v2OnlyTorrentIsReadAndDownloadsAsItsV2Layout() throws Exception {
        Map<String, Object> info = Map.of("name", "a", "piece length", 16384, "meta version", 2,
                "file tree", Map.of("a", Map.of("", Map.of("length", 10, "pieces root", ROOT))));
        assertEquals("v2", parser.read(torrent(info)).kind());
        Metainfo download = parser.parse(torrent(info));
        assertEquals(1, download.pieceCount());
        assertEquals(10, download.pieceLength(0));
        assertEquals(0, download.pieceHashes().length);
    }

    @Test
    void keysOutsideInfoMayBeUnsorted() throws Exception {
        String info = new String(BencodeEncoder.encode(singleFileInfo("a", 1)), StandardCharsets.ISO_8859_1);
        byte[] torrent = ("d7:comment1:x4:info" + info + "8:announce3:urle").getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(List.of(List.of("url")), parser.parse(torrent).trackerTiers());
    }

    @Test
    void pieceLengthNeedNotBeAPowerOfTwoAsLibtorrentAccepts() throws Exception {
        Map<String, Object> info = singleFileInfo("a", 100_000);
        info.put("piece length", 1000);
        info.put("pieces", Torrents.hashesFor(100_000, 1000));
        assertEquals(100, parser.parse(torrent(info)).pieceCount());
    }

    @Test
    void largeTorrentsUseLongLengths() throws Exception {
        long total = 5L << 30;
        Map<String, Object> info = singleFileInfo("big", total);
        info.put("piece length", 4 << 20);
        info.put("pieces", Torrents.hashesFor(total, 4 << 20));
        Metainfo meta = parser.parse(torrent(info));
        assertEquals(total, meta.totalLength());
        assertEquals(1280, meta.pieceCount());
    }

    @Test
    void nonCanonicalInfoIsReadAndNamedByTheHashOfItsBytesAsReceived() throws Exception {
        String hashes = "20:" + "x".repeat(20);
        // keys out of order, and "length" twice: the first counts, as in libtorrent
        String info = "d4:name1:a6:lengthi1e12:piece lengthi16384e6:lengthi999e6:pieces" + hashes + "e";
        byte[] torrent = Torrents.torrentWithRawInfo(info);
        Metainfo meta = parser.parse(torrent);

        assertEquals(1, meta.totalLength());
        byte[] sha1 = MessageDigest.getInstance("SHA-1").digest(info.getBytes(StandardCharsets.ISO_8859_1));
        assertArrayEquals(sha1, meta.infoHash().toBytes());
        assertArrayEquals(info.getBytes(StandardCharsets.ISO_8859_1), meta.info());
    }

    @Test
    void whitespaceAfterTheTorrentIsTolerated() throws Exception {
        byte[] torrent = torrent(singleFileInfo("a", 1));
        byte[] padded = Arrays.copyOf(torrent, torrent.length + 4);
        System.arraycopy(" \r\n\t".getBytes(StandardCharsets.US_ASCII), 0, padded, torrent.length, 4);
        assertEquals(parser.parse(torrent).infoHash(), parser.parse(padded).infoHash());
    }

    @Test
    void piecesUpTo512MiBAreAcceptedAsLibtorrentDoes() throws Exception {
        Map<String, Object> info = singleFileInfo("a", 1L << 30);
        info.put("piece length", 512 << 20);
        info.put("pieces", Torrents.hashesFor(1L << 30, 512 << 20));
        assertEquals(2, parser.parse(torrent(info)).pieceCount());
        info.put("piece length", (512 << 20) + 1);
        MetainfoException e = assertThrows(MetainfoException.class, () -> parser.parse(torrent(info)));
        assertEquals("piece length 536870913 is outside 1..536870912", e.getMessage());
    }
}
