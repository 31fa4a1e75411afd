package io.graytorrent.dht.internal;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.random.RandomGenerator;

/** A 160-bit DHT node id or infohash, compared by XOR distance (BEP 5). Immutable. */
public final class NodeId implements Comparable<NodeId> {
    public static final int LENGTH = 20;
    public static final int BITS = LENGTH * 8;

    private final byte[] bytes;

    private NodeId(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A copy of {@code bytes}, which must be 20 long. */
    public static NodeId of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a node id has 20 bytes, not " + bytes.length);
        }
        return new NodeId(bytes.clone());
    }

    public static NodeId random(RandomGenerator random) {
        byte[] bytes = new byte[LENGTH];
        random.nextBytes(bytes);
        return new NodeId(bytes);
    }

    public static NodeId ofHex(String hex) {
        return of(HexFormat.of().parseHex(hex));
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    /** This id XOR {@code other}: the distance between them, as an id. */
    public NodeId distance(NodeId other) {
        byte[] d = new byte[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            d[i] = (byte) (bytes[i] ^ other.bytes[i]);
        }
        return new NodeId(d);
    }

    /** Negative, zero or positive as {@code a} is closer to this id than {@code b}, as close, or farther. */
    public int compareDistance(NodeId a, NodeId b) {
        for (int i = 0; i < LENGTH; i++) {
            int da = (a.bytes[i] ^ bytes[i]) & 0xff;
            int db = (b.bytes[i] ^ bytes[i]) & 0xff;
            if (da != db) {
                return Integer.compare(da, db);
            }
        }
        return 0;
    }

    /** How many leading bits this id shares with {@code other} (160 when equal). */
    public int commonPrefixBits(NodeId other) {
        for (int i = 0; i < LENGTH; i++) {
            int x = (bytes[i] ^ other.bytes[i]) & 0xff;
            if (x != 0) {
                return i * 8 + Integer.numberOfLeadingZeros(x) - 24;
            }
        }
        return BITS;
    }

    /** Bit {@code index}, counting from the most significant bit of byte 0. */
    public boolean bit(int index) {
        return (bytes[index >> 3] & (0x80 >>> (index & 7))) != 0;
    }

    /** A random id sharing exactly the first {@code prefixBits} bits with this one (the next bit differs). */
    public NodeId randomWithPrefix(int prefixBits, RandomGenerator random) {
        byte[] out = new byte[LENGTH];
        random.nextBytes(out);
        for (int i = 0; i < prefixBits; i++) {
            setBit(out, i, bit(i));
        }
        if (prefixBits < BITS) {
            setBit(out, prefixBits, !bit(prefixBits));
        }
        return new NodeId(out);
    }

    private static void setBit(byte[] b, int index, boolean value) {
        int mask = 0x80 >>> (index & 7);
        b[index >> 3] = (byte) (value ? b[index >> 3] | mask : b[index >> 3] & ~mask);
    }

    @Override
    public int compareTo(NodeId other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof NodeId that && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(bytes);
    }
}
