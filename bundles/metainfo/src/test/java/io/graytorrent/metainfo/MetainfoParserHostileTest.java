package io.graytorrent.metainfo;

import static io.graytorrent.metainfo.Torrents.file;
import static io.graytorrent.metainfo.Torrents.multiFileInfo;
import static io.graytorrent.metainfo.Torrents.singleFileInfo;
import static io.graytorrent.metainfo.Torrents.torrent;
import static io.graytorrent.metainfo.Torrents.torrentWithRawInfo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.graytorrent.bencode.BencodeLimits;
import io.graytorrent.testkit.Unit;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad and hostile .torrent files: each must give a MetainfoException, never another exception. */
@Unit
class MetainfoParserHostileTest {
    private final MetainfoParser parser = new MetainfoParser();

    @TempDir
    Path dir;

    private String rejected(byte[] torrent) {
        try {
            parser.parse(torrent);
        } catch (MetainfoException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().contains("\n"), "one-line message: " + e.getMessage());
            return e.getMessage();
        } catch (RuntimeException e) {
            throw new AssertionError("expected a MetainfoException, got " + e, e);
        }
        return fail("accepted a bad torrent");
    }

    private String rejectedInfo(Consumer<Map<String, Object>> breakInfo) {
        Map<String, Object> info = singleFileInfo("a", 40_000);
        breakInfo.accept(info);
        return rejected(torrent(info));
    }

    /** A torrent made by our creator, with every optional part, to cut and flip. */
    private byte[] realTorrent() throws Exception {
        Path root = Files.createDirectories(dir.resolve("album"));
        Files.write(Files.createDirectories(root.resolve("cd1")).resolve("01.flac"), new byte[20_000]);
        Files.writeString(root.resolve("notes.txt"), "liner notes");
        return TorrentCreator.forPath(root).tracker("http://t1.example/announce").tracker("udp://t2.example:6969")
                .webSeed("http://seed.example/").comment("c").privateTorrent(true).create();
    }

    @Test
    void truncationAtEveryByteIsRefused() throws Exception {
        byte[] torrent = realTorrent();
        parser.parse(torrent);
        for (int length = 0; length < torrent.length; length++) {
            rejected(Arrays.copyOf(torrent, length));
        }
    }

    @Test
    void flippedBytesNeverEscapeAsAnotherException() throws Exception {
        byte[] torrent = realTorrent();
        Random random = new Random(42);
        for (int i = 0; i < torrent.length; i++) {
            for (byte replacement : new byte[] {'0', '9', 'e', 'd', 'l', 'i', ':', '-', (byte) random.nextInt(256)}) {
                byte[] mutated = torrent.clone();
                mutated[i] = replacement;
                try {
                    parser.parse(mutated);
                } catch (MetainfoException expected) {
                    // refused: fine; accepted is fine too when the flip kept it valid (a hash byte)
                }
            }
        }
    }

    @Test
    void notATorrent() {
        assertTrue(rejected(new byte[0]).startsWith("not a valid torrent file"));
        assertTrue(rejected("i42e".getBytes(StandardCharsets.US_ASCII)).contains("not a dictionary"));
        assertEquals("missing 'info'", rejected("de".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("'info' is not a dictionary", rejected("d4:infoi1ee".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void missingOrIllTypedInfoFields() {
        assertEquals("missing 'info.name'", rejectedInfo(info -> info.remove("name")));
        assertEquals("'info.name' is not a string", rejectedInfo(info -> info.put("name", 5)));
        assertEquals("missing 'info.piece length'", rejectedInfo(info -> info.remove("piece length")));
        assertEquals("'info.piece length' is not an integer", rejectedInfo(info -> info.put("piece length", "16")));
        assertEquals("missing 'info.pieces'", rejectedInfo(info -> info.remove("pieces")));
        assertEquals("missing 'info.length'", rejectedInfo(info -> info.remove("length")));
        assertEquals("'info.files' is not a list", rejectedInfo(info -> info.put("files", "x")));
    }

    @Test
    void badLengths() {
        assertTrue(rejectedInfo(info -> info.put("length", -1)).contains("negative"));
        assertTrue(rejectedInfo(info -> info.put("piece length", 0)).contains("piece length 0"));
        assertTrue(rejectedInfo(info -> info.put("piece length", -16384)).contains("piece length -16384"));
        assertTrue(rejectedInfo(info -> info.put("piece length", 1L << 31)).contains("outside"));
        assertTrue(rejectedInfo(info -> info.put("pieces", new byte[59])).contains("not a multiple of 20"));
        assertTrue(rejectedInfo(info -> info.put("pieces", new byte[40])).contains("holds 2 hashes"));
        assertTrue(rejectedInfo(info -> info.put("pieces", new byte[80])).contains("need 3"));
        assertTrue(rejectedInfo(info -> info.put("length", 0)).contains("no data"));
    }

    @Test
    void hugeLengthClaims() {
        // a 1 TiB file with the hashes of a 40 KB one: the piece count cannot match
        assertTrue(rejectedInfo(info -> info.put("length", 1L << 40)).contains("need 67108864"));
        Map<String, Object> info = multiFileInfo("t", List.of(file(1, "a")));
        info.put("files", List.of(file(Long.MAX_VALUE / 2 + 1, "a"), file(Long.MAX_VALUE / 2 + 1, "b")));
        assertTrue(rejected(torrent(info)).contains("does not fit"));
        // a string that claims more bytes than the input holds
        assertTrue(rejected("d4:infod4:name99999999999:".getBytes(StandardCharsets.US_ASCII))
                .startsWith("not a valid torrent file"));
    }

    @Test
    void depthBombsAndOversizedInputStopAtTheLimits() {
        byte[] bomb = ("d4:info" + "l".repeat(100_000)).getBytes(StandardCharsets.US_ASCII);
        assertTrue(rejected(bomb).contains("nesting deeper"));
        MetainfoParser small = new MetainfoParser(new BencodeLimits(64, 8, 64, 100));
        MetainfoException e = assertThrows(MetainfoException.class, () -> small.parse(torrent(singleFileInfo("a", 1))));
        assertTrue(e.getMessage().contains("exceeds the limit"), e.getMessage());
    }

    @Test
    void badFileEntries() {
        Map<String, Object> info = multiFileInfo("t", List.of(file(1, "a")));
        info.put("files", List.of());
        assertEquals("'info.files' is empty", rejected(torrent(info)));
        info.put("files", List.of(file(1, "a"), 7));
        assertEquals("'info.files[1]' is not a dictionary", rejected(torrent(info)));
        info.put("files", List.of(Map.of("length", 1, "path", "a")));
        assertEquals("'info.files[0].path' is not a list", rejected(torrent(info)));
        info.put("files", List.of(Map.of("length", 1, "path", List.of("a", 3))));
        assertTrue(rejected(torrent(info)).contains("not a string"));
        info.put("files", List.of(Map.of("length", 1, "path", List.of())));
        assertEquals("no file of the torrent has a usable path (each is empty, '.' or '..')", rejected(torrent(info)));
        info.put("files", List.of(Map.of("path", List.of("a"))));
        assertEquals("missing 'info.files[0].length'", rejected(torrent(info)));
    }

    @Test
    void pathDepthIsBounded() {
        String[] deep = Collections.nCopies(300, "d").toArray(String[]::new);
        assertTrue(rejected(torrent(multiFileInfo("t", List.of(file(1, deep))))).contains("deeper than 256"));
    }

    @Test
    void leadingZerosInInfoAreRefused() {
        String leadingZero = "d6:lengthi01e4:name1:a12:piece lengthi16384e6:pieces20:" + "x".repeat(20) + "e";
        assertTrue(rejected(torrentWithRawInfo(leadingZero)).contains("leading zero"));
    }

    @Test
    void bytesOtherThanWhitespaceAfterTheTorrentAreRefused() {
        byte[] torrent = torrent(singleFileInfo("a", 1));
        byte[] trailing = Arrays.copyOf(torrent, torrent.length + 2);
        trailing[torrent.length] = '\n';
        trailing[torrent.length + 1] = 'x';
        assertEquals("not a valid torrent file: trailing data after the torrent at offset " + (torrent.length + 1),
                rejected(trailing));
    }

    @Test
    void aTorrentWhoseFilesAllSanitiseToNothingIsRefused() {
        Map<String, Object> info = multiFileInfo("t", List.of(file(1, ".."), file(1, ".", ""), file(1, "", "..")));
        assertEquals("no file of the torrent has a usable path (each is empty, '.' or '..')", rejected(torrent(info)));
        assertEquals("the single file's name '..' is not a usable file name", rejected(torrent(singleFileInfo("..", 1))));
    }
}
