package io.graytorrent.lsd.internal;

/** A datagram on the LSD port that is no BEP 14 announce we can use; it is dropped. */
public final class LsdFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public LsdFormatException(String message) {
        super(message, null, false, false);
    }
}
