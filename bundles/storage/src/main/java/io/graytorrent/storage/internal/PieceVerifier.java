package io.graytorrent.storage.internal;

import io.graytorrent.api.util.Sha1;
import io.graytorrent.metainfo.Metainfo;
import io.graytorrent.storage.RecheckListener;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.BitSet;

/**
 * Hashes pieces received in memory, or as they are on disk in chunks through a per-thread buffer so memory stays at
 * one chunk per disk thread whatever the piece length. Missing bytes fail a piece without hashing.
 */
final class PieceVerifier {
    static final int CHUNK = 128 << 10;
    private static final ThreadLocal<ByteBuffer> BUFFERS = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(CHUNK));
    private static final ThreadLocal<MessageDigest> DIGESTS = ThreadLocal.withInitial(Sha1::newDigest);

    private final Metainfo metainfo;
    private final FileLayout map;
    private final TorrentFiles files;

    PieceVerifier(Metainfo metainfo, FileLayout map, TorrentFiles files) {
        this.metainfo = metainfo;
        this.map = map;
        this.files = files;
    }

    boolean matches(int piece) throws IOException {
        MessageDigest digest = DIGESTS.get();
        digest.reset();
        ByteBuffer buffer = BUFFERS.get();
        long start = map.pieceStart(piece);
        int length = map.pieceLength(piece);
        for (int done = 0; done < length; done += buffer.limit()) {
            buffer.clear().limit(Math.min(CHUNK, length - done));
            if (!files.read(start + done, buffer)) {
                return false;
            }
            digest.update(buffer.flip());
        }
        return Arrays.equals(digest.digest(), metainfo.pieceHash(piece));
    }

    /** Whether {@code data}'s remaining bytes are the piece; leaves the buffer's position alone. */
    boolean matches(int piece, ByteBuffer data) {
        MessageDigest digest = DIGESTS.get();
        digest.reset();
        digest.update(data.duplicate());
        return Arrays.equals(digest.digest(), metainfo.pieceHash(piece));
    }

    /** The pieces among {@code candidates} whose data matches, reporting progress after each. */
    BitSet matching(BitSet candidates, RecheckListener listener) throws IOException {
        BitSet good = new BitSet(map.pieceCount());
        int total = candidates.cardinality();
        int checked = 0;
        for (int piece = candidates.nextSetBit(0); piece >= 0; piece = candidates.nextSetBit(piece + 1)) {
            if (matches(piece)) {
                good.set(piece);
            }
            listener.onProgress(++checked, total);
        }
        return good;
    }

}
