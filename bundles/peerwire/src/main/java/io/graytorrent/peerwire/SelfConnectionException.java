package io.graytorrent.peerwire;

/**
 * An outgoing connection reached ourselves: the handshake came back with our own peer id (a
 * tracker listing us, a NAT forwarding our public address back to us).
 */
public class SelfConnectionException extends PeerConnectException {
    public SelfConnectionException(String reason) {
        super(reason);
    }
}
