package io.graytorrent.core.internal.pick;

/**
 * One block of a piece as sent in REQUEST/CANCEL/REJECT: blocks are {@link #BLOCK_SIZE} bytes,
 * except the last block of a piece, which is shorter when the piece length is not a multiple.
 */
public record BlockRequest(int piece, int offset, int length) {

    /** The block size every client in practice serves (larger requests get dropped). */
    public static final int BLOCK_SIZE = 16 * 1024;

    public BlockRequest {
        if (piece < 0 || offset < 0 || length <= 0 || length > BLOCK_SIZE) {
            throw new IllegalArgumentException(
                    "invalid block: piece " + piece + " offset " + offset + " length " + length);
        }
    }

    /** Number of blocks in a piece of {@code pieceLength} bytes. */
    public static int blockCount(int pieceLength) {
        return (pieceLength + BLOCK_SIZE - 1) / BLOCK_SIZE;
    }

    /** Block {@code index} of a piece of {@code pieceLength} bytes. */
    public static BlockRequest of(int piece, int pieceLength, int index) {
        int offset = index * BLOCK_SIZE;
        return new BlockRequest(piece, offset, Math.min(BLOCK_SIZE, pieceLength - offset));
    }

    int index() {
        return offset / BLOCK_SIZE;
    }
}
