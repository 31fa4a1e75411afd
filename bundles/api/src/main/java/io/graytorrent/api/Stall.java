package io.graytorrent.api;

import java.time.Instant;

/**
 * Why a running torrent has made no progress for a while, as far as the engine can tell. The engine
 * keeps trying; this only says what it sees.
 *
 * @param kind    the diagnosis
 * @param message one line for a person, with the details (a tracker's last error, how peers refused)
 * @param since   when the torrent last made progress (or started)
 */
public record Stall(Kind kind, String message, Instant since) {

    public enum Kind {
        /** No trackers, no peers given, and no other way to find peers (no DHT, or a DHT without nodes). */
        NO_PEER_SOURCE,
        /** Every tracker fails, and no peer was found otherwise. */
        TRACKERS_FAILING,
        /** The trackers answer but list no peers, or the DHT works but found none. */
        NO_PEERS_LISTED,
        /** Peers are known but every connection to them failed or was refused during the handshake. */
        PEERS_REFUSED,
        /** Peers are connected but every one of them chokes us. */
        ALL_CHOKING,
        /** Data arrives slower than the disk can take it: reading from peers is paused. */
        WAITING_FOR_DISK,
        /** Peers are connected and some let us ask, yet nothing useful arrives. */
        NOTHING_ARRIVES,
        /** No peer is connected and every web seed backs off, was dropped, or holds none of what is missing. */
        WEB_SEEDS_FAILING
    }
}
