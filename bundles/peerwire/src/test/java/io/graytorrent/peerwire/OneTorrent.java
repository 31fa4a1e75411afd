package io.graytorrent.peerwire;

import io.graytorrent.api.InfoHash;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** A {@link TorrentLookup} serving one torrent, found by its infohash or (for MSE) listed. */
public record OneTorrent(TorrentEndpoint endpoint) implements TorrentLookup {

    @Override
    public Optional<TorrentEndpoint> find(InfoHash infoHash) {
        return infoHash.equals(endpoint.infoHash()) ? Optional.of(endpoint) : Optional.empty();
    }

    @Override
    public Collection<InfoHash> infoHashes() {
        return List.of(endpoint.infoHash());
    }
}
