package io.graytorrent.peerwire.internal;

import io.graytorrent.peerwire.TransferStats;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Counts a connection's bytes. As the first handler of the pipeline it sees every byte on the
 * wire; the session adds PIECE payload as blocks arrive and leave.
 */
final class ConnectionStats extends ChannelDuplexHandler implements TransferStats {
    private final AtomicLong bytesDownloaded = new AtomicLong();
    private final AtomicLong bytesUploaded = new AtomicLong();
    private final AtomicLong payloadDownloaded = new AtomicLong();
    private final AtomicLong payloadUploaded = new AtomicLong();
    private final RateMeter downloadRate;
    private final RateMeter uploadRate;

    ConnectionStats(LongSupplier nanoClock) {
        downloadRate = new RateMeter(nanoClock);
        uploadRate = new RateMeter(nanoClock);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            bytesDownloaded.addAndGet(buf.readableBytes());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf buf) {
            bytesUploaded.addAndGet(buf.readableBytes());
        }
        ctx.write(msg, promise);
    }

    void addPayloadDownloaded(int bytes) {
        payloadDownloaded.addAndGet(bytes);
        downloadRate.add(bytes);
    }

    void addPayloadUploaded(int bytes) {
        payloadUploaded.addAndGet(bytes);
        uploadRate.add(bytes);
    }

    @Override
    public long bytesDownloaded() {
        return bytesDownloaded.get();
    }

    @Override
    public long bytesUploaded() {
        return bytesUploaded.get();
    }

    @Override
    public long payloadDownloaded() {
        return payloadDownloaded.get();
    }

    @Override
    public long payloadUploaded() {
        return payloadUploaded.get();
    }

    @Override
    public long downloadRate() {
        return downloadRate.perSecond();
    }

    @Override
    public long uploadRate() {
        return uploadRate.perSecond();
    }
}
