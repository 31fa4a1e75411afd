package io.graytorrent.benchmarks;

import io.graytorrent.core.internal.pick.BlockRequest;
import io.graytorrent.core.internal.pick.PiecePicker;
import java.util.BitSet;
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
 * The piece picker under many peers, in steady state: every peer holds a random half of the
 * pieces (a few are seeds), has a pipeline of requests in flight, and the torrent is past the
 * random-first phase. One operation = one peer (in turn) is asked for {@value #REFILL} blocks on
 * top of its pipeline of {@value #PIPELINE}; they are then rejected and the peer unchoked, which
 * puts the picker back in the same state for the next operation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class PiecePickerBenchmark {
    private static final int PIECE_LENGTH = 256 * 1024;
    private static final int PIPELINE = 16;
    private static final int REFILL = 8;

    @Param({"1000", "20000"})
    int pieces;

    @Param({"50", "500"})
    int peers;

    private PiecePicker<Integer> picker;
    private int next;

    @Setup
    public void setUp() {
        Random random = new Random(1);
        picker = new PiecePicker<>(pieces, piece -> PIECE_LENGTH, new Random(2));
        BitSet have = new BitSet();
        have.set(0, 4);
        picker.setHave(have);
        for (int peer = 0; peer < peers; peer++) {
            if (peer % 10 == 0) {
                picker.peerHaveAll(peer);
            } else {
                BitSet bitfield = new BitSet();
                for (int piece = 0; piece < pieces; piece++) {
                    if (random.nextBoolean()) {
                        bitfield.set(piece);
                    }
                }
                picker.peerBitfield(peer, bitfield);
            }
            picker.pick(peer, PIPELINE, null);
        }
    }

    @Benchmark
    public List<BlockRequest> refillOnePeer() {
        int peer = next;
        next = (next + 1) % peers;
        List<BlockRequest> picked = picker.pick(peer, REFILL, null);
        for (BlockRequest block : picked) {
            picker.requestRejected(peer, block);
        }
        picker.peerUnchoked(peer);
        return picked;
    }
}
