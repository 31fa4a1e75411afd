package io.graytorrent.metainfo.internal;

import io.graytorrent.api.util.Sha1;
import io.graytorrent.metainfo.MerkleTree;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Computes what a new v2 or hybrid torrent needs, reading each file once through one piece-sized
 * buffer: every file's merkle root and piece layer (BEP 52) and, for a hybrid, the v1 SHA-1 piece
 * hashes of the layout where every file starts a piece (pad bytes hash as zeros). Each piece's
 * blocks are folded into its piece-layer hash at once, so memory is one piece plus 32 bytes a piece.
 */
public final class MerkleHasher {
    /**
     * @param roots     each file's pieces root, empty for an empty file
     * @param layers    each file's piece layer, empty for a file of one piece or less
     * @param v1Pieces  the hybrid's concatenated SHA-1 piece hashes; empty when not asked for
     */
    public record Result(List<byte[]> roots, List<byte[]> layers, byte[] v1Pieces) {
    }

    private MerkleHasher() {
    }

    /**
     * Hashes {@code files} in order. With {@code v1Pieces}, also the v1 pieces; {@code padLastPiece}
     * pads each file's last piece with zeros (a multi-file hybrid; a single file is not padded).
     */
    public static Result hash(List<SourceFile> files, int pieceLength, boolean v1Pieces, boolean padLastPiece,
            LongConsumer progress) throws IOException {
        List<byte[]> roots = new ArrayList<>(files.size());
        List<byte[]> layers = new ArrayList<>(files.size());
        ByteArrayOutputStream pieces = new ByteArrayOutputStream();
        MessageDigest sha1 = Sha1.newDigest();
        MessageDigest sha256 = MerkleTree.sha256();
        ByteBuffer piece = ByteBuffer.allocate(pieceLength);
        byte[] zeros = padLastPiece ? new byte[pieceLength] : new byte[0];
        long hashed = 0;
        byte[] leaves = new byte[pieceLength / MerkleTree.BLOCK_SIZE * MerkleTree.HASH_LENGTH];
        for (SourceFile file : files) {
            ByteArrayOutputStream layer = new ByteArrayOutputStream();
            byte[] onlyPieceLeaves = new byte[0];
            try (FileChannel channel = FileChannel.open(file.file(), StandardOpenOption.READ)) {
                long remaining = file.length();
                while (remaining > 0) {
                    piece.clear().limit((int) Math.min(pieceLength, remaining));
                    while (piece.hasRemaining()) {
                        if (channel.read(piece) < 0) {
                            throw new IOException(file.file() + " shrank while it was being hashed");
                        }
                    }
                    int size = piece.position();
                    int leafCount = 0;
                    for (int block = 0; block < size; block += MerkleTree.BLOCK_SIZE) {
                        sha256.update(piece.array(), block, Math.min(MerkleTree.BLOCK_SIZE, size - block));
                        System.arraycopy(sha256.digest(), 0, leaves, leafCount++ * MerkleTree.HASH_LENGTH,
                                MerkleTree.HASH_LENGTH);
                    }
                    byte[] pieceLeaves = Arrays.copyOf(leaves, leafCount * MerkleTree.HASH_LENGTH);
                    // a short last piece still covers a whole piece: its subtree is padded with zero leaves
                    layer.writeBytes(MerkleTree.layer(pieceLeaves, 0, MerkleTree.pieceLayer(pieceLength)));
                    onlyPieceLeaves = pieceLeaves;
                    if (v1Pieces) {
                        sha1.update(piece.array(), 0, size);
                        sha1.update(zeros, 0, padLastPiece ? pieceLength - size : 0);
                        pieces.writeBytes(sha1.digest());
                    }
                    remaining -= size;
                    hashed += size;
                    progress.accept(hashed);
                }
                if (channel.size() != file.length()) {
                    throw new IOException(file.file() + " changed size while it was being hashed");
                }
            }
            if (file.length() > pieceLength) {
                roots.add(MerkleTree.root(layer.toByteArray(), MerkleTree.pieceLayer(pieceLength)));
                layers.add(layer.toByteArray());
            } else { // one piece or none: the tree is only as wide as the file's own blocks
                roots.add(file.length() == 0 ? new byte[0] : MerkleTree.root(onlyPieceLeaves, 0));
                layers.add(new byte[0]);
            }
        }
        return new Result(roots, layers, pieces.toByteArray());
    }
}
