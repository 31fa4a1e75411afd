package io.graytorrent.peerwire;

import io.graytorrent.api.InfoHash;

/**
 * A torrent that accepts peer connections.
 *
 * @param infoHash   the torrent's infohash, sent and expected in handshakes
 * @param pieceCount     its number of pieces, or 0 while unknown (a magnet link without metadata yet)
 * @param privateTorrent whether it is private (BEP 27): extensions that spread peers (PEX) stay off
 * @param listener       who hears from this torrent's connections
 */
public record TorrentEndpoint(InfoHash infoHash, int pieceCount, boolean privateTorrent, PeerListener listener) {
    public TorrentEndpoint {
        if (pieceCount < 0) {
            throw new IllegalArgumentException("negative piece count");
        }
    }

    /** A public torrent's endpoint. */
    public TorrentEndpoint(InfoHash infoHash, int pieceCount, PeerListener listener) {
        this(infoHash, pieceCount, false, listener);
    }
}
