package io.graytorrent.core.internal.engine;

import io.graytorrent.metainfo.TorrentCreator;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Multi-file test torrents of random bytes. */
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
}
