package io.graytorrent.peerwire.internal;

import io.graytorrent.peerwire.Capabilities;
import io.graytorrent.peerwire.ExtensionRegistry;
import io.graytorrent.peerwire.PeerId;
import io.graytorrent.peerwire.PeerWireSettings;
import io.graytorrent.peerwire.TorrentLookup;

/** What every connection of one peer network shares. */
record WireContext(PeerWireSettings settings, PeerId localPeerId, TorrentLookup torrents,
        ExtensionRegistry extensions, int listenPort, DhtLink dht) {

    /**
     * We speak the Fast extension, the extension protocol and v2 (BEP 52, so a hybrid's connection may be upgraded)
     * always; DHT when a plugin serves it.
     */
    Capabilities localCapabilities() {
        return new Capabilities(true, true, dht.running(), true);
    }
}
