package io.graytorrent.storage.internal;

import io.graytorrent.metainfo.MerkleTree;
import io.graytorrent.metainfo.Metainfo;
import io.graytorrent.metainfo.PieceLayers;
import io.graytorrent.metainfo.V2Pieces;
import io.graytorrent.storage.AtomicFiles;
import io.graytorrent.api.FilePriority;
import io.graytorrent.storage.RecheckListener;
import io.graytorrent.storage.StorageException;
import io.graytorrent.storage.StorageException.Reason;
import io.graytorrent.storage.TorrentStorage;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One torrent's storage. Its own state (verified set, error, priorities) is touched by the
 * caller's thread and by disk-pool threads, so it is guarded by {@code this}; every disk access
 * runs on the {@link BoundedDiskPool}.
 */
final class DiskTorrentStorage implements TorrentStorage {
    private static final Logger LOG = LoggerFactory.getLogger(DiskTorrentStorage.class);
    /** Failed pieces whose block hashes are kept (32 bytes a 16 KiB block: 2 KiB for a 1 MiB piece). */
    static final int MAX_FAILED_PIECES_KEPT = 1024;

    private final Metainfo metainfo;
    private final FileLayout map;
    private final TorrentFiles files;
    private final PieceVerifier hasher;
    private final Optional<PieceLayers> layers;
    /** v2: the block hashes of each piece's last failed attempt, to tell its bad blocks once it verifies. */
    private final Map<Integer, byte[]> failedLeaves = new ConcurrentHashMap<>();
    /** v2: the bad blocks of pieces that failed, then verified, until {@link #takeBadBlocks} takes them. */
    private final Map<Integer, BitSet> badBlocks = new ConcurrentHashMap<>();
    private final BoundedDiskPool pool;
    private final Path resumeFile;
    private final String savePath;
    private final Runnable onClosed;
    /** Per piece: completes when every write submitted for it so far has ended. */
    private final Map<Integer, CompletableFuture<Void>> writesInFlight = new ConcurrentHashMap<>();
    private final Object checkpointLock = new Object();

    private final BitSet verified;
    private List<FilePriority> priorities;
    private StorageException error;
    private boolean closed;

    DiskTorrentStorage(Metainfo metainfo, Optional<PieceLayers> layers, FileLayout map, TorrentFiles files,
                       BoundedDiskPool pool, Path resumeFile, String savePath, BitSet verified,
                       List<FilePriority> priorities, Runnable onClosed) {
        this.metainfo = metainfo;
        this.layers = layers;
        this.map = map;
        this.files = files;
        this.hasher = new PieceVerifier(metainfo, map, files, layers);
        this.pool = pool;
        this.resumeFile = resumeFile;
        this.savePath = savePath;
        this.verified = (BitSet) verified.clone();
        this.priorities = List.copyOf(priorities);
        this.onClosed = onClosed;
    }

    @Override
    public Metainfo metainfo() {
        return metainfo;
    }

    @Override
    public CompletableFuture<Void> writeBlock(int piece, int offset, ByteBuffer data) {
        StorageException refused = refusal(piece, offset, data.remaining(), true);
        if (refused != null) {
            return CompletableFuture.failedFuture(refused);
        }
        if (isVerified(piece)) {
            return CompletableFuture.completedFuture(null);
        }
        long position = map.pieceStart(piece) + offset;
        CompletableFuture<Void> write = track(pool.submit(data.remaining(), () -> {
            files.write(position, data);
            return null;
        }));
        writesInFlight.merge(piece, write.handle((ok, failed) -> null), CompletableFuture::allOf);
        return write;
    }

    @Override
    public CompletableFuture<Boolean> verifyPiece(int piece) {
        StorageException refused = refusal(piece, 0, 0, false);
        if (refused != null) {
            return CompletableFuture.failedFuture(refused);
        }
        CompletableFuture<Void> writes = writesInFlight.getOrDefault(piece, CompletableFuture.completedFuture(null));
        return writes.thenCompose(done -> {
            writesInFlight.remove(piece, writes);
            return track(pool.submit(map.pieceLength(piece), () -> {
                boolean good = judged(piece, hasher.check(piece));
                if (good) {
                    synchronized (this) {
                        verified.set(piece);
                    }
                }
                return good;
            }));
        });
    }

