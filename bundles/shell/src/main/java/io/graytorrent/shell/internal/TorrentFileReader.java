package io.graytorrent.shell.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a .torrent file a user named, refusing what cannot be one before reading it all. */
final class TorrentFileReader {
    /** No real .torrent is larger; refuse before reading a huge file into memory. */
    static final long MAX_BYTES = 32L << 20;

    private TorrentFileReader() {
    }

    static byte[] read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("not a file: " + file);
        }
        long size = Files.size(file);
        if (size > MAX_BYTES) {
            throw new IOException(file + " is " + Sizes.format(size) + ", larger than any .torrent file");
        }
        return Files.readAllBytes(file);
    }
}
