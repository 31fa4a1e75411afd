package io.graytorrent.peerwire;

import io.graytorrent.api.InfoHash;
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
}
