package io.graytorrent.storage;

import io.graytorrent.api.FilePriority;
import io.graytorrent.metainfo.Metainfo;
import io.graytorrent.metainfo.PieceLayers;
import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One torrent's data on disk. Threading: every method may be called from the engine's torrent
 * thread and none blocks on the disk; work runs on the shared {@link DiskPool} and the returned
 * futures complete there (hop back to your own thread in the continuation). Futures fail only
 * with {@link StorageException}. A failure whose reason {@link StorageException.Reason#putsTorrentInError()
 * puts the torrent in error} stops further writes until {@link #retry()}; verified pieces are kept.
 */
@org.osgi.annotation.versioning.ProviderType
public interface TorrentStorage extends AutoCloseable {

    Metainfo metainfo();

    /**
     * Writes a block at {@code offset} inside {@code piece}. The buffer's remaining bytes are written;
     * the caller must not touch the buffer until the future completes. A block of a piece that is
     * already verified is dropped (an end-game duplicate).
     */
    CompletableFuture<Void> writeBlock(int piece, int offset, ByteBuffer data);

    /**
     * Hashes the piece as it is on disk, once every write submitted for it has completed. True when
     * the SHA-1 matches: the piece is then verified in memory, and recorded as verified in the
     * resume data by the next {@link #checkpoint()} (which forces its bytes to disk first). A v2 piece is judged
     * by its merkle subtree (BEP 52), a hybrid's by both hashes.
     */
    CompletableFuture<Boolean> verifyPiece(int piece);

    /**
     * Hashes a whole piece received in memory ({@code data}'s remaining bytes, exactly the piece's
     * length, or its {@link Metainfo#dataLength data length} when a padding file ends it) and, only when the SHA-1 matches, writes it and marks it verified, recorded by the next
     * {@link #checkpoint()} as with {@link #verifyPiece}. False when the hash fails: nothing is
     * written, so bad data never reaches the disk. The caller must not touch the buffer until the
     * future completes. A piece that is already verified completes true without a write.
     */
    CompletableFuture<Boolean> writePiece(int piece, ByteBuffer data);

    /**
     * The blocks of a v2 piece (16 KiB indices into the piece) that were wrong in its last failed attempt, known once
     * the piece has verified since: the blocks whose hashes then differ. Taking them forgets them. Empty for a v1
     * piece, a piece that never failed, or one whose blocks were not kept.
     */
    default BitSet takeBadBlocks(int piece) {
        return new BitSet();
    }

    /**
     * A v2 or hybrid torrent's piece layers, which a piece is verified against: a layer missing here (a magnet link
     * gave only the info dictionary) can be {@link PieceLayers#offer offered} once peers send it. Empty for v1.
     */
    default Optional<PieceLayers> pieceLayers() {
        return Optional.empty();
    }

    /**
     * A hybrid's piece layer of {@code file} became known after pieces of that file were verified by SHA-1 alone:
     * checks their bytes against the layer too. Fails with {@link StorageException.Reason#INCONSISTENT_HASHES}, the
     * torrent in error, when one does not match (its two views describe different data); nothing to do for others.
     */
    default CompletableFuture<Void> checkLearntLayer(int file) {
        return CompletableFuture.completedFuture(null);
    }

    /** Reads {@code destination.remaining()} bytes of a verified piece from {@code offset} into the buffer. */
    CompletableFuture<Void> readBlock(int piece, int offset, ByteBuffer destination);

    /** A copy of the verified pieces (bit i = piece i). */
    BitSet verifiedPieces();

    /**
     * Forces written data to disk, then atomically rewrites the resume record with the pieces that
     * were verified before the force.
     */
    CompletableFuture<Void> checkpoint();

    /**
     * Re-hashes all data on disk and rebuilds the verified set (missing data = missing pieces), then
     * checkpoints. Do not write blocks while it runs.
     */
    CompletableFuture<BitSet> recheck(RecheckListener listener);

    /**
     * Applies file priorities (one per file, in torrent order). A file leaving {@link FilePriority#SKIP}
     * is created and gets the bytes kept for it in the parts file. Apply it while no blocks of the
     * affected files' edge pieces are being written (a racing write can only make a piece fail its hash).
     */
    CompletableFuture<Void> setFilePriorities(List<FilePriority> priorities);

    List<FilePriority> filePriorities();

    /** The failure that put the torrent in error, if it is in error. */
    Optional<StorageException> error();

    /** Leaves the error state (closing the torrent's file handles) so I/O is tried again. */
    CompletableFuture<Void> retry();

    /** Checkpoints and releases the torrent's file handles; later calls fail with {@code CLOSED}. */
    CompletableFuture<Void> closeAsync();

    /** {@link #closeAsync()} without waiting. */
    @Override
    default void close() {
        closeAsync();
    }
}
