package io.graytorrent.benchmarks;

import io.graytorrent.metainfo.MerkleTree;
import io.graytorrent.storage.TorrentStorage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
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
 * Piece verification through storage (read from the page cache on the disk pool, SHA-1, compare)
 * against the raw {@link MessageDigest} SHA-1 rate of the same bytes in memory, and the BEP 52 merkle (SHA-256 per
 * 16 KiB block) rate of a v2 piece. One operation is
 * one piece: bytes per second = operations per second x pieceLength.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PieceVerificationBenchmark {
    private static final int PIECES = 64;

    @Param({"262144", "1048576"})
    int pieceLength;

    private ScratchTorrent torrent;
    private byte[] content;
    private MessageDigest sha1;
    private TorrentStorage storage;
    private int next;

    @Setup(Level.Trial)
    public void writeTorrent() throws Exception {
        torrent = new ScratchTorrent(PIECES, pieceLength);
        content = torrent.content;
        storage = torrent.storage;
        sha1 = MessageDigest.getInstance("SHA-1");
        List<CompletableFuture<Boolean>> verified = new ArrayList<>();
        for (int piece = 0; piece < PIECES; piece++) {
            storage.writeBlock(piece, 0, ByteBuffer.wrap(content, piece * pieceLength, pieceLength).slice());
            verified.add(storage.verifyPiece(piece));
        }
        verified.forEach(CompletableFuture::join);
    }

    @TearDown(Level.Trial)
    public void deleteTorrent() throws IOException {
        torrent.close();
    }

    /** The ceiling: SHA-1 of bytes already in memory, one thread. */
    @Benchmark
    public byte[] rawMessageDigestSha1() {
        int piece = next++ % PIECES;
        sha1.update(content, piece * pieceLength, pieceLength);
        return sha1.digest();
    }

    /**
     * What a BEP 52 piece costs instead: SHA-256 of each 16 KiB block, folded to the piece's subtree root (the
     * hashing a v2 piece's verification does, in memory, one thread).
     */
    @Benchmark
    public byte[] rawMerkleSha256() {
        int piece = next++ % PIECES;
        byte[] leaves = MerkleTree.leaves(content, piece * pieceLength, pieceLength);
        return MerkleTree.layer(leaves, 0, MerkleTree.pieceLayer(pieceLength));
    }

    /** One piece at a time through storage: read on the disk pool, hash, compare, hop back. */
    @Benchmark
    public boolean storageVerifyOnePiece() {
        return storage.verifyPiece(next++ % PIECES).join();
    }

    /** Eight pieces in flight, as the engine would submit them: uses every disk-pool thread. */
    @Benchmark
    @OperationsPerInvocation(8)
    public int storageVerifyEightInFlight() {
        List<CompletableFuture<Boolean>> inFlight = new ArrayList<>(8);
        for (int i = 0; i < 8; i++) {
            inFlight.add(storage.verifyPiece(next++ % PIECES));
        }
        int good = 0;
        for (CompletableFuture<Boolean> verified : inFlight) {
            good += verified.join() ? 1 : 0;
        }
        return good;
    }
}
