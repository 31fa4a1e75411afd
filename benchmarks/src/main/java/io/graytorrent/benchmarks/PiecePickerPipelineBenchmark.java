package io.graytorrent.benchmarks;

import io.graytorrent.core.internal.pick.BlockRequest;
import io.graytorrent.core.internal.pick.PiecePicker;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The picker on the download's hot path: one fast seed with a deep request pipeline, as over
 * loopback. One operation = one block arrives (oldest request first) and one block is requested to
 * refill the pipeline; a piece whose blocks all arrived is verified. When the torrent completes,
 * the next operation starts a fresh picker (rare: once every pieces x 64 operations).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class PiecePickerPipelineBenchmark {
    private static final int PIECE_LENGTH = 1024 * 1024;
    private static final int BLOCKS_PER_PIECE = PIECE_LENGTH / BlockRequest.BLOCK_SIZE;
    private static final Integer PEER = 1;

    @Param({"1000", "20000"})
    int pieces;

    /** Requests in flight to the peer. */
    @Param({"16", "500"})
    int depth;

    private PiecePicker<Integer> picker;
    private final ArrayDeque<BlockRequest> inFlight = new ArrayDeque<>();
    private int[] received;

    @Setup
    public void start() {
        picker = new PiecePicker<>(pieces, piece -> PIECE_LENGTH, new Random(1));
        picker.peerHaveAll(PEER);
        received = new int[pieces];
        inFlight.clear();
        inFlight.addAll(picker.pick(PEER, depth, null));
    }

    @Benchmark
    public List<BlockRequest> blockArrivesAndOneIsRequested() {
        BlockRequest block = inFlight.poll();
        if (block == null) {
            start();
            block = inFlight.poll();
        }
        picker.blockReceived(PEER, block);
        if (++received[block.piece()] == BLOCKS_PER_PIECE) {
            picker.pieceVerified(block.piece());
        }
        List<BlockRequest> picked = picker.pick(PEER, 1, null);
        inFlight.addAll(picked);
        return picked;
    }
}
