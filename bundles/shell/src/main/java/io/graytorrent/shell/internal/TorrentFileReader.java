package io.graytorrent.shell.internal;

import io.graytorrent.api.util.TorrentUrlFetch;
import io.graytorrent.api.util.TorrentUrlFetch.FetchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.felix.service.command.CommandSession;

/**
 * Reads a .torrent file a user named, refusing what cannot be one before reading it all; an http(s) URL
 * is fetched instead (by {@link TorrentUrlFetch}, as {@code POST /api/v1/torrents {"url":…}} does).
 */
final class TorrentFileReader {
    /** No real .torrent is larger; refuse before reading a huge file into memory. */
    static final long MAX_BYTES = 32L << 20;

    private TorrentFileReader() {
    }

    /** The .torrent at {@code source}: an http(s) URL, or a file relative to the session's directory. */
    static byte[] read(CommandSession session, String source) throws IOException, FetchException {
        String lower = source.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            return new TorrentUrlFetch().fetch(TorrentUrlFetch.parse(source));
        }
        return read(Paths.resolve(session, source));
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
