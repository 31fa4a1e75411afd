package io.graytorrent.peerwire;

import io.graytorrent.api.InfoHash;
import java.util.Objects;
import java.util.Optional;

/**
 * A torrent that accepts peer connections.
 *
 * @param infoHash       the torrent's infohash, sent and expected in handshakes
 * @param pieceCount     its number of pieces, or 0 while unknown (a magnet link without metadata yet)
 * @param privateTorrent whether it is private (BEP 27): extensions that spread peers (PEX) stay off
 * @param listener       who hears from this torrent's connections
 * @param v2InfoHash     a hybrid torrent's truncated v2 infohash (BEP 52), when {@code infoHash} is its v1 one: a
 *                       connection made under the v1 hash with a peer that sets the v2 bit of {@link Capabilities}
 *                       is upgraded to it, the handshake answer naming it instead
 */
public record TorrentEndpoint(InfoHash infoHash, int pieceCount, boolean privateTorrent, PeerListener listener,
        Optional<InfoHash> v2InfoHash) {
    public TorrentEndpoint {
        if (pieceCount < 0) {
            throw new IllegalArgumentException("negative piece count");
        }
        Objects.requireNonNull(v2InfoHash, "v2InfoHash");
        if (v2InfoHash.filter(infoHash::equals).isPresent()) {
            throw new IllegalArgumentException("a hybrid's v2 infohash differs from its v1 one");
        }
    }

    /** A torrent that is not a hybrid, or whose v2 infohash is not known. */
    public TorrentEndpoint(InfoHash infoHash, int pieceCount, boolean privateTorrent, PeerListener listener) {
        this(infoHash, pieceCount, privateTorrent, listener, Optional.empty());
    }

    /** A public torrent's endpoint. */
    public TorrentEndpoint(InfoHash infoHash, int pieceCount, PeerListener listener) {
        this(infoHash, pieceCount, false, listener);
    }

}
