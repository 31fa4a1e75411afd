package io.graytorrent.benchmarks;

import io.graytorrent.peerwire.PeerMessage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole disk work for a downloaded piece whose data is good, both ways the engine has: the
 * assembled piece hashed in memory and written whole ({@code TorrentStorage.writePiece}, the
 * usual path), and its blocks written one by one and the piece then hashed from the page cache
 * ({@code writeBlock} + {@code verifyPiece}, the path past {@code maxBufferedPieceBytes}).
 *
 * <p>A verified piece is never written again, so every iteration opens a fresh torrent and one
 * batch takes each of its {@value #PIECES} pieces once: the score is the time for
 * {@value #PIECES} pieces ({@code PIECES x pieceKib} KiB; MiB/s = that size / the time).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, batchSize = PieceWriteBenchmark.PIECES)
@Measurement(iterations = 10, batchSize = PieceWriteBenchmark.PIECES)
@Fork(1)
public class PieceWriteBenchmark {
    static final int PIECES = 64;
    private static final int BLOCK = PeerMessage.MAX_BLOCK_LENGTH;

    @Param({"256", "1024"})
    int pieceKib;

    private ScratchTorrent torrent;
    /** Each piece's content in a direct buffer, as the assembler holds it. */
    private ByteBuffer[] pieces;
    private int next;

    @Setup(Level.Iteration)
    public void openFreshTorrent() throws Exception {
        torrent = new ScratchTorrent(PIECES, pieceKib * 1024);
        pieces = new ByteBuffer[PIECES];
        for (int piece = 0; piece < PIECES; piece++) {
            pieces[piece] = ByteBuffer.allocateDirect(torrent.pieceLength)
                    .put(torrent.content, piece * torrent.pieceLength, torrent.pieceLength).flip();
        }
        next = 0;
    }

    @TearDown(Level.Iteration)
    public void closeTorrent() throws IOException {
        torrent.close();
    }

    /** The usual path: one disk task hashes the piece in memory and writes it whole. */
    @Benchmark
    public boolean hashedInMemoryThenWritten() {
        int piece = next++;
        return verified(piece, torrent.storage.writePiece(piece, pieces[piece].duplicate()).join());
    }

    /** The fallback: the piece's blocks written as they came, all in flight, then hashed from disk. */
    @Benchmark
    public boolean blocksWrittenThenHashedFromDisk() {
        int piece = next++;
        ByteBuffer content = pieces[piece];
        CompletableFuture<?>[] writes = new CompletableFuture<?>[torrent.pieceLength / BLOCK];
        for (int b = 0; b < writes.length; b++) {
            writes[b] = torrent.storage.writeBlock(piece, b * BLOCK, content.slice(b * BLOCK, BLOCK));
        }
        return verified(piece, CompletableFuture.allOf(writes).thenCompose(written -> torrent.storage.verifyPiece(piece)).join());
    }

    /** A piece failing its hash would be hashed and not written: a benchmark of something else. */
    private static boolean verified(int piece, boolean good) {
        if (!good) {
            throw new IllegalStateException("piece " + piece + " failed its hash check");
        }
        return true;
    }
}
