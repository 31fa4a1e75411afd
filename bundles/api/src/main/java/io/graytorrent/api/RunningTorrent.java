package io.graytorrent.api;

/**
 * A running torrent as a {@link PeerSource} is told of it.
 *
 * @param infoHash      the torrent's infohash
 * @param privateTorrent whether it is private (BEP 27); only trackers are ever told of a private torrent
 * @param listenPort    the port our peer wire listens on, for sources that announce it
 * @param seeding       whether we have every wanted piece (a source may then look for leechers only)
 */
public record RunningTorrent(InfoHash infoHash, boolean privateTorrent, int listenPort, boolean seeding) {
    public RunningTorrent {
        if (infoHash == null || listenPort < 0 || listenPort > 65535) {
            throw new IllegalArgumentException("a running torrent needs an infohash and a port in 0..65535");
        }
    }
}
