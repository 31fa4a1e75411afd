package io.graytorrent.peerwire.internal;

import io.graytorrent.peerwire.PeerMessage;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import java.nio.channels.ClosedChannelException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Write coalescing for one connection. Every send, from any thread and from the event loop itself,
 * is appended here; one task on the event loop then writes everything queued and flushes once. A
 * burst of blocks from the disk or of REQUESTs from the picker so leaves in as few gathering writes
 * as the socket takes, with one task and one flush per burst instead of one of each per message.
 * Queued block bytes count towards the channel's writability (a user-defined writability bit) with
 * the bytes already in its outbound buffer, as Netty counts the writes it queues itself, so
 * {@code isWritable()} and its events cover them.
 */
final class OutboundQueue implements Runnable {
    /** Ours among the user-defined writability bits, which Netty numbers 1..31. */
    private static final int QUEUE_WRITABILITY = 1;

    private record Pending(PeerMessage message, ChannelPromise promise, int blockBytes) {
    }

    private final Channel channel;
    private final Queue<Pending> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    /** Block bytes queued here and not yet handed to the channel. */
    private final AtomicLong queuedBlockBytes = new AtomicLong();

    OutboundQueue(Channel channel) {
        this.channel = channel;
    }

    /**
     * Queues a message in call order. {@code promise} completes once it is written or failed;
     * {@code blockBytes} is its payload, counted against the write high-water mark.
     */
    void add(PeerMessage message, ChannelPromise promise, int blockBytes) {
        long queued = queuedBlockBytes.addAndGet(blockBytes);
        ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
        if (blockBytes > 0 && buffer != null && buffer.getUserDefinedWritability(QUEUE_WRITABILITY)
                && queued + buffer.totalPendingWriteBytes() >= highWaterMark()) {
            buffer.setUserDefinedWritability(QUEUE_WRITABILITY, false);
        }
        pending.add(new Pending(message, promise, blockBytes));
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                channel.eventLoop().execute(this);
            } catch (RejectedExecutionException stopped) {
                failAll(stopped); // the peer wire is shutting down: nothing will be written any more
                drainScheduled.set(false);
            }
        }
    }

    private int highWaterMark() {
        return channel.config().getWriteBufferHighWaterMark();
    }

    /** On the event loop: writes all that is queued, then flushes once. */
    @Override
    public void run() {
        drainScheduled.set(false); // before draining: a send racing with the drain schedules the next one
        if (!channel.isOpen()) {
            // a closed channel's pipeline may already be torn down, encoder included: a block
            // written there would never be released
            failAll(new ClosedChannelException());
            return;
        }
        boolean wrote = false;
        for (Pending next = pending.poll(); next != null; next = pending.poll()) {
            queuedBlockBytes.addAndGet(-next.blockBytes());
            channel.write(next.message(), next.promise());
            wrote = true;
        }
        if (wrote) {
            // the drained bytes now count in the channel's own writability (a racing add whose bit
            // this clears is counted there once the drain it scheduled has run)
            ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
            if (buffer != null) {
                buffer.setUserDefinedWritability(QUEUE_WRITABILITY, true);
            }
            channel.flush();
        }
    }

    private void failAll(Exception cause) {
        for (Pending next = pending.poll(); next != null; next = pending.poll()) {
            queuedBlockBytes.addAndGet(-next.blockBytes());
            if (next.message() instanceof PeerMessage.Piece piece) {
                piece.data().release();
            }
            next.promise().tryFailure(cause);
        }
    }
}
