package io.graytorrent.api;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The 20-byte SHA-1 of a torrent's bencoded {@code info} dictionary (BEP 3): the key that names a
 * torrent everywhere, on the wire, at trackers and in the user interface (as 40 hex digits).
 */
public final class InfoHash implements Comparable<InfoHash> {
    public static final int LENGTH = 20;
    private static final HexFormat HEX = HexFormat.of();
    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private final byte[] bytes;

    private InfoHash(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Wraps a copy of exactly 20 bytes. */
    public static InfoHash of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("an infohash has 20 bytes, not " + bytes.length);
        }
        return new InfoHash(bytes.clone());
    }

    /** Parses 40 hex digits (either case) or the 32-character base32 form used in magnet links. */
    public static InfoHash parse(String text) {
        if (text.length() == 2 * LENGTH) {
            try {
                return new InfoHash(HEX.parseHex(text.toLowerCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("not a hex infohash: " + text);
            }
        }
        if (text.length() == 32) {
            return new InfoHash(decodeBase32(text.toUpperCase(Locale.ROOT)));
        }
        throw new IllegalArgumentException("an infohash is 40 hex or 32 base32 characters: " + text);
    }

    private static byte[] decodeBase32(String text) {
        byte[] out = new byte[LENGTH];
        long buffer = 0;
        int bits = 0;
        int index = 0;
        for (int i = 0; i < text.length(); i++) {
            int value = BASE32.indexOf(text.charAt(i));
            if (value < 0) {
                throw new IllegalArgumentException("not a base32 infohash: " + text);
            }
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8) {
                bits -= 8;
                out[index++] = (byte) (buffer >>> bits);
            }
        }
        return out;
    }

    /** A copy of the 20 bytes. */
    public byte[] toBytes() {
        return bytes.clone();
    }

    public String toHex() {
        return HEX.formatHex(bytes);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof InfoHash that && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public int compareTo(InfoHash other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public String toString() {
        return toHex();
    }
}
