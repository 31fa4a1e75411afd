package io.graytorrent.metainfo;

/**
 * One file of a v2 torrent's {@code file tree} (BEP 52), in tree order.
 *
 * @param entry      path (already made safe and unique), length, attributes, and as offset where
 *                   the file starts in the v2 piece space: every non-empty file starts a piece
 * @param piecesRoot the 32-byte root of the file's merkle tree; empty for an empty file
 * @param pieceLayer the file's piece-layer hashes (32 bytes each, one a piece), checked against
 *                   {@code piecesRoot}; empty for a file of one piece or less, whose one piece
 *                   hashes to {@code piecesRoot} itself
 */
public record V2File(FileEntry entry, byte[] piecesRoot, byte[] pieceLayer) {

    /** How many pieces the file covers: zero for an empty file. */
    public long pieceCount(int pieceLength) {
        return (entry.length() + pieceLength - 1) / pieceLength;
    }
}
