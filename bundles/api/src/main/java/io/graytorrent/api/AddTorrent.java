package io.graytorrent.api;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * What to add: a .torrent's bytes or a magnet link, where its data goes, and how to start.
 * Exactly one of {@code torrentFile} and {@code magnetUri} is given.
 *
 * @param torrentFile the .torrent file's bytes, validated by the engine; null for a magnet link
 * @param magnetUri  a {@code magnet:?xt=urn:btih:} link, validated by the engine; null for a .torrent
 * @param saveDirectory where the data lives (created if missing; a multi-file torrent adds its name);
 *                    null for the engine's configured download directory
 * @param paused     add it stopped
 * @param peers      peers to connect to besides those the peer sources find
 */
public record AddTorrent(byte[] torrentFile, String magnetUri, Path saveDirectory, boolean paused,
                         List<InetSocketAddress> peers) {
    public AddTorrent {
        if ((torrentFile == null) == (magnetUri == null)) {
            throw new IllegalArgumentException("give either a .torrent file or a magnet link");
        }
        peers = List.copyOf(peers);
    }

    /** Adds a .torrent file. */
    public AddTorrent(byte[] torrentFile, Path saveDirectory, boolean paused, List<InetSocketAddress> peers) {
        this(torrentFile, null, saveDirectory, paused, peers);
    }

    /** Adds a magnet link; the engine fetches the metadata from peers first. */
    public static AddTorrent magnet(String magnetUri, Path saveDirectory, boolean paused, List<InetSocketAddress> peers) {
        return new AddTorrent(null, magnetUri, saveDirectory, paused, peers);
    }
}
