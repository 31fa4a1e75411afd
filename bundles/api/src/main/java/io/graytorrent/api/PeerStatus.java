package io.graytorrent.api;

import java.net.InetSocketAddress;

/**
 * One connected peer of a torrent.
 *
 * @param address      the peer's address
 * @param client       client name from its BEP 10 handshake or BEP 20 peer id, "" when unknown
 * @param outgoing     whether we opened the connection
 * @param progress     share of pieces the peer has, 0 to 1
 * @param downloadRate bytes per second we receive from it
 * @param uploadRate   bytes per second we send to it
 * @param flags        libtorrent-style letters: D/d we are interested (unchoked/choked), U/u it is
 *                     interested (unchoked/choked), O optimistic unchoke, S snubbed, E RC4-encrypted,
 *                     e plaintext after an encrypted (MSE) handshake,
 *                     F fast extension, X extension protocol, I incoming, P over uTP
 * @param encryption   {@code rc4}, {@code plaintext-after-mse} (only the handshake was obfuscated) or
 *                     {@code plaintext}
 * @param source       which kind of source the engine learnt of the peer from
 */
public record PeerStatus(InetSocketAddress address, String client, boolean outgoing, double progress,
        long downloadRate, long uploadRate, long downloaded, long uploaded, String flags, String encryption,
        PeerOrigin source) {

    /** A peer status for a plaintext connection. */
    public PeerStatus(InetSocketAddress address, String client, boolean outgoing, double progress,
            long downloadRate, long uploadRate, long downloaded, long uploaded, String flags, PeerOrigin source) {
        this(address, client, outgoing, progress, downloadRate, uploadRate, downloaded, uploaded, flags, "plaintext",
                source);
    }

    /** A peer status for a plaintext connection whose source is not known, reported as {@link PeerOrigin#MANUAL}. */
    public PeerStatus(InetSocketAddress address, String client, boolean outgoing, double progress,
            long downloadRate, long uploadRate, long downloaded, long uploaded, String flags) {
        this(address, client, outgoing, progress, downloadRate, uploadRate, downloaded, uploaded, flags, "plaintext",
                PeerOrigin.MANUAL);
    }
}
