package io.graytorrent.benchmarks;

import io.graytorrent.peerwire.Capabilities;
import io.graytorrent.peerwire.MessageIds;
import io.graytorrent.peerwire.PeerMessage;
import io.graytorrent.peerwire.codec.PeerMessageDecoder;
import io.graytorrent.peerwire.codec.PeerMessageEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The peer wire codecs on a Netty {@link EmbeddedChannel} (the real pipeline path, no socket).
 * One operation is one message: decoding, a stream of 16 KiB PIECE frames arriving in 64 KiB reads
 * (so frames straddle reads, as off a socket), their blocks released at once ({@code decodePieces}) or
 * a read later ({@code decodePiecesHeld}: as the engine holds them until its executor copies them, so
 * the decoder's receive buffer is still shared when the next read arrives), or a burst of REQUEST frames; encoding, a REQUEST or a
 * PIECE whose block is a slice of a pooled buffer (what the engine sends when it uploads from memory);
 * sending, a PIECE as a seeding connection writes it: with its own promise and listener, through
 * the encoder and the handlers below it on the live pipeline (an idle handler watching writes and
 * a byte counter), flushed every 16 blocks (a 256 KiB run from the disk).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PeerMessageCodecBenchmark {
    private static final int MESSAGES = 64;
    private static final int BLOCK = PeerMessage.MAX_BLOCK_LENGTH;
    private static final int READ_SIZE = 64 * 1024;
    private static final int PIECES = 4096;

    private final PooledByteBufAllocator allocator = PooledByteBufAllocator.DEFAULT;
    private EmbeddedChannel decoding;
    private EmbeddedChannel encoding;
    private EmbeddedChannel sending;
    private long sent;
    private ByteBuf pieceStream;
    private ByteBuf requestStream;
    private ByteBuf block;
    /** The blocks of the last read, for {@code decodePiecesHeld} to release after the next one. */
    private final List<Object> held = new ArrayList<>();

    @Setup
    public void prepare() {
        Capabilities both = new Capabilities(true, true, false);
        decoding = new EmbeddedChannel(new PeerMessageDecoder(PIECES, both, 65536));
        encoding = new EmbeddedChannel(PeerMessageEncoder.INSTANCE);
        sending = new EmbeddedChannel(new ChannelOutboundHandlerAdapter() {
            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                if (msg instanceof ByteBuf buf) {
                    sent += buf.readableBytes(); // as the connection's byte counter, next to the socket
                }
                ctx.write(msg, promise);
            }
        }, new IdleStateHandler(0, 30, 0), PeerMessageEncoder.INSTANCE);
        byte[] data = new byte[BLOCK];
        new Random(1).nextBytes(data);
        block = allocator.directBuffer(BLOCK).writeBytes(data);
        pieceStream = allocator.directBuffer(MESSAGES * (13 + BLOCK));
        requestStream = allocator.directBuffer(MESSAGES * 17);
        for (int i = 0; i < MESSAGES; i++) {
            pieceStream.writeInt(9 + BLOCK).writeByte(MessageIds.PIECE).writeInt(i % PIECES).writeInt(0).writeBytes(data);
            requestStream.writeInt(13).writeByte(MessageIds.REQUEST).writeInt(i % PIECES).writeInt(i * BLOCK % (1 << 20))
                    .writeInt(BLOCK);
        }
    }

    @TearDown
    public void release() {
        releaseHeld();
        decoding.finishAndReleaseAll();
        encoding.finishAndReleaseAll();
        sending.finishAndReleaseAll();
        pieceStream.release();
        requestStream.release();
        block.release();
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public void decodePieces(Blackhole hole) {
        for (int offset = 0; offset < pieceStream.writerIndex(); offset += READ_SIZE) {
            int length = Math.min(READ_SIZE, pieceStream.writerIndex() - offset);
            decoding.writeInbound(pieceStream.retainedSlice(offset, length));
            drainInbound(hole);
        }
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public void decodePiecesHeld(Blackhole hole) {
        for (int offset = 0; offset < pieceStream.writerIndex(); offset += READ_SIZE) {
            int length = Math.min(READ_SIZE, pieceStream.writerIndex() - offset);
            decoding.writeInbound(pieceStream.retainedSlice(offset, length));
            releaseHeld();
            Object message;
            while ((message = decoding.readInbound()) != null) {
                hole.consume(message);
                held.add(message);
            }
        }
    }

    private void releaseHeld() {
        held.forEach(message -> ReferenceCountUtil.release(message instanceof PeerMessage.Piece piece ? piece.data() : message));
        held.clear();
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public void decodeRequests(Blackhole hole) {
        decoding.writeInbound(requestStream.retainedDuplicate());
        drainInbound(hole);
    }

    private void drainInbound(Blackhole hole) {
        Object message;
        while ((message = decoding.readInbound()) != null) {
            hole.consume(message);
            ReferenceCountUtil.release(message instanceof PeerMessage.Piece piece ? piece.data() : message);
        }
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public void encodeRequests(Blackhole hole) {
        for (int i = 0; i < MESSAGES; i++) {
            encoding.write(new PeerMessage.Request(i, i * BLOCK, BLOCK));
        }
        encoding.flush();
        drainOutbound(hole);
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public void encodePieces(Blackhole hole) {
        for (int i = 0; i < MESSAGES; i++) {
            encoding.write(new PeerMessage.Piece(i, 0, block.retainedDuplicate()));
        }
        encoding.flush();
        drainOutbound(hole);
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public void sendPieces(Blackhole hole) {
        for (int i = 0; i < MESSAGES; i++) {
            ChannelPromise written = sending.newPromise();
            written.addListener(f -> hole.consume(f.isSuccess()));
            sending.write(new PeerMessage.Piece(i, 0, block.retainedDuplicate()), written);
            if (i % 16 == 15) {
                sending.flush();
            }
        }
        drainOutbound(sending, hole);
        hole.consume(sent);
    }

    private void drainOutbound(Blackhole hole) {
        drainOutbound(encoding, hole);
    }

    private static void drainOutbound(EmbeddedChannel channel, Blackhole hole) {
        Object buffer;
        while ((buffer = channel.readOutbound()) != null) {
            hole.consume(buffer);
            ReferenceCountUtil.release(buffer);
        }
    }
}
