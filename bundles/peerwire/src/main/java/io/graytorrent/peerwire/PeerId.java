package io.graytorrent.peerwire;

import io.graytorrent.peerwire.internal.ClientVersion;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A 20-byte peer id. Ours follow the Azureus style of BEP 20: {@code -GY0100-} (client code "GY",
 * which BEP 20 does not list, and the build's version, here 0.1.0.0) then twelve random bytes.
 */
public final class PeerId {
    public static final int LENGTH = 20;
    public static final String CLIENT_PREFIX = ClientVersion.PEER_ID_PREFIX;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] bytes;

    private PeerId(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Wraps a copy of exactly 20 bytes. */
    public static PeerId of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a peer id has 20 bytes, not " + bytes.length);
        }
        return new PeerId(bytes.clone());
    }

    /** A fresh id of ours: the client prefix and twelve random bytes. */
    public static PeerId generate() {
        byte[] bytes = new byte[LENGTH];
        byte[] prefix = CLIENT_PREFIX.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(prefix, 0, bytes, 0, prefix.length);
        byte[] random = new byte[LENGTH - prefix.length];
        RANDOM.nextBytes(random);
        System.arraycopy(random, 0, bytes, prefix.length, random.length);
        return new PeerId(bytes);
    }

    /** A copy of the 20 bytes. */
    public byte[] toBytes() {
        return bytes.clone();
    }

    /** The Azureus-style client prefix such as {@code -LT2080-}, or empty if the id has none. */
    public String clientPrefix() {
        boolean azureus = bytes[0] == '-' && bytes[7] == '-';
        return azureus ? new String(bytes, 0, 8, StandardCharsets.ISO_8859_1) : "";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PeerId that && Arrays.equals(bytes, that.bytes);
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
