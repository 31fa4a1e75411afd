package io.graytorrent.metainfo;

import io.graytorrent.api.InfoHash;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The 32-byte SHA-256 of a v2 or hybrid torrent's {@code info} dictionary (BEP 52). Its first 20
 * bytes ({@link #truncated()}) stand for it where the protocol has room for 20: the handshake,
 * trackers and the DHT.
 */
public final class InfoHashV2 {
    public static final int LENGTH = 32;
    private static final HexFormat HEX = HexFormat.of();

    private final byte[] bytes;

    private InfoHashV2(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Wraps a copy of exactly 32 bytes. */
    public static InfoHashV2 of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a v2 infohash has 32 bytes, not " + bytes.length);
        }
        return new InfoHashV2(bytes.clone());
    }

    /** Parses 64 hex digits, either case. */
    public static InfoHashV2 parse(String hex) {
        if (hex.length() != 2 * LENGTH) {
            throw new IllegalArgumentException("a v2 infohash is 64 hex characters: " + hex);
        }
        try {
            return new InfoHashV2(HEX.parseHex(hex.toLowerCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a hex v2 infohash: " + hex);
        }
    }

    /** The first 20 bytes, as the wire, trackers and the DHT use them. */
    public InfoHash truncated() {
        return InfoHash.of(Arrays.copyOf(bytes, InfoHash.LENGTH));
    }

    /** A copy of the 32 bytes. */
    public byte[] toBytes() {
        return bytes.clone();
    }

    public String toHex() {
        return HEX.formatHex(bytes);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof InfoHashV2 that && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return toHex();
    }
}
