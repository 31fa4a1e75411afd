package io.graytorrent.peerwire;

import io.netty.handler.codec.DecoderException;

/**
 * A peer broke the wire protocol: a malformed or oversized frame, a wrong handshake, a message
 * that was not negotiated. The connection is closed and the peer marked as misbehaving.
 */
public class PeerProtocolException extends DecoderException {
    public PeerProtocolException(String reason) {
        super(reason);
    }
}
