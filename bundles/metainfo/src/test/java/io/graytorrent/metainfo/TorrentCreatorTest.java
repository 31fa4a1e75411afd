package io.graytorrent.metainfo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.testkit.Unit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Unit
class TorrentCreatorTest {
    private static final int PIECE = 16 * 1024;
    private final MetainfoParser parser = new MetainfoParser();

    @TempDir
    Path dir;

    private Path write(String relative, int size) throws IOException {
        return Torrents.writeFile(dir, relative, size);
    }

    /** The v1 piece hashes of these files laid end to end, computed the plain way. */
    private static byte[] expectedHashes(List<Path> files, int pieceLength) throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (Path file : files) {
            all.write(Files.readAllBytes(file));
        }
        byte[] data = all.toByteArray();
        ByteArrayOutputStream hashes = new ByteArrayOutputStream();
        for (int start = 0; start < data.length; start += pieceLength) {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(data, start, Math.min(pieceLength, data.length - start));
            hashes.write(sha1.digest());
        }
        return hashes.toByteArray();
    }

    @Test
    void multiFileRoundTrip() throws Exception {
        Path b = write("album/b.bin", 50_000);
        Path empty = write("album/cd1/empty", 0);
        Path a = write("album/cd1/a.bin", 3 * PIECE + 1);
        Metainfo meta = parser.parse(TorrentCreator.forPath(dir.resolve("album")).pieceLength(PIECE).create());

        assertTrue(meta.multiFile());
        assertEquals("album", meta.name());
        assertEquals(List.of(
                new FileEntry(List.of("b.bin"), 50_000, 0, ""),
                new FileEntry(List.of("cd1", "a.bin"), 3 * PIECE + 1, 50_000, ""),
                new FileEntry(List.of("cd1", "empty"), 0, 50_000 + 3 * PIECE + 1, "")), meta.files());
        assertEquals(PIECE, meta.pieceLength());
        assertArrayEquals(expectedHashes(List.of(b, a, empty), PIECE), meta.pieceHashes());
    }

    @Test
    void singleFileRoundTrip() throws Exception {
        Path file = write("movie.mkv", 100_000);
        Metainfo meta = parser.parse(TorrentCreator.forPath(file).create());

        assertFalse(meta.multiFile());
        assertEquals(List.of(new FileEntry(List.of("movie.mkv"), 100_000, 0, "")), meta.files());
        assertEquals(PIECE, meta.pieceLength(), "auto piece length for a small file");
        assertArrayEquals(expectedHashes(List.of(file), PIECE), meta.pieceHashes());
    }

    @Test
    void filesAreOrderedComponentByComponentAsBytes() throws Exception {
        for (String name : List.of("a0", "a.b", "a-b", "a/b", "B", "\u00e9", "Z")) {
            write("t/" + name, 1);
        }
        List<String> order = parser.parse(TorrentCreator.forPath(dir.resolve("t")).create()).files().stream()
                .map(FileEntry::displayPath).toList();
        assertEquals(List.of("B", "Z", "a/b", "a-b", "a.b", "a0", "\u00e9"), order);
    }

    @Test
    void hiddenFilesAreIncludedAndSymlinksSkipped() throws Exception {
        Path target = write("outside/secret", 10);
        write("t/.hidden", 3);
        write("t/visible", 4);
        Files.createSymbolicLink(dir.resolve("t/file-link"), target);
        Files.createSymbolicLink(dir.resolve("t/dir-link"), dir.resolve("outside"));
        List<String> paths = parser.parse(TorrentCreator.forPath(dir.resolve("t")).create()).files().stream()
                .map(FileEntry::displayPath).toList();
        assertEquals(List.of(".hidden", "visible"), paths);
    }

    @Test
    void everyOptionLandsInTheTorrent() throws Exception {
        write("t/f", 1);
        Instant when = Instant.ofEpochSecond(1_700_000_000L);
        Metainfo meta = parser.parse(TorrentCreator.forPath(dir.resolve("t"))
                .tracker("http://t1/announce").tracker("udp://t2:6969").webSeed("http://s1/").webSeed("http://s2/")
                .privateTorrent(true).comment("hello").createdBy("me/1").creationDate(when).create());

        assertEquals(List.of(List.of("http://t1/announce"), List.of("udp://t2:6969")), meta.trackerTiers());
        assertEquals(List.of("http://s1/", "http://s2/"), meta.webSeeds());
        assertTrue(meta.isPrivate());
        assertEquals(Optional.of("hello"), meta.comment());
        assertEquals(Optional.of("me/1"), meta.createdBy());
        assertEquals(Optional.of(when), meta.creationDate());
    }

    @Test
    void defaultsNameUsAndTheTimeOfCreation() throws Exception {
        write("t/f", 1);
        Instant before = Instant.now().minusSeconds(1);
        Metainfo meta = parser.parse(TorrentCreator.forPath(dir.resolve("t")).webSeed("http://only/").create());

        assertEquals(Optional.of("graytorrent/0.1.0-SNAPSHOT"), meta.createdBy());
        assertTrue(meta.creationDate().orElseThrow().isAfter(before));
        assertEquals(List.of("http://only/"), meta.webSeeds());
        assertFalse(meta.isPrivate());
        assertEquals(List.of(), meta.trackerTiers());
    }

    @Test
    void sameInputGivesTheSameTorrent() throws Exception {
        write("t/x", 70_000);
        write("t/y/z", 5);
        TorrentCreator creator = TorrentCreator.forPath(dir.resolve("t")).creationDate(Instant.EPOCH);
        assertArrayEquals(creator.create(), creator.create());
    }

    @Test
    void progressCountsUpToTheTotal() throws Exception {
        write("t/a", 5 * PIECE + 7);
        write("t/b", PIECE);
        List<long[]> calls = new ArrayList<>();
        TorrentCreator.forPath(dir.resolve("t")).pieceLength(PIECE)
                .progress((done, total) -> calls.add(new long[] {done, total})).create();

        assertEquals(7, calls.size(), "one call per piece");
        for (int i = 0; i < calls.size(); i++) {
            assertEquals(6 * PIECE + 7, calls.get(i)[1]);
            assertEquals(Math.min((i + 1L) * PIECE, 6 * PIECE + 7), calls.get(i)[0]);
        }
    }

    @Test
    void nothingToShareIsRefused() throws Exception {
        Files.createDirectories(dir.resolve("empty"));
        IOException e = assertThrows(IOException.class, () -> TorrentCreator.forPath(dir.resolve("empty")).create());
        assertTrue(e.getMessage().startsWith("nothing to share"), e.getMessage());
        write("zeros/a", 0);
        assertThrows(IOException.class, () -> TorrentCreator.forPath(dir.resolve("zeros")).create());
        assertThrows(NoSuchFileException.class, () -> TorrentCreator.forPath(dir.resolve("missing")).create());
    }

    @Test
    void fileNamesOtherClientsCouldNotWriteSafelyAreRefused() throws Exception {
        write("t/ok", 1);
        write("t/sub/CON.txt", 1);
        IOException e = assertThrows(IOException.class, () -> TorrentCreator.forPath(dir.resolve("t")).create());
        assertTrue(e.getMessage().endsWith("readers would change its path 'sub/CON.txt' to 'sub/CON_.txt'"), e.getMessage());
    }

    @Test
    void badArgumentsAreRefusedAtOnce() {
        TorrentCreator creator = TorrentCreator.forPath(dir);
        assertThrows(IllegalArgumentException.class, () -> creator.pieceLength(1000));
        assertThrows(IllegalArgumentException.class, () -> creator.pieceLength(8 * 1024));
        assertThrows(IllegalArgumentException.class, () -> creator.pieceLength(-PIECE));
        assertThrows(IllegalArgumentException.class, () -> creator.pieceLength(1 << 30));
        assertThrows(IllegalArgumentException.class, () -> creator.tracker(" "));
        assertThrows(IllegalArgumentException.class, () -> creator.webSeed(null));
        assertThrows(IllegalArgumentException.class, () -> creator.creationDate(Instant.ofEpochSecond(-1)));
        assertThrows(IllegalArgumentException.class, () -> creator.progress(null));
        creator.pieceLength(0).pieceLength(4 << 20);
    }

    @Test
    void tooManyPiecesIsRefusedBeforeReadingAnything() throws Exception {
        Path sparse = dir.resolve("sparse.img");
        try (RandomAccessFile file = new RandomAccessFile(sparse.toFile(), "rw")) {
            file.setLength(40L << 30); // 40 GiB of holes: nothing is read before the check
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TorrentCreator.forPath(sparse).pieceLength(PIECE).create());
        assertTrue(e.getMessage().contains("too small"), e.getMessage());
    }

    @Test
    void v2AndHybridTorrentsCarryEachFilesMerkleRootAndPieceLayer() throws Exception {
        int[] sizes = {0, 5, 2 * PIECE, 2 * PIECE + 1, 7 * PIECE / 2};
        for (int i = 0; i < sizes.length; i++) {
            write("t/f" + i, sizes[i]);
        }
        for (TorrentCreator.Format format : List.of(TorrentCreator.Format.V2, TorrentCreator.Format.HYBRID)) {
            ParsedTorrent read = parser.read(TorrentCreator.forPath(dir.resolve("t")).pieceLength(2 * PIECE)
                    .format(format).create());
            assertEquals(format == TorrentCreator.Format.HYBRID, read.isHybrid(), format.toString());
            List<V2File> files = read.v2().orElseThrow().files();
            for (int i = 0; i < sizes.length; i++) {
                // the whole file's leaves, folded here in one go, as a check on the piece-by-piece hasher
                byte[] data = Files.readAllBytes(dir.resolve("t/f" + i));
                byte[] leaves = MerkleTree.leaves(data, 0, data.length);
                byte[] root = data.length == 0 ? new byte[0] : MerkleTree.root(leaves, 0);
                byte[] layer = data.length > 2 * PIECE ? MerkleTree.layer(leaves, 0, 1) : new byte[0];
                assertArrayEquals(root, files.get(i).piecesRoot(), format + " root of f" + i);
                assertArrayEquals(layer, files.get(i).pieceLayer(), format + " layer of f" + i);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> TorrentCreator.forPath(dir).format(null));
    }
}