    @Override
    public CompletableFuture<Boolean> writePiece(int piece, ByteBuffer data) {
        StorageException refused = refusal(piece, 0, data.remaining(), true);
        if (refused == null && data.remaining() != map.pieceLength(piece) && data.remaining() != metainfo.dataLength(piece)) {
            refused = new StorageException(Reason.INVALID_REQUEST,
                    data.remaining() + " bytes for piece " + piece + " of " + map.pieceLength(piece));
        }
        if (refused != null) {
            return CompletableFuture.failedFuture(refused);
        }
        if (isVerified(piece)) {
            return CompletableFuture.completedFuture(true);
        }
        return track(pool.submit(data.remaining(), () -> {
            if (!judged(piece, hasher.check(piece, data))) {
                return false;
            }
            files.write(map.pieceStart(piece), data);
            synchronized (this) {
                verified.set(piece);
            }
            return true;
        }));
    }

    /**
     * Keeps a failed v2 piece's block hashes; when a piece that failed verifies, the blocks whose hashes differ
     * from the failed attempt's are its bad blocks. Called on a disk thread.
     */
    private boolean judged(int piece, PieceVerifier.Check check) {
        if (check.inconsistent()) {
            throw inconsistent(piece);
        }
        if (check.leaves().length == 0) {
            return check.good();
        }
        if (!check.good()) {
            if (failedLeaves.size() < MAX_FAILED_PIECES_KEPT || failedLeaves.containsKey(piece)) {
                failedLeaves.put(piece, check.leaves());
            }
            return false;
        }
        byte[] failed = failedLeaves.remove(piece);
        if (failed != null && failed.length == check.leaves().length) {
            BitSet bad = new BitSet();
            for (int block = 0; block < failed.length / MerkleTree.HASH_LENGTH; block++) {
                int from = block * MerkleTree.HASH_LENGTH;
                if (!Arrays.equals(failed, from, from + MerkleTree.HASH_LENGTH, check.leaves(), from,
                        from + MerkleTree.HASH_LENGTH)) {
                    bad.set(block);
                }
            }
            badBlocks.put(piece, bad);
        }
        return true;
    }

    @Override
    public BitSet takeBadBlocks(int piece) {
        BitSet bad = badBlocks.remove(piece);
        return bad == null ? new BitSet() : bad;
    }

    @Override
    public Optional<PieceLayers> pieceLayers() {
        return layers;
    }

    private StorageException inconsistent(int piece) {
        return new StorageException(Reason.INCONSISTENT_HASHES, "piece " + piece
                + " matches one of the hybrid torrent's views and not the other: its v1 and v2 hashes describe different data");
    }

    @Override
    public CompletableFuture<Void> checkLearntLayer(int file) {
        if (layers.isEmpty() || !metainfo.hasV1Hashes()) {
            return CompletableFuture.completedFuture(null);
        }
        V2Pieces v2 = new V2Pieces(layers.get());
        BitSet candidates = verifiedPieces();
        return track(pool.submit(0, () -> {
            for (int piece = candidates.nextSetBit(0); piece >= 0; piece = candidates.nextSetBit(piece + 1)) {
                if (piece < v2.pieceCount() && v2.file(piece) == file && !hasher.matchesLayer(piece)) {
                    synchronized (this) {
                        verified.clear(); // libtorrent drops the have-set too: neither view's pieces can be trusted
                    }
                    throw inconsistent(piece);
                }
            }
            return null;
        }));
    }

    @Override
    public CompletableFuture<Void> readBlock(int piece, int offset, ByteBuffer destination) {
        StorageException refused = uploadRefusal(piece, offset, destination.remaining());
        if (refused != null) {
            return CompletableFuture.failedFuture(refused);
        }
        long position = map.pieceStart(piece) + offset;
        return track(pool.submit(destination.remaining(), () -> {
            if (!files.read(position, destination)) {
                throw new StorageException(Reason.IO_ERROR, "data of verified piece " + piece + " is missing on disk");
            }
            return null;
        }));
    }

    @Override
    public synchronized BitSet verifiedPieces() {
        return (BitSet) verified.clone();
    }

    @Override
    public CompletableFuture<Void> checkpoint() {
        return track(pool.submit(0, () -> {
            writeResume();
            return null;
        }));
    }

