package io.graytorrent.storage.internal;

import io.graytorrent.api.util.Sha1;
import io.graytorrent.metainfo.MerkleTree;
import io.graytorrent.metainfo.Metainfo;
import io.graytorrent.metainfo.PieceLayers;
import io.graytorrent.metainfo.V2Pieces;
import io.graytorrent.storage.RecheckListener;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Optional;

/**
 * Hashes pieces received in memory, or as they are on disk in chunks through a per-thread buffer so memory stays at
 * one chunk per disk thread whatever the piece length. Missing bytes fail a piece without hashing.
 *
 * <p>A v1 piece must match its SHA-1. A v2-only piece must match its merkle subtree (BEP 52): the SHA-256 of each
 * 16 KiB block of the piece's file data (the alignment gap after a file's short last piece is not hashed), folded to
 * its piece-layer entry or file root; a piece whose file's layer is not known yet does not verify. A hybrid's piece
 * must match both, when its layer is known, so v1 and v2 peers are served the same verified bytes; a hybrid piece
 * that matches one and not the other is {@link Check#inconsistent() inconsistent}: no sender's bytes can be right
 * for both views, so the torrent itself is at fault (as libtorrent's "v1 and v2 hashes do not describe the same
 * data").
 */
final class PieceVerifier {
    static final int CHUNK = 128 << 10;
    private static final ThreadLocal<ByteBuffer> BUFFERS = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(CHUNK));
    private static final ThreadLocal<MessageDigest> DIGESTS = ThreadLocal.withInitial(Sha1::newDigest);
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(MerkleTree::sha256);
    private static final byte[] NO_LEAVES = new byte[0];
    private static final byte[] ZEROS = new byte[MerkleTree.BLOCK_SIZE];

    /**
     * A piece's check: whether it verified, its block hashes when it is a v2 piece (else empty), and whether a
     * hybrid's two views judged it differently (then it is not good).
     */
    record Check(boolean good, byte[] leaves, boolean inconsistent) {
        Check(boolean good, byte[] leaves) {
            this(good, leaves, false);
        }
    }

    private final Metainfo metainfo;
    private final FileLayout map;
    private final TorrentFiles files;
    private final Optional<V2Pieces> v2;

    PieceVerifier(Metainfo metainfo, FileLayout map, TorrentFiles files, Optional<PieceLayers> layers) {
        this.metainfo = metainfo;
        this.map = map;
        this.files = files;
        this.v2 = layers.map(V2Pieces::new);
    }

    boolean matches(int piece) throws IOException {
        return check(piece).good();
    }

    /** Checks the piece as it is on disk. */
    Check check(int piece) throws IOException {
        MessageDigest digest = DIGESTS.get();
        digest.reset();
        ByteBuffer buffer = BUFFERS.get();
        long start = map.pieceStart(piece);
        int length = map.pieceLength(piece);
        int dataLength = v2.map(pieces -> pieces.dataLength(piece)).orElse(0);
        byte[] leaves = new byte[blocks(dataLength) * MerkleTree.HASH_LENGTH];
        for (int done = 0; done < length; done += buffer.limit()) {
            buffer.clear().limit(Math.min(CHUNK, length - done));
            if (!files.read(start + done, buffer)) {
                return new Check(false, NO_LEAVES);
            }
            buffer.flip();
            if (v2.isPresent()) {
                hashBlocks(buffer.duplicate(), done, dataLength, leaves);
            }
            if (metainfo.hasV1Hashes()) {
                digest.update(buffer);
            }
        }
        return judge(piece, digest, leaves);
    }

    /** Whether {@code data}'s remaining bytes are the piece; leaves the buffer's position alone. */
    boolean matches(int piece, ByteBuffer data) {
        return check(piece, data).good();
    }

    /**
     * Checks {@code data}'s remaining bytes as the piece, or as its {@link Metainfo#dataLength data} when a padding
     * file ends it (the padding hashes as zeros); leaves the buffer's position alone.
     */
    Check check(int piece, ByteBuffer data) {
        MessageDigest digest = DIGESTS.get();
        digest.reset();
        byte[] leaves = NO_LEAVES;
        if (v2.isPresent()) {
            int dataLength = v2.get().dataLength(piece);
            leaves = new byte[blocks(dataLength) * MerkleTree.HASH_LENGTH];
            hashBlocks(data.duplicate(), 0, dataLength, leaves);
        }
        if (metainfo.hasV1Hashes()) {
            digest.update(data.duplicate());
            for (int gap = map.pieceLength(piece) - data.remaining(); gap > 0; gap -= ZEROS.length) {
                digest.update(ZEROS, 0, Math.min(gap, ZEROS.length)); // the padding that ends the piece, not sent
            }
        }
        return judge(piece, digest, leaves);
    }

    private Check judge(int piece, MessageDigest digest, byte[] leaves) {
        boolean v1 = metainfo.hasV1Hashes();
        boolean v1Good = v1 && Arrays.equals(digest.digest(), metainfo.pieceHash(piece));
        V2Pieces.Verdict verdict = v2.map(pieces -> pieces.verdict(piece, leaves)).orElse(V2Pieces.Verdict.UNKNOWN);
        if (v1 && verdict != V2Pieces.Verdict.UNKNOWN && v1Good != (verdict == V2Pieces.Verdict.GOOD)) {
            return new Check(false, leaves, true);
        }
        return new Check(v1 ? v1Good : verdict == V2Pieces.Verdict.GOOD, leaves);
    }

    /**
     * A hybrid's piece verified by SHA-1 alone (its file's layer was not known then) against the layer known now:
     * whether its bytes on disk match their merkle subtree too. Missing bytes count as a match (nothing to judge).
     */
    boolean matchesLayer(int piece) throws IOException {
        if (v2.isEmpty() || !v2.get().isKnown(piece)) {
            return true;
        }
        ByteBuffer buffer = BUFFERS.get();
        long start = map.pieceStart(piece);
        int dataLength = v2.get().dataLength(piece);
        byte[] leaves = new byte[blocks(dataLength) * MerkleTree.HASH_LENGTH];
        for (int done = 0; done < dataLength; done += buffer.limit()) {
            buffer.clear().limit(Math.min(CHUNK, dataLength - done));
            if (!files.read(start + done, buffer)) {
                return true;
            }
            buffer.flip();
            hashBlocks(buffer, done, dataLength, leaves);
        }
        return v2.get().verdict(piece, leaves) == V2Pieces.Verdict.GOOD;
    }

    private static int blocks(int dataLength) {
        return (dataLength + MerkleTree.BLOCK_SIZE - 1) / MerkleTree.BLOCK_SIZE;
    }

    /**
     * Hashes the whole 16 KiB blocks in {@code chunk} (which starts {@code from} bytes into the piece, a multiple of
     * the block size) into {@code leaves}, stopping at {@code dataLength}: the gap after it is not the file's.
     */
    private static void hashBlocks(ByteBuffer chunk, int from, int dataLength, byte[] leaves) {
        MessageDigest sha256 = SHA256.get();
        int base = chunk.position();
        for (int offset = from; offset < Math.min(dataLength, from + chunk.remaining()); offset += MerkleTree.BLOCK_SIZE) {
            int size = Math.min(MerkleTree.BLOCK_SIZE, dataLength - offset);
            sha256.update(chunk.duplicate().position(base + offset - from).limit(base + offset - from + size));
            try {
                sha256.digest(leaves, offset / MerkleTree.BLOCK_SIZE * MerkleTree.HASH_LENGTH, MerkleTree.HASH_LENGTH);
            } catch (java.security.DigestException e) {
                throw new IllegalStateException("a SHA-256 digest is 32 bytes", e);
            }
        }
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
