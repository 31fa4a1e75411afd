package io.graytorrent.core.internal.swarm;

import io.graytorrent.core.internal.limit.PieceBudget;
import io.graytorrent.metainfo.Metainfo;
import io.graytorrent.peerwire.PeerMessage;
import io.graytorrent.storage.TorrentStorage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Turns one torrent's received blocks into verified pieces. A piece is held in one buffer of its
 * length while its blocks arrive and, once whole, hashed from memory and written in a few large
 * writes ({@link TorrentStorage#writePiece}): no write per block, no read-back, and a piece that
 * fails its hash never reaches the disk.
 *
 * <p>Memory is bounded by the engine's {@link PieceBudget}. A piece begun while the budget cannot
 * hold it, the least complete piece there is, takes the disk path instead: each block written as it
 * comes, the piece hashed from disk once whole. Held pieces keep their buffer until they complete
 * or the torrent stops; a piece whose peer stalls is re-requested by the picker elsewhere, so the
 * budget drains. Blocks are copied into the piece's buffer rather than kept as they came: a
 * received block is a slice that pins the whole receive buffer it was read into. Up to
 * {@value #SPARE_BYTES} bytes of finished pieces' buffers are kept, still counted in the budget,
 * for the next pieces: fresh direct memory (zeroed, then faulted in page by page) was the top cost
 * of the torrent's executor, as Netty's pool gives a chunk back once its last piece is freed.
 *
 * <p>Owned by the torrent's executor; storage completions only release buffers.
 */
public final class PieceAssembler {
    private static final int BLOCK = PeerMessage.MAX_BLOCK_LENGTH;
    static final long SPARE_BYTES = 8L << 20;

    private final Metainfo metainfo;
    private final TorrentStorage storage;
    private final PieceBudget budget;
    private final ByteBufAllocator allocator;
    private final Consumer<Throwable> blockWriteFailed;
    private final Map<Integer, Partial> partials = new HashMap<>();
    private final int maxSpares;
    /** Buffers of full-length pieces to reuse; guarded by itself, as pieces finish on disk threads. */
    private final Deque<ByteBuf> spares = new ArrayDeque<>();
    /** Written under {@link #spares}' lock; read alone only on the executor, which writes it. */
    private boolean closed;

    /** The blocks of one piece received so far; {@code buffer} is null for a piece on the disk path. */
    private record Partial(ByteBuf buffer, BitSet blocks) {
        boolean inMemory() {
            return buffer != null;
        }
    }

    PieceAssembler(Metainfo metainfo, TorrentStorage storage, PieceBudget budget, ByteBufAllocator allocator,
            Consumer<Throwable> blockWriteFailed) {
        this.metainfo = metainfo;
        this.storage = storage;
        this.budget = budget;
        this.allocator = allocator;
        this.blockWriteFailed = blockWriteFailed;
        this.maxSpares = (int) (SPARE_BYTES / metainfo.pieceLength());
    }

    /**
     * A requested block of {@code piece} at {@code offset}; takes over the caller's reference to
     * {@code data}. Returns the piece's verification (true: verified and written) when this block
     * completed it, else null. A block already received for the piece is dropped.
     */
    CompletableFuture<Boolean> add(int piece, int offset, ByteBuf data) {
        int index = offset / BLOCK;
        Partial partial = closed ? null : partials.computeIfAbsent(piece, this::begin);
        if (partial == null || partial.blocks.get(index)) {
            data.release();
            return null;
        }
        partial.blocks.set(index);
        if (partial.inMemory()) {
            partial.buffer.setBytes(offset, data, data.readerIndex(), data.readableBytes());
            data.release();
        } else {
            storage.writeBlock(piece, offset, data.nioBuffer()).whenComplete((done, failure) -> {
                data.release();
                if (failure != null) {
                    blockWriteFailed.accept(failure);
                }
            });
        }
        int pieceLength = metainfo.dataLength(piece); // a padding file ending the piece is zeros nobody sends
        if (partial.blocks.cardinality() < (pieceLength + BLOCK - 1) / BLOCK) {
            return null;
        }
        partials.remove(piece);
        if (!partial.inMemory()) {
            return storage.verifyPiece(piece);
        }
        ByteBuf buffer = partial.buffer;
        return storage.writePiece(piece, buffer.nioBuffer(0, pieceLength))
                .whenComplete((good, failure) -> recycle(buffer, pieceLength));
    }

    /**
     * A whole piece in one direct buffer of exactly its length: kept as the piece's buffer (hashed and
     * written from it, then a spare), taking over the caller's reference, when no block of the piece
     * is held and the budget has room. Returns the piece's verification; null when it cannot be kept,
     * and then {@code data} is still the caller's.
     */
    CompletableFuture<Boolean> addWhole(int piece, ByteBuf data) {
        int length = metainfo.dataLength(piece);
        if (closed || partials.containsKey(piece) || !data.isDirect() || data.readerIndex() != 0
                || data.readableBytes() != length || data.capacity() != length || !budget.tryReserve(length)) {
            return null;
        }
        return storage.writePiece(piece, data.nioBuffer(0, length)).whenComplete((good, failure) -> recycle(data, length));
    }

    private Partial begin(int piece) {
        int length = metainfo.dataLength(piece);
        ByteBuf buffer = length == metainfo.pieceLength() ? takeSpare() : null;
        if (buffer == null && budget.tryReserve(length)) {
            buffer = allocator.directBuffer(length, length);
        }
        return new Partial(buffer, new BitSet());
    }

    private ByteBuf takeSpare() {
        synchronized (spares) {
            return spares.poll();
        }
    }

    private void recycle(ByteBuf buffer, int length) {
        synchronized (spares) {
            if (!closed && length == metainfo.pieceLength() && spares.size() < maxSpares) {
                spares.push(buffer);
                return;
            }
        }
        buffer.release();
        budget.release(length);
    }

    /** Gives the spare buffers back: every wanted piece is verified, none may come for a while. */
    void releaseSpares() {
        List<ByteBuf> unused;
        synchronized (spares) {
            unused = List.copyOf(spares);
            spares.clear();
        }
        unused.forEach(buffer -> {
            buffer.release();
            budget.release(buffer.capacity());
        });
    }

    /**
     * The torrent stopped: every held piece's buffer and every spare goes back (a piece being
     * written gives its buffer back when written), and blocks arriving later are dropped.
     */
    void close() {
        synchronized (spares) {
            closed = true;
        }
        releaseSpares();
        partials.forEach((piece, partial) -> {
            if (partial.inMemory()) {
                recycle(partial.buffer, metainfo.dataLength(piece));
            }
        });
        partials.clear();
    }
}
