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
 *                     interested (unchoked/choked), O optimistic unchoke, S snubbed, E encrypted,
 *                     F fast extension, X extension protocol, I incoming
 * @param source       which kind of source the engine learnt of the peer from
 */
public record PeerStatus(InetSocketAddress address, String client, boolean outgoing, double progress,
        long downloadRate, long uploadRate, long downloaded, long uploaded, String flags, PeerOrigin source) {
}
