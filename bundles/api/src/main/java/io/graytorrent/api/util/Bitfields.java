package io.graytorrent.api.util;

import java.util.BitSet;

/**
 * Pieces packed as BitTorrent packs them (the BITFIELD message, resume records): piece 0 is the high
 * bit of the first byte, {@code ceil(pieceCount / 8)} bytes, spare bits at the end zero.
 */
public final class Bitfields {
    private Bitfields() {
    }

    /** The packed form of the pieces below {@code pieceCount} (higher ones are left out). */
    public static byte[] pack(BitSet pieces, int pieceCount) {
        byte[] bits = new byte[(pieceCount + 7) / 8];
        for (int piece = pieces.nextSetBit(0); piece >= 0 && piece < pieceCount; piece = pieces.nextSetBit(piece + 1)) {
            bits[piece >>> 3] |= (byte) (0x80 >>> (piece & 7));
        }
        return bits;
    }

    /** The pieces below {@code pieceCount} that {@code bits} has; it must hold at least {@code ceil(pieceCount / 8)} bytes. */
    public static BitSet unpack(byte[] bits, int pieceCount) {
        BitSet pieces = new BitSet(pieceCount);
        for (int piece = 0; piece < pieceCount; piece++) {
            if (has(bits, piece)) {
                pieces.set(piece);
            }
        }
        return pieces;
    }

    public static boolean has(byte[] bits, int piece) {
        return (bits[piece >>> 3] & (0x80 >>> (piece & 7))) != 0;
    }
}
