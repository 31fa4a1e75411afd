package io.graytorrent.utp.internal.channel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.testkit.Unit;
import io.graytorrent.utp.internal.protocol.UtpSettings;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.DefaultEventLoopGroup;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two multiplexers joined without sockets: channels connect, carry bytes both ways as streams, and close. */
@Unit
class UtpChannelTest {
    private static final InetSocketAddress A = new InetSocketAddress("127.0.0.1", 1001);
    private static final InetSocketAddress B = new InetSocketAddress("127.0.0.1", 1002);

    private final DefaultEventLoopGroup loops = new DefaultEventLoopGroup(2);
    private final CompletableFuture<Channel> acceptedAtB = new CompletableFuture<>();
    private UtpMultiplexer a;
    private UtpMultiplexer b;

    @AfterEach
    void stop() {
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    private void join(int maxConnections) {
        a = new UtpMultiplexer(UtpSettings.DEFAULTS, maxConnections, loops, (to, d) -> {
            b.onDatagram(A, copy(d));
            return true;
        }, A, (ch, from) -> { });
        b = new UtpMultiplexer(UtpSettings.DEFAULTS, maxConnections, loops, (to, d) -> {
            a.onDatagram(B, copy(d));
            return true;
        }, B, (ch, from) -> acceptedAtB.complete(ch));
    }

    private static ByteBuffer copy(ByteBuffer d) {
        ByteBuffer c = ByteBuffer.allocate(d.remaining());
        c.put(d.duplicate()).flip();
        return c;
    }

    /** Collects what a channel reads; completes when it closes. */
    private static final class Collector extends ChannelInboundHandlerAdapter {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final CompletableFuture<byte[]> closed = new CompletableFuture<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            byte[] chunk = new byte[buf.readableBytes()];
            buf.readBytes(chunk);
            buf.release();
            bytes.writeBytes(chunk);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            closed.complete(bytes.toByteArray());
        }
    }

    @Test
    void carriesAStreamAndClosesInOrder() throws Exception {
        join(10);
        Channel outgoing = a.connect(B).get(5, TimeUnit.SECONDS);
        Channel incoming = acceptedAtB.get(5, TimeUnit.SECONDS);
        assertTrue(outgoing.isActive() && incoming.isActive());
        assertFalse(outgoing.config().isAutoRead(), "handed over with reading off, as PeerTransport says");
        assertEquals(B, outgoing.remoteAddress());
        assertEquals(A, incoming.remoteAddress());

        Collector atB = new Collector();
        incoming.pipeline().addLast(atB);
        incoming.config().setAutoRead(true);
        byte[] payload = new byte[3 << 20];
        new Random(1).nextBytes(payload);
        for (int i = 0; i < payload.length; i += 16 << 10) {
            outgoing.write(Unpooled.wrappedBuffer(payload, i, Math.min(16 << 10, payload.length - i)));
        }
        outgoing.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(written -> outgoing.close());
        try {
            long start = System.nanoTime();
            assertArrayEquals(payload, atB.closed.get(20, TimeUnit.SECONDS), "every byte, in order, then the end");
            System.out.printf("3 MiB between two multiplexers in %d ms; sender: %s%n",
                    (System.nanoTime() - start) / 1_000_000, ((UtpChannel) outgoing).connection().lossStatistics());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("only " + atB.bytes.size() + " bytes arrived; " + ((UtpChannel) outgoing).connection()
                    + " in flight " + ((UtpChannel) outgoing).connection().bytesInFlight() + " cwnd "
                    + ((UtpChannel) outgoing).connection().congestionWindow() + "; " + ((UtpChannel) incoming).connection(), e);
        }
    }

    @Test
    void synsPastTheLimitAreDropped() throws Exception {
        join(1);
        a.connect(B).get(5, TimeUnit.SECONDS);
        assertEquals(1, b.connections());
        CompletableFuture<Channel> second = new UtpMultiplexer(UtpSettings.DEFAULTS, 5, loops, (to, d) -> {
            b.onDatagram(new InetSocketAddress("127.0.0.1", 1003), copy(d));
            return true;
        }, A, (ch, from) -> { }).connect(B);
        Thread.sleep(300);
        assertFalse(second.isDone(), "no answer past the limit");
        assertEquals(1, b.refused());
        assertEquals(1, b.connections());
    }
}
