package io.graytorrent.pex.internal;

/** A peer's ut_pex message breaks BEP 11 or our bounds: the peer is disconnected. */
public final class PexProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PexProtocolException(String message) {
        super(message);
    }
}
