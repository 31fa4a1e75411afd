package io.graytorrent.udp;

/**
 * What a datagram on the shared socket carries, told from its first bytes by the socket itself
 * (the two protocols cannot be confused: a KRPC message starts with {@code 'd'} = 0x64, which as
 * a uTP header would be version 4).
 */
public enum DatagramKind {
    /** A DHT message (BEP 5): a bencoded dictionary, so its first byte is {@code 'd'}. */
    KRPC,
    /**
     * A uTP packet (BEP 29): a header of at least 20 bytes whose first byte is
     * {@code type << 4 | 1}, type 0 (DATA) to 4 (SYN), version 1.
     */
    UTP
}
