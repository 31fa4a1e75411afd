package io.graytorrent.peerwire;

import java.io.IOException;

/** An outgoing connection did not come up: refused, timed out, over a limit, or handshake rejected. */
public class PeerConnectException extends IOException {
    public PeerConnectException(String reason) {
        super(reason);
    }

    public PeerConnectException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
