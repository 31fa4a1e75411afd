package io.graytorrent.peerwire.internal;

import io.graytorrent.peerwire.Capabilities;
import io.graytorrent.peerwire.ExtensionRegistry;
import io.graytorrent.peerwire.PeerId;
import io.graytorrent.peerwire.PeerWireSettings;
import io.graytorrent.peerwire.TorrentEndpoint;
import io.graytorrent.peerwire.TorrentLookup;

/** What every connection of one peer network shares. */
record WireContext(PeerWireSettings settings, PeerId localPeerId, TorrentLookup torrents,
        ExtensionRegistry extensions, int listenPort, DhtLink dht) {

    /**
     * What we announce on a connection of {@code torrent}: the Fast extension and the extension protocol always; DHT
     * when a plugin serves it; v2 (BEP 52) for a hybrid whose v2 infohash we know. That bit tells a peer we can take a
     * connection made under the v1 hash being upgraded to the v2 one, so it is left off where the v2 hash is unknown
     * (a magnet link naming only the v1 hash): an answer under the v2 hash would name no torrent of ours.
     */
    Capabilities localCapabilities(TorrentEndpoint torrent) {
        return new Capabilities(true, true, dht.running(), torrent.v2InfoHash().isPresent());
    }
}
