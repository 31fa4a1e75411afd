package io.graytorrent.pex.internal;

import java.net.InetSocketAddress;

/**
 * One peer in a PEX message: its listen address and the {@code added.f} flags byte (BEP 11).
 *
 * @param address where the peer accepts connections
 * @param flags   a combination of the constants below
 */
public record PexPeer(InetSocketAddress address, int flags) {
    /** It prefers (or requires) encrypted connections. */
    public static final int ENCRYPTION = 0x01;
    /** It is a seed or upload-only (BEP 21). */
    public static final int SEED = 0x02;
    /** It supports uTP. */
    public static final int UTP = 0x04;
    /** It supports the holepunch extension (BEP 55). */
    public static final int HOLEPUNCH = 0x08;
    /** It is reachable: the sender connected to it. */
    public static final int REACHABLE = 0x10;

    public PexPeer {
        if (address == null || address.isUnresolved() || flags < 0 || flags > 0xff) {
            throw new IllegalArgumentException("a PEX peer is a resolved address and a flags byte");
        }
    }
}
