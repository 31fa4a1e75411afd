package io.graytorrent.metainfo.internal;

import io.graytorrent.api.util.Sha1;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.DigestException;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Computes v1 piece hashes over files laid end to end, reading them once, in order, through one
 * piece-sized buffer: memory is one piece plus 20 bytes per piece, whatever the total size.
 */
public final class PieceHasher {
    private static final int HASH_LENGTH = 20;

    private PieceHasher() {
    }

    /**
     * The concatenated SHA-1 of each piece. {@code progress} gets the bytes hashed so far after
     * every piece. A file whose size differs from its listed length fails the whole run.
     */
    public static byte[] hash(List<SourceFile> files, int pieceLength, long totalLength, LongConsumer progress)
            throws IOException {
        long pieces = totalLength / pieceLength + (totalLength % pieceLength == 0 ? 0 : 1);
        byte[] hashes = new byte[Math.toIntExact(pieces * HASH_LENGTH)];
        MessageDigest sha1 = Sha1.newDigest();
        ByteBuffer piece = ByteBuffer.allocate(pieceLength);
        int piecesDone = 0;
        long hashed = 0;
        for (SourceFile file : files) {
            try (FileChannel channel = FileChannel.open(file.file(), StandardOpenOption.READ)) {
                long remaining = file.length();
                while (remaining > 0) {
                    piece.limit(piece.position() + (int) Math.min(piece.remaining(), remaining));
                    int read = channel.read(piece);
                    piece.limit(piece.capacity());
                    if (read < 0) {
                        throw new IOException(file.file() + " shrank while it was being hashed");
                    }
                    remaining -= read;
                    if (!piece.hasRemaining()) {
                        hashed += finishPiece(sha1, piece, hashes, piecesDone++);
                        progress.accept(hashed);
                    }
                }
                if (channel.size() != file.length()) {
                    throw new IOException(file.file() + " changed size while it was being hashed");
                }
            }
        }
        if (piece.position() > 0) {
            hashed += finishPiece(sha1, piece, hashes, piecesDone);
            progress.accept(hashed);
        }
        return hashes;
    }

    /** Hashes the buffered piece into slot {@code index}, empties the buffer, returns its size. */
    private static int finishPiece(MessageDigest sha1, ByteBuffer piece, byte[] hashes, int index) {
        int size = piece.position();
        sha1.update(piece.array(), 0, size);
        try {
            sha1.digest(hashes, index * HASH_LENGTH, HASH_LENGTH);
        } catch (DigestException e) {
            throw new IllegalStateException("a 20-byte slot always fits a SHA-1", e);
        }
        piece.clear();
        return size;
    }
}
