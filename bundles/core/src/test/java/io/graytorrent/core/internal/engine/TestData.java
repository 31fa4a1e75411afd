package io.graytorrent.core.internal.engine;

import io.graytorrent.bencode.BDictionary;
import io.graytorrent.bencode.BString;
import io.graytorrent.bencode.BencodeDecoder;
import io.graytorrent.metainfo.TorrentCreator;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

/** Multi-file test torrents of random bytes, and what a resume record on disk says of them. */
public final class TestData {
    private TestData() {
    }

    /** Writes files of the given sizes into {@code parent/name} and returns the v1 .torrent of that directory. */
    public static byte[] multiFileTorrent(Path parent, String name, int pieceLength, long seed, long... sizes)
            throws IOException {
        Path root = parent.resolve(name);
        Files.createDirectories(root.resolve("sub"));
        Random random = new Random(seed);
        byte[] chunk = new byte[1 << 20];
        for (int i = 0; i < sizes.length; i++) {
            Path file = i % 2 == 0 ? root.resolve("file" + i + ".bin") : root.resolve("sub").resolve("file" + i + ".bin");
            try (OutputStream out = Files.newOutputStream(file)) {
                for (long left = sizes[i]; left > 0; left -= chunk.length) {
                    random.nextBytes(chunk);
                    out.write(chunk, 0, (int) Math.min(left, chunk.length));
                }
            }
        }
        return TorrentCreator.forPath(root).pieceLength(pieceLength).create();
    }

    /** Fails unless the two directory trees hold the same files with the same bytes. */
    public static void assertSameTree(Path expected, Path actual) throws IOException {
        try (var files = Files.walk(expected)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path other = actual.resolve(expected.relativize(file).toString());
                if (Files.mismatch(file, other) != -1) {
                    throw new AssertionError(other + " differs from " + file);
                }
            }
        }
    }

    /**
     * The bytes of the pieces the resume record in {@code state} holds as verified (a torrent of
     * {@code totalLength} in pieces of {@code pieceLength}); 0 before the first checkpoint.
     */
    static long checkpointedBytes(Path state, long totalLength, int pieceLength) throws IOException {
        Optional<Path> record;
        try (Stream<Path> files = Files.list(state)) {
            record = files.filter(file -> file.getFileName().toString().endsWith(".resume")).findFirst();
        }
        if (record.isEmpty()) {
            return 0;
        }
        // written by an atomic rename: the whole of one checkpoint or of the next
        BDictionary resume = (BDictionary) new BencodeDecoder().decode(Files.readAllBytes(record.get()));
        byte[] bitfield = ((BString) resume.get("pieces").orElseThrow()).bytes();
        long bytes = 0;
        for (long offset = 0, piece = 0; offset < totalLength; offset += pieceLength, piece++) {
            if ((bitfield[(int) (piece >>> 3)] & (0x80 >>> (piece & 7))) != 0) {
                bytes += Math.min(pieceLength, totalLength - offset);
            }
        }
        return bytes;
    }
}
