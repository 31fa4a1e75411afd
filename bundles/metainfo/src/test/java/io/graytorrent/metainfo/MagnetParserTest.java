package io.graytorrent.metainfo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.InfoHash;
import io.graytorrent.testkit.Unit;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Unit
class MagnetParserTest {
    private static final String HEX = "c12fe1c06bba254a9dc9f519b335aa7c1367a88a";
    /** The same 20 bytes in base32. */
    private static final String BASE32 = "YEX6DQDLXISUVHOJ6UM3GNNKPQJWPKEK";
    private static final String LINK = "magnet:?xt=urn:btih:" + HEX;

    private final MagnetParser parser = new MagnetParser();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            40 hex                    | magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a
            40 hex, upper case        | magnet:?xt=urn:btih:C12FE1C06BBA254A9DC9F519B335AA7C1367A88A
            32 base32                 | magnet:?xt=urn:btih:YEX6DQDLXISUVHOJ6UM3GNNKPQJWPKEK
            32 base32, lower case     | magnet:?xt=urn:btih:yex6dqdlxisuvhoj6um3gnnkpqjwpkek
            scheme and urn in capitals | MAGNET:?xt=URN:BTIH:c12fe1c06bba254a9dc9f519b335aa7c1367a88a
            other network's xt beside | magnet:?xt=urn:sha1:abcd&xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a
            same btih twice           | magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&xt=urn:btih:YEX6DQDLXISUVHOJ6UM3GNNKPQJWPKEK
            unknown parameters        | magnet:?foo=bar&xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&xl=123&flag&&kt=a+b
            surrounding whitespace    | '  magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a  '
            """)
    void readsTheInfohash(String why, String link) throws MagnetException {
        MagnetLink magnet = parser.parse(link);
        assertEquals(HEX, magnet.infoHash().toHex());
        assertEquals(Optional.empty(), magnet.displayName());
        assertEquals(HEX, magnet.name(), "the hex stands for the name until the metadata arrives");
        assertEquals(List.of(), magnet.trackerTiers());
        assertTrue(magnet.selectsFile(12345), "no so= selects every file");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            plus is a space         | dn=Ubuntu+22.04+ISO            | Ubuntu 22.04 ISO
            %20 is a space          | dn=Ubuntu%2022.04%20ISO        | Ubuntu 22.04 ISO
            escaped plus and amp    | dn=a%2Bb%26c%3Dd               | a+b&c=d
            UTF-8 escapes           | dn=%C3%A9t%C3%A9%20%E2%9C%93   | été ✓
            raw non-ASCII           | dn=été                         | été
            lower-case hex digits   | dn=%c3%a9                      | é
            """)
    void percentDecodesTheDisplayName(String why, String parameter, String expected) throws MagnetException {
        MagnetLink magnet = parser.parse(LINK + "&" + parameter);
        assertEquals(Optional.of(expected), magnet.displayName());
        assertEquals(expected, magnet.name());
    }

    @Test
    void aHybridLinkGivesBothInfohashes() throws MagnetException {
        String v2 = "c12fe1c06bba254a9dc9f519b335aa7c1367a88ac12fe1c06bba254a9dc9f519";
        MagnetLink magnet = parser.parse("magnet:?xt=urn:btmh:1220" + v2.toUpperCase(Locale.ROOT)
                + "&xt=urn:btih:" + HEX + "&xt=urn:btmh:1220" + v2);
        assertEquals(HEX, magnet.infoHash().toHex());
        assertEquals(v2, magnet.infoHashV2().orElseThrow().toHex());
        assertEquals(Optional.empty(), parser.parse(LINK).infoHashV2());
    }

    @Test
    void aLinkWithOnlyBtmhIsV2OnlyAndKnownOnTheWireByTheTruncatedHash() throws MagnetException {
        String v2 = "6a1259ca5ca00680e4d4e9b6c9ac3e6ad4c2b8b0f0a1c2d3e4f5061728394a5b";
        MagnetLink magnet = parser.parse("magnet:?xt=urn:btmh:1220" + v2 + "&dn=v2+only");
        assertTrue(magnet.isV2Only());
        assertEquals(v2, magnet.infoHashV2().orElseThrow().toHex());
        assertEquals(v2.substring(0, 40), magnet.infoHash().toHex(), "the first 20 bytes, as BEP 52 puts on the wire");
        assertEquals("v2 only", magnet.name());
        assertFalse(parser.parse("magnet:?xt=urn:btih:" + HEX + "&xt=urn:btmh:1220" + v2).isV2Only(), "a hybrid");
        assertFalse(parser.parse(LINK).isV2Only());
    }

    @Test
    void fetchedMetadataMustMatchEveryInfohashTheLinkNames() throws Exception {
        byte[] info = "d6:lengthi1e4:name1:a12:piece lengthi16384eee".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        String sha1 = InfoHash.of(io.graytorrent.api.util.Sha1.of(info)).toHex();
        String sha256 = java.util.HexFormat.of().formatHex(MerkleTree.sha256().digest(info));
        String otherSha1 = "00".repeat(20);
        String otherSha256 = "00".repeat(32);
        assertTrue(parser.parse("magnet:?xt=urn:btih:" + sha1).matches(info), "v1");
        assertTrue(parser.parse("magnet:?xt=urn:btmh:1220" + sha256).matches(info), "v2 only");
        assertTrue(parser.parse("magnet:?xt=urn:btih:" + sha1 + "&xt=urn:btmh:1220" + sha256).matches(info), "hybrid");
        assertFalse(parser.parse("magnet:?xt=urn:btih:" + otherSha1).matches(info));
        assertFalse(parser.parse("magnet:?xt=urn:btmh:1220" + otherSha256).matches(info));
        assertFalse(parser.parse("magnet:?xt=urn:btih:" + sha1 + "&xt=urn:btmh:1220" + otherSha256).matches(info),
                "a hybrid whose v2 hash does not match");
        assertFalse(parser.parse("magnet:?xt=urn:btih:" + otherSha1 + "&xt=urn:btmh:1220" + sha256).matches(info),
                "a hybrid whose v1 hash does not match");
        // a v2-only link is not matched by a dictionary whose SHA-1 happens to be the truncated hash's bytes
        assertFalse(parser.parse("magnet:?xt=urn:btmh:1220" + sha1 + "00".repeat(12)).matches(info));
    }

    @Test
    void eachPlainTrackerIsItsOwnTierAndIndexedOnesGroupByIndex() throws MagnetException {
        MagnetLink magnet = parser.parse(LINK + "&tr=http%3A%2F%2Fa.example%2Fannounce&tr=udp://b.example:6969"
                + "&tr.2=http://c2.example/a&tr.1=http://c1.example/a&tr.2=http://d2.example/a&tr=+");
        assertEquals(List.of(List.of("http://a.example/announce"), List.of("udp://b.example:6969"),
                List.of("http://c1.example/a"), List.of("http://c2.example/a", "http://d2.example/a")),
                magnet.trackerTiers());
    }

    @Test
    void readsPeersWebSeedsAndFileSelection() throws MagnetException {
        MagnetLink magnet = parser.parse(LINK + "&x.pe=127.0.0.1:6881&x.pe=%5B::1%5D:51413&x.pe=peer.example:1"
                + "&ws=http%3A%2F%2Fseed.example%2Ffiles%2F&so=0,2,4-6&so=9");
        assertEquals(List.of(InetSocketAddress.createUnresolved("127.0.0.1", 6881),
                InetSocketAddress.createUnresolved("::1", 51413), InetSocketAddress.createUnresolved("peer.example", 1)),
                magnet.peers());
        assertEquals(List.of("http://seed.example/files/"), magnet.webSeeds());
        assertEquals(List.of(new MagnetLink.FileRange(0, 0), new MagnetLink.FileRange(2, 2),
                new MagnetLink.FileRange(4, 6), new MagnetLink.FileRange(9, 9)), magnet.selectedFiles());
        for (int file = 0; file <= 10; file++) {
            assertEquals(List.of(0, 2, 4, 5, 6, 9).contains(file), magnet.selectsFile(file), "file " + file);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            not a magnet            | http://example.com/?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a | not a magnet link
            no question mark        | magnet:xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a             | not a magnet link
            no xt                   | magnet:?dn=x&tr=http://a/                                              | no xt=urn:btih:
            names are case-sensitive | magnet:?XT=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a          | no xt=urn:btih:
            btmh too short          | magnet:?xt=urn:btmh:1220c12fe1c06bba254a9dc9f519b335aa7c1367a88a&xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a | bad xt: urn:btmh: takes 1220
            btmh not SHA-256        | magnet:?xt=urn:btmh:1120c12fe1c06bba254a9dc9f519b335aa7c1367a88ac12fe1c06bba254a9dc9f519&xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a | bad xt: urn:btmh: takes 1220
            btmh not hex            | magnet:?xt=urn:btmh:1220z12fe1c06bba254a9dc9f519b335aa7c1367a88ac12fe1c06bba254a9dc9f519b3&xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a | bad xt: urn:btmh: takes 1220
            two v2 hashes           | magnet:?xt=urn:btmh:1220c12fe1c06bba254a9dc9f519b335aa7c1367a88ac12fe1c06bba254a9dc9f519&xt=urn:btmh:12200000000000000000000000000000000000000000000000000000000000000000&xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a | two different v2 infohashes
            other network only      | magnet:?xt=urn:sha1:abcd                                              | only BitTorrent magnet links
            short hash              | magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a8            | bad xt
            hash not hex            | magnet:?xt=urn:btih:z12fe1c06bba254a9dc9f519b335aa7c1367a88a          | bad xt
            base32 bad digit        | magnet:?xt=urn:btih:YEX6DQDLXISUVHOJ6UM3GNNKPQJWPKE1                  | bad xt
            two hashes              | magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&xt=urn:btih:0000000000000000000000000000000000000000 | two different infohashes
            truncated escape        | magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&dn=ab%4  | bad percent-encoding
            escape not hex          | magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&dn=%zz   | bad percent-encoding
            escape not UTF-8        | magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&dn=%C3%28 | not UTF-8
            peer without port       | magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&x.pe=127.0.0.1 | not host:port
            peer port zero          | magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&x.pe=h:0 | not host:port
            peer port too big       | magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&x.pe=h:65536 | not host:port
            IPv6 without brackets   | magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&x.pe=::1:80 | not host:port
            empty peer              | magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&x.pe=     | not host:port
            so backwards            | magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&so=6-4   | runs backwards
            so not a number         | magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&so=1,a   | not a list of file indexes
            so empty item           | magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&so=1,,2  | not a list of file indexes
            so negative             | magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&so=-1    | not a list of file indexes
            so index too big        | magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&so=1000000 | not a list of file indexes
            """)
    void refusesMalformedLinksWithAClearError(String why, String link, String message) {
        MagnetException e = assertThrows(MagnetException.class, () -> parser.parse(link));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void boundsLengthAndCounts() {
        String longName = "a".repeat(MagnetParser.MAX_LENGTH);
        assertTrue(assertThrows(MagnetException.class, () -> parser.parse(LINK + "&dn=" + longName))
                .getMessage().contains("exceeds the limit"));
        String manyTrackers = "&tr=http://t/".repeat(MagnetParser.MAX_ENTRIES + 1);
        assertTrue(assertThrows(MagnetException.class, () -> parser.parse(LINK + manyTrackers))
                .getMessage().contains("more than " + MagnetParser.MAX_ENTRIES + " tr trackers"));
        String manyPeers = "&x.pe=h:1".repeat(MagnetParser.MAX_ENTRIES + 1);
        assertThrows(MagnetException.class, () -> parser.parse(LINK + manyPeers));
        String manyRanges = "&so=" + "1,".repeat(MagnetParser.MAX_FILE_RANGES) + "1";
        assertTrue(assertThrows(MagnetException.class, () -> parser.parse(LINK + manyRanges))
                .getMessage().contains("more than " + MagnetParser.MAX_FILE_RANGES));
    }

    @Test
    void hexAndBase32NameTheSameTorrent() throws MagnetException {
        assertEquals(parser.parse(LINK).infoHash(), parser.parse("magnet:?xt=urn:btih:" + BASE32).infoHash());
        assertFalse(parser.parse(LINK).infoHash().equals(InfoHash.parse("00".repeat(20))));
    }

    @Test
    void aFetchedInfoDictionaryBecomesATorrentWithTheLinksTrackersAndWebSeeds(@TempDir Path dir) throws Exception {
        Path content = dir.resolve("data.bin");
        Files.write(content, new byte[100_000]);
        Metainfo original = new MetainfoParser().parse(TorrentCreator.forPath(content).pieceLength(16384).create());
        MagnetLink magnet = parser.parse("magnet:?xt=urn:btih:" + original.infoHash().toHex()
                + "&tr=http://a.example/announce&tr.1=udp://b.example:1&tr.1=udp://c.example:1&ws=http://w.example/");

        Metainfo rebuilt = new MetainfoParser().parse(magnet.toTorrentFile(original.info()));
        assertEquals(original.infoHash(), rebuilt.infoHash());
        assertArrayEquals(original.info(), rebuilt.info());
        assertEquals(List.of(List.of("http://a.example/announce"), List.of("udp://b.example:1", "udp://c.example:1")),
                rebuilt.trackerTiers());
        assertEquals(List.of("http://w.example/"), rebuilt.webSeeds());

        Metainfo bare = new MetainfoParser().parse(parser.parse(LINK).toTorrentFile(original.info()));
        assertEquals(List.of(), bare.trackerTiers());
        assertEquals(original.infoHash(), bare.infoHash());
    }
}
