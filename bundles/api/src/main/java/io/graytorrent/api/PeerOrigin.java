package io.graytorrent.api;

import java.util.Locale;

/** Where the engine learnt of a peer: which kind of {@link PeerSource}, the user, or the peer itself. */
public enum PeerOrigin {
    /** A tracker's announce reply. */
    TRACKER,
    /** The DHT (BEP 5). */
    DHT,
    /** Peer exchange with other peers (BEP 11). */
    PEX,
    /** Local service discovery (BEP 14). */
    LSD,
    /** A web seed (BEP 19), served over HTTP. */
    WEBSEED,
    /** Given by the user: {@code --peer}, a magnet link's {@code x.pe}, {@code connect}. */
    MANUAL,
    /** It connected to us. */
    INCOMING;

    /** The lower-case name shown to users and in JSON. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
