package io.graytorrent.dht.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.random.RandomGenerator;
import java.util.zip.CRC32C;

/**
 * BEP 42: a node id whose first 21 bits are a CRC32C of the node's masked external address, so
 * nobody can place ids next to a target without owning many addresses. The id's last byte carries
 * the random 3 bits {@code r} mixed into the CRC input.
 */
public final class SecureNodeIds {
    private static final byte[] IPV4_MASK = {0x03, 0x0f, 0x3f, (byte) 0xff};
    private static final byte[] IPV6_MASK = {0x01, 0x03, 0x07, 0x0f, 0x1f, 0x3f, 0x7f, (byte) 0xff};

    private SecureNodeIds() {
    }

    /** A fresh valid id for {@code ip}. */
    public static NodeId idFor(InetAddress ip, RandomGenerator random) {
        byte[] id = new byte[NodeId.LENGTH];
        random.nextBytes(id);
        return idFor(ip, id[NodeId.LENGTH - 1] & 7, id);
    }

    /** {@code randomBits} with its first 21 bits set from the CRC of {@code ip} and {@code r}, and {@code r} in the last byte's low bits. */
    static NodeId idFor(InetAddress ip, int r, byte[] randomBits) {
        int crc = crc(ip, r);
        byte[] id = randomBits.clone();
        id[0] = (byte) (crc >>> 24);
        id[1] = (byte) (crc >>> 16);
        id[2] = (byte) (((crc >>> 8) & 0xf8) | (id[2] & 0x07));
        id[NodeId.LENGTH - 1] = (byte) ((id[NodeId.LENGTH - 1] & 0xf8) | r);
        return NodeId.of(id);
    }

    /** Whether {@code id} is one {@code ip} may use; any id is fine for a local or private address. */
    public static boolean isValid(NodeId id, InetAddress ip) {
        if (isExempt(ip)) {
            return true;
        }
        byte[] b = id.bytes();
        int crc = crc(ip, b[NodeId.LENGTH - 1] & 7);
        return b[0] == (byte) (crc >>> 24) && b[1] == (byte) (crc >>> 16)
                && (b[2] & 0xf8) == ((crc >>> 8) & 0xf8);
    }

    /** Loopback, private, link-local, unique-local and unspecified addresses. */
    public static boolean isExempt(InetAddress ip) {
        if (ip.isLoopbackAddress() || ip.isSiteLocalAddress() || ip.isLinkLocalAddress() || ip.isAnyLocalAddress()) {
            return true;
        }
        return ip instanceof Inet6Address && (ip.getAddress()[0] & 0xfe) == 0xfc;
    }

    private static int crc(InetAddress ip, int r) {
        byte[] mask = ip instanceof Inet4Address ? IPV4_MASK : IPV6_MASK;
        byte[] masked = Arrays.copyOf(ip.getAddress(), mask.length);
        for (int i = 0; i < mask.length; i++) {
            masked[i] &= mask[i];
        }
        masked[0] |= (byte) (r << 5);
        CRC32C crc = new CRC32C();
        crc.update(masked);
        return (int) crc.getValue();
    }
}