    /** Force first, record after: a piece is only recorded once its bytes are on disk. */
    void writeResume() throws Exception {
        synchronized (checkpointLock) {
            BitSet snapshot;
            List<FilePriority> recordedPriorities;
            synchronized (this) {
                snapshot = (BitSet) verified.clone();
                recordedPriorities = priorities;
            }
            files.force();
            ResumeData record = new ResumeData(metainfo.infoHash(), savePath, snapshot, map.pieceCount(),
                    recordedPriorities, files.stamps(), files.partsStamp());
            AtomicFiles.write(resumeFile, record.encode());
        }
    }

    @Override
    public CompletableFuture<BitSet> recheck(RecheckListener listener) {
        if (isClosed()) {
            return CompletableFuture.failedFuture(new StorageException(Reason.CLOSED, "storage is closed"));
        }
        BitSet all = new BitSet(map.pieceCount());
        all.set(0, map.pieceCount());
        return track(pool.submit(0, () -> {
            BitSet good = hasher.matching(all, listener);
            synchronized (this) {
                verified.clear();
                verified.or(good);
            }
            writeResume();
            return good;
        }));
    }

    @Override
    public CompletableFuture<Void> setFilePriorities(List<FilePriority> wanted) {
        if (wanted.size() != map.fileCount()) {
            return CompletableFuture.failedFuture(new StorageException(Reason.INVALID_REQUEST,
                    wanted.size() + " priorities for " + map.fileCount() + " files"));
        }
        List<FilePriority> copy = List.copyOf(wanted);
        return track(pool.submit(0, () -> {
            synchronized (checkpointLock) {
                files.prepare(copy, verifiedPieces());
                files.locate(copy);
                synchronized (this) {
                    priorities = copy;
                }
            }
            writeResume();
            return null;
        }));
    }

    @Override
    public synchronized List<FilePriority> filePriorities() {
        return priorities;
    }

    @Override
    public synchronized Optional<StorageException> error() {
        return Optional.ofNullable(error);
    }

    @Override
    public CompletableFuture<Void> retry() {
        synchronized (this) {
            error = null;
        }
        files.closeHandles();
        return track(pool.submit(0, () -> {
            files.prepare(filePriorities(), verifiedPieces());
            writeResume();
            return null;
        }));
    }

    @Override
    public CompletableFuture<Void> closeAsync() {
        synchronized (this) {
            if (closed) {
                return CompletableFuture.completedFuture(null);
            }
            closed = true;
        }
        return pool.submit(0, () -> {
            try {
                writeResume();
            } finally {
                files.closeHandles();
                onClosed.run();
            }
            return null;
        });
    }

    /** Puts the torrent in error when a failure says the disk cannot be used as it is. */
    private <T> CompletableFuture<T> track(CompletableFuture<T> work) {
        return work.whenComplete((result, failure) -> {
            if (failure != null) {
                StorageException cause = Failures.classify(failure);
                if (cause.reason().putsTorrentInError()) {
                    enterError(cause);
                }
            }
        });
    }

    synchronized void enterError(StorageException cause) {
        if (error == null) {
            error = cause;
            LOG.warn("torrent {} storage in error: {}", metainfo.infoHash(), cause.getMessage());
            LOG.debug("torrent {}: what put the storage in error", metainfo.infoHash(), cause);
        }
    }

    private synchronized boolean isVerified(int piece) {
        return verified.get(piece);
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    private synchronized StorageException refusal(int piece, int offset, int length, boolean writing) {
        if (closed) {
            return new StorageException(Reason.CLOSED, "storage is closed");
        }
        if (writing && error != null) {
            return new StorageException(Reason.IN_ERROR, error.getMessage(), error);
        }
        if (piece < 0 || piece >= map.pieceCount() || offset < 0 || length < 0
                || (long) offset + length > map.pieceLength(piece)) {
            return new StorageException(Reason.INVALID_REQUEST,
                    "piece " + piece + " offset " + offset + " length " + length + " out of range");
        }
        return null;
    }

    private synchronized StorageException uploadRefusal(int piece, int offset, int length) {
        StorageException refused = refusal(piece, offset, length, false);
        if (refused == null && !verified.get(piece)) {
            return new StorageException(Reason.INVALID_REQUEST, "piece " + piece + " is not verified");
        }
        return refused;
    }
}
