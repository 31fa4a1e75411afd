package io.graytorrent.api;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * What to add: a .torrent's bytes, where its data goes, and how to start.
 *
 * @param torrentFile the .torrent file's bytes, validated by the engine
 * @param saveDirectory where the data lives (created if missing; a multi-file torrent adds its name);
 *                    null for the engine's configured download directory
 * @param paused     add it stopped
 * @param peers      peers to connect to besides those the peer sources find
 */
public record AddTorrent(byte[] torrentFile, Path saveDirectory, boolean paused, List<InetSocketAddress> peers) {
    public AddTorrent {
        peers = List.copyOf(peers);
    }
}
