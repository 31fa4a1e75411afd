package io.graytorrent.core.internal;

import io.graytorrent.peerwire.PeerConnection;
import io.graytorrent.peerwire.PeerId;
import java.util.Map;

/** A peer's client name: its extension handshake's {@code v}, else read from its BEP 20 peer id. */
final class ClientNames {
    private static final Map<String, String> AZUREUS_CODES = Map.of(
            "LT", "libtorrent", "lt", "libTorrent (rakshasa)", "qB", "qBittorrent", "TR", "Transmission",
            "UT", "µTorrent", "DE", "Deluge", "AZ", "Vuze", "GY", "graytorrent", "BI", "BiglyBT", "BT", "BitTorrent");

    private ClientNames() {
    }

    static String of(PeerConnection peer) {
        return peer.remoteExtensionHandshake().flatMap(h -> h.client()).orElseGet(() -> fromPeerId(peer.remotePeerId()));
    }

    /** "-LT2080-…" reads as "libtorrent 2.0.8.0"; an unknown code is shown as it is; "" without a prefix. */
    static String fromPeerId(PeerId id) {
        String prefix = id.clientPrefix();
        if (prefix.isEmpty()) {
            return "";
        }
        String code = prefix.substring(1, 3);
        String version = String.join(".", prefix.substring(3, 7).split(""));
        return AZUREUS_CODES.getOrDefault(code, code) + " " + version;
    }
}
