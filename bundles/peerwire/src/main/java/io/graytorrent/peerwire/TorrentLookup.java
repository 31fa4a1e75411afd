package io.graytorrent.peerwire;

import io.graytorrent.api.InfoHash;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Routes incoming connections: the engine answers which of its torrents, if any, has an infohash.
 * Called on a Netty event loop for every incoming handshake; must not block.
 */
@ConsumerType
@FunctionalInterface
public interface TorrentLookup {

    Optional<TorrentEndpoint> find(InfoHash infoHash);

    /**
     * The infohashes {@link #find} may answer for, so that an encrypted (MSE) incoming connection,
     * which names its torrent only by a hash of the infohash, can be routed. The default, none,
     * refuses encrypted incoming connections. Called on a Netty event loop; must not block.
     */
    default Collection<InfoHash> infoHashes() {
        return List.of();
    }

    /**
     * Whether a connection just accepted from {@code remote}, over any transport, may go on: one refused
     * is closed before a byte of it is read or written (an IP blocklist). The default admits every
     * address. Called on a Netty event loop; must not block.
     */
    default boolean admits(InetSocketAddress remote) {
        return true;
    }
}
