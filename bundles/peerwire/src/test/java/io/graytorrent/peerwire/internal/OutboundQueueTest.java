package io.graytorrent.peerwire.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.peerwire.PeerMessage;
import io.graytorrent.peerwire.codec.PeerMessageEncoder;
import io.graytorrent.testkit.Unit;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

@Unit
class OutboundQueueTest {
    /** Counts what reaches the socket end of the pipeline. */
    private static final class WireCounter extends ChannelOutboundHandlerAdapter {
        int writes;
        int flushes;

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            writes++;
            ctx.write(msg, promise);
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
            flushes++;
            ctx.flush();
        }
    }

    @Test
    void writesABurstInCallOrderWithOneFlush() {
        WireCounter counter = new WireCounter();
        EmbeddedChannel channel = new EmbeddedChannel(counter, PeerMessageEncoder.INSTANCE);
        OutboundQueue queue = new OutboundQueue(channel);
        for (int i = 0; i < 10; i++) {
            queue.add(new PeerMessage.Request(i, 0, 16384), channel.voidPromise(), 0);
        }
        assertEquals(0, counter.writes, "nothing written before the event loop runs the drain");
        channel.runPendingTasks();

        assertEquals(10, counter.writes);
        assertEquals(1, counter.flushes);
        for (int i = 0; i < 10; i++) {
            ByteBuf wire = channel.readOutbound();
            assertEquals(13, wire.readInt());
            assertEquals(6, wire.readByte());
            assertEquals(i, wire.readInt());
            wire.release();
        }
        channel.finishAndReleaseAll();
    }

    @Test
    void queuedBlocksCountAgainstTheHighWaterMarkUntilWritten() {
        EmbeddedChannel channel = new EmbeddedChannel(PeerMessageEncoder.INSTANCE);
        OutboundQueue queue = new OutboundQueue(channel);
        int mark = channel.config().getWriteBufferHighWaterMark();
        List<ByteBuf> blocks = new ArrayList<>();
        for (int queued = 0; queued < mark; queued += 16384) {
            ByteBuf block = Unpooled.buffer(16384).writeZero(16384);
            blocks.add(block);
            assertTrue(channel.isWritable());
            queue.add(new PeerMessage.Piece(0, 0, block), channel.newPromise(), 16384);
        }
        assertFalse(channel.isWritable());
        channel.runPendingTasks();
        assertTrue(channel.isWritable());
        channel.finishAndReleaseAll();
        assertTrue(blocks.stream().allMatch(block -> block.refCnt() == 0));
    }

    @Test
    void aClosedChannelFailsQueuedMessagesAndReleasesTheirBlocks() {
        EmbeddedChannel channel = new EmbeddedChannel(PeerMessageEncoder.INSTANCE);
        OutboundQueue queue = new OutboundQueue(channel);
        channel.close();
        ByteBuf block = Unpooled.buffer(16384).writeZero(16384);
        ChannelPromise written = channel.newPromise();
        queue.add(new PeerMessage.Piece(0, 0, block), written, 16384);
        channel.runPendingTasks();

        assertTrue(written.isDone());
        assertFalse(written.isSuccess());
        assertEquals(0, block.refCnt());
    }
}
