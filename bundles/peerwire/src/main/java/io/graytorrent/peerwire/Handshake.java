package io.graytorrent.peerwire;

import io.graytorrent.api.InfoHash;

/**
 * The first message each way (BEP 3):
 * <pre>
 * &lt;pstrlen=19&gt;&lt;pstr="BitTorrent protocol"&gt;&lt;reserved: 8 bytes&gt;&lt;info_hash: 20&gt;&lt;peer_id: 20&gt;
 * </pre>
 * 68 bytes in all; see {@link Capabilities} for the reserved bits.
 */
public record Handshake(Capabilities capabilities, InfoHash infoHash, PeerId peerId) {
    public static final String PROTOCOL = "BitTorrent protocol";
    public static final int LENGTH = 1 + 19 + Capabilities.RESERVED_LENGTH + InfoHash.LENGTH + PeerId.LENGTH;
}
