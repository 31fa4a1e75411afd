package io.graytorrent.benchmarks;

import io.graytorrent.peerwire.PeerMessage;
import io.graytorrent.storage.TorrentStorage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The download's block-by-block disk path (pieces begun past {@code maxBufferedPieceBytes}; the usual
 * path is in {@link PieceWriteBenchmark}): a piece arrives as 16 KiB blocks, each goes to
 * {@link TorrentStorage#writeBlock} on the disk pool (into the page cache), then the piece is hashed from disk. One operation is one
 * block: bytes per second = operations per second x 16 KiB. The blocks of one piece are all in flight
 * at once, as when they come off a fast peer. The blocks hold other bytes than the torrent's, so a
 * piece never verifies and never starts dropping writes: hashing a bad piece costs what a good one does.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class BlockWriteBenchmark {
    private static final int PIECES = 64;
    private static final int BLOCK = PeerMessage.MAX_BLOCK_LENGTH;
    private static final int PIECE_LENGTH = 256 * 1024;
    private static final int BLOCKS = PIECE_LENGTH / BLOCK;

    /** Whether the block comes in a heap or a direct buffer (the receive path's pooled buffers are direct). */
    @Param({"direct", "heap"})
    String buffer;

    private ScratchTorrent torrent;
    private ByteBuffer[] blocks;
    private int next;

    @Setup(Level.Trial)
    public void openTorrent() throws Exception {
        torrent = new ScratchTorrent(PIECES, PIECE_LENGTH);
        Random random = new Random(2);
        byte[] data = new byte[BLOCK];
        blocks = new ByteBuffer[PIECES * BLOCKS];
        for (int i = 0; i < blocks.length; i++) {
            random.nextBytes(data);
            ByteBuffer block = buffer.equals("direct") ? ByteBuffer.allocateDirect(BLOCK) : ByteBuffer.allocate(BLOCK);
            blocks[i] = block.put(data).flip();
        }
    }

    @TearDown(Level.Trial)
    public void closeTorrent() throws IOException {
        torrent.close();
    }

    /** Writes one piece's blocks. */
    @Benchmark
    @OperationsPerInvocation(BLOCKS)
    public void writePiece() {
        writeBlocks(next++ % PIECES).join();
    }

    /** Writes one piece's blocks and then hashes it: the whole disk work per downloaded piece. */
    @Benchmark
    @OperationsPerInvocation(BLOCKS)
    public boolean writeAndVerifyPiece() {
        int piece = next++ % PIECES;
        return writeBlocks(piece).thenCompose(written -> torrent.storage.verifyPiece(piece)).join();
    }

    private CompletableFuture<Void> writeBlocks(int piece) {
        CompletableFuture<?>[] writes = new CompletableFuture<?>[BLOCKS];
        for (int b = 0; b < BLOCKS; b++) {
            writes[b] = torrent.storage.writeBlock(piece, b * BLOCK, blocks[piece * BLOCKS + b].duplicate());
        }
        return CompletableFuture.allOf(writes);
    }
}
