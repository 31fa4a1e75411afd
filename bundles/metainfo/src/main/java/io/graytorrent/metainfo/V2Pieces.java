package io.graytorrent.metainfo;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Optional;

/**
 * The pieces of a v2 or hybrid torrent as BEP 52 lays them out: every non-empty file starts a
 * piece, so a piece holds bytes of one file only and the last piece of each file may be short
 * (followed by an alignment gap: the padding file of {@link Metainfo#files()}). Each piece is
 * verified by its own merkle subtree: the SHA-256 of its 16 KiB blocks folded to the piece layer
 * (a short last piece padded with zero leaves), compared to the file's piece-layer entry; for a file
 * of one piece the blocks fold to the file's {@code pieces root} itself.
 *
 * <p>Immutable apart from the {@link PieceLayers} it reads, and thread-safe.
 */
public final class V2Pieces {
    /** What a piece's block hashes say of it. */
    public enum Verdict {
        GOOD,
        BAD,
        /** Its file's piece layer is not known yet: the piece can be neither trusted nor blamed. */
        UNKNOWN
    }

    private final MetainfoV2 torrent;
    private final PieceLayers layers;
    private final int pieceLength;
    private final int pieceLayer;
    /** For each file in order, its first piece; files of no data start where the next one does. */
    private final long[] firstPiece;
    private final int pieceCount;

    public V2Pieces(PieceLayers layers) {
        this.layers = layers;
        this.torrent = layers.torrent();
        this.pieceLength = torrent.pieceLength();
        this.pieceLayer = MerkleTree.pieceLayer(pieceLength);
        this.firstPiece = new long[torrent.files().size()];
        long pieces = 0;
        for (int file = 0; file < firstPiece.length; file++) {
            firstPiece[file] = pieces;
            pieces += torrent.files().get(file).pieceCount(pieceLength);
        }
        this.pieceCount = Math.toIntExact(pieces);
    }

    public PieceLayers layers() {
        return layers;
    }

    public int pieceCount() {
        return pieceCount;
    }

    /** The index (into {@link MetainfoV2#files()}) of the file holding piece {@code piece}. */
    public int file(int piece) {
        if (piece < 0 || piece >= pieceCount) {
            throw new IndexOutOfBoundsException("piece " + piece + " of " + pieceCount);
        }
        int found = Arrays.binarySearch(firstPiece, piece);
        if (found < 0) {
            return -found - 2;
        }
        while (found + 1 < firstPiece.length && firstPiece[found + 1] == piece) {
            found++; // skip empty files that start where this piece's file does
        }
        return found;
    }

    /** Which piece of its file piece {@code piece} is. */
    public int pieceInFile(int piece) {
        return (int) (piece - firstPiece[file(piece)]);
    }

    /** The bytes of file data in piece {@code piece}: the piece length, or less for a file's last piece. */
    public int dataLength(int piece) {
        V2File file = torrent.files().get(file(piece));
        long start = (long) pieceInFile(piece) * pieceLength;
        return (int) Math.min(pieceLength, file.entry().length() - start);
    }

    /** Whether piece {@code piece}'s expected hash is known (its file's layer is). */
    public boolean isKnown(int piece) {
        return layers.isKnown(file(piece));
    }

    /**
     * The hash the blocks of piece {@code piece} fold to: {@code leaves} (the SHA-256 of each 16 KiB
     * block of its {@link #dataLength data}, the last block possibly short, concatenated) folded to
     * the piece layer, or to the root for a file of one piece.
     */
    public byte[] hash(int piece, byte[] leaves) {
        if (layers.needsLayer(file(piece))) {
            return MerkleTree.layer(leaves, 0, pieceLayer);
        }
        return MerkleTree.root(leaves, 0);
    }

    /** Judges piece {@code piece} by its block hashes ({@code leaves}, as for {@link #hash}). */
    public Verdict verdict(int piece, byte[] leaves) {
        Optional<byte[]> expected = layers.pieceHash(file(piece), pieceInFile(piece));
        if (expected.isEmpty()) {
            return Verdict.UNKNOWN;
        }
        return MessageDigest.isEqual(hash(piece, leaves), expected.get()) ? Verdict.GOOD : Verdict.BAD;
    }
}
