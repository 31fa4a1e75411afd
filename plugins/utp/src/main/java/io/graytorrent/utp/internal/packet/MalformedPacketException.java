package io.graytorrent.utp.internal.packet;

/** A datagram that is not a uTP packet we can read; it is dropped and changes nothing. */
public final class MalformedPacketException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedPacketException(String message) {
        super(message, null, false, false);
    }
}
