package io.graytorrent.core.internal.swarm;

import io.graytorrent.api.FilePriority;
import io.graytorrent.metainfo.Metainfo;
import io.graytorrent.storage.RecheckListener;
import io.graytorrent.storage.StorageException;
import io.graytorrent.storage.TorrentStorage;
import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A storage without a disk: it verifies every whole piece except the ones the test calls {@link #bad},
 * keeps no bytes, and reports as verified what the test's supplier says.
 */
public final class FakeStorage implements TorrentStorage {
    public final Set<Integer> bad = new HashSet<>();
    private final Supplier<Metainfo> metainfo;
    private final Supplier<BitSet> verified;

    /** Suppliers, so a test may make its torrent after its storage. */
    public FakeStorage(Supplier<Metainfo> metainfo, Supplier<BitSet> verified) {
        this.metainfo = metainfo;
        this.verified = verified;
    }

    @Override
    public Metainfo metainfo() {
        return metainfo.get();
    }

    @Override
    public CompletableFuture<Boolean> writePiece(int piece, ByteBuffer data) {
        return CompletableFuture.completedFuture(!bad.contains(piece));
    }

    @Override
    public CompletableFuture<Void> writeBlock(int piece, int offset, ByteBuffer data) {
        throw new AssertionError("the piece budget holds every piece here: no block goes to disk alone");
    }

    @Override
    public CompletableFuture<Boolean> verifyPiece(int piece) {
        throw new AssertionError("pieces are verified whole, in memory");
    }

    @Override
    public CompletableFuture<Void> readBlock(int piece, int offset, ByteBuffer destination) {
        throw new AssertionError("nobody asked for data");
    }

    @Override
    public BitSet verifiedPieces() {
        return (BitSet) verified.get().clone();
    }

    @Override
    public CompletableFuture<Void> checkpoint() {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<BitSet> recheck(RecheckListener listener) {
        throw new AssertionError("not rechecked");
    }

    @Override
    public CompletableFuture<Void> setFilePriorities(List<FilePriority> priorities) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public List<FilePriority> filePriorities() {
        return Collections.nCopies(metainfo.get().files().size(), FilePriority.NORMAL);
    }

    @Override
    public Optional<StorageException> error() {
        return Optional.empty();
    }

    @Override
    public CompletableFuture<Void> retry() {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> closeAsync() {
        return CompletableFuture.completedFuture(null);
    }
}
