package io.graytorrent.api;

import java.util.BitSet;

/**
 * Which pieces of a torrent are verified, and how many connected peers have each.
 *
 * @param pieceCount   the torrent's number of pieces
 * @param verified     bit {@code i} set when piece {@code i} is verified
 * @param availability per piece, how many connected peers have it; empty while the torrent does not run
 */
public record PieceMap(int pieceCount, BitSet verified, int[] availability) {
    public PieceMap {
        if (pieceCount < 0 || verified.length() > pieceCount
                || (availability.length != 0 && availability.length != pieceCount)) {
            throw new IllegalArgumentException("piece map does not fit " + pieceCount + " pieces");
        }
        verified = (BitSet) verified.clone();
        availability = availability.clone();
    }

    @Override
    public BitSet verified() {
        return (BitSet) verified.clone();
    }

    @Override
    public int[] availability() {
        return availability.clone();
    }
}
