package io.graytorrent.peerwire;

import java.io.IOException;

/** An outgoing connection did not come up: refused, timed out, over a limit, or handshake rejected. */
public class PeerConnectException extends IOException {
    /** Why, in the terms a user can act on (the message has the details). */
    public enum Reason {
        /** No TCP connection: refused, unreachable, or the connect timed out. */
        UNREACHABLE,
        /** The peer closed the connection before answering our handshake. */
        CLOSED,
        /** The peer reset the connection before answering our handshake. */
        RESET,
        /** No handshake came within the handshake timeout. */
        TIMEOUT,
        /** The peer answered for another torrent. */
        WRONG_INFOHASH,
        /** What came back is not a BitTorrent handshake (an encrypted stream, another protocol). */
        NOT_BITTORRENT,
        /** The address is our own. */
        OURSELVES,
        /** Our own limit, not the peer: too many connections being dialled. */
        LIMIT,
        OTHER
    }

    private final Reason reason;

    public PeerConnectException(String message) {
        this(Reason.OTHER, message, null);
    }

    public PeerConnectException(String message, Throwable cause) {
        this(Reason.OTHER, message, cause);
    }

    public PeerConnectException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
