package io.graytorrent.utp.internal.packet;

/** BEP 29's packet types, by their number in the header's high nibble. */
public enum PacketType {
    /** Payload; consumes a sequence number. */
    DATA,
    /** The sender's last packet: consumes a sequence number, no payload. */
    FIN,
    /** An acknowledgement without payload; carries the next sequence number without consuming it. */
    STATE,
    /** Ends the connection at once. */
    RESET,
    /** Opens a connection; consumes a sequence number. */
    SYN;

    private static final PacketType[] BY_NUMBER = values();

    /** The type numbered {@code number}, or null for none. */
    static PacketType of(int number) {
        return number >= 0 && number < BY_NUMBER.length ? BY_NUMBER[number] : null;
    }
}
