package io.graytorrent.peerwire;

/**
 * The protocol extensions a side announces in the eight reserved bytes of its handshake. Bits we
 * do not know are ignored when reading and never set when writing.
 *
 * @param fast              BEP 6 Fast extension: {@code reserved[7] & 0x04}
 * @param extensionProtocol BEP 10 extension protocol: {@code reserved[5] & 0x10}
 * @param dht               BEP 5 DHT, the sender accepts PORT messages: {@code reserved[7] & 0x01}
 * @param v2                BEP 52 upgrade, as libtorrent 2.0 does it: {@code reserved[7] & 0x10}, the sender speaks
 *                          v2 and knows the hybrid torrent's v2 infohash, so a connection made under the v1 infohash
 *                          may be answered under the truncated v2 one and become a v2 connection
 */
public record Capabilities(boolean fast, boolean extensionProtocol, boolean dht, boolean v2) {
    public static final int RESERVED_LENGTH = 8;
    public static final Capabilities NONE = new Capabilities(false, false, false, false);

    /** Without the v2 upgrade bit. */
    public Capabilities(boolean fast, boolean extensionProtocol, boolean dht) {
        this(fast, extensionProtocol, dht, false);
    }

    public static Capabilities fromReserved(byte[] reserved) {
        if (reserved.length != RESERVED_LENGTH) {
            throw new IllegalArgumentException("reserved bytes are 8, not " + reserved.length);
        }
        return new Capabilities((reserved[7] & 0x04) != 0, (reserved[5] & 0x10) != 0, (reserved[7] & 0x01) != 0,
                (reserved[7] & 0x10) != 0);
    }

    public byte[] toReserved() {
        byte[] reserved = new byte[RESERVED_LENGTH];
        reserved[5] = (byte) (extensionProtocol ? 0x10 : 0);
        reserved[7] = (byte) ((v2 ? 0x10 : 0) | (fast ? 0x04 : 0) | (dht ? 0x01 : 0));
        return reserved;
    }

    /** What both sides may use on this connection: each extension only if both announced it. */
    public Capabilities intersect(Capabilities other) {
        return new Capabilities(fast && other.fast, extensionProtocol && other.extensionProtocol, dht && other.dht,
                v2 && other.v2);
    }
}
