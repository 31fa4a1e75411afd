package io.graytorrent.utp.internal.channel;

import io.graytorrent.utp.internal.packet.UtpPacket;
import io.graytorrent.utp.internal.protocol.UtpConnection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.AbstractChannel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Netty channel over one {@link UtpConnection}, so the peer wire's pipeline runs over uTP as over
 * a TCP socket: bytes written are packed into packets as the window allows (what does not fit waits
 * in the outbound buffer, which makes the channel unwritable past its watermark), bytes received are
 * read as {@link ByteBuf}s when reading is on (off, the receive buffer fills and the advertised
 * window closes: back-pressure reaches the peer). Everything runs on the channel's event loop:
 * the datagram handler hands packets over with {@link #deliver}.
 *
 * <p>Closing the channel closes the uTP connection in order (data written, then FIN); the
 * connection outlives the channel until the peer acks, and leaves the {@link UtpMultiplexer} then.
 */
final class UtpChannel extends AbstractChannel {
    private static final Logger LOG = LoggerFactory.getLogger(UtpChannel.class);
    private static final ChannelMetadata METADATA = new ChannelMetadata(false);
    private static final long TICK_MILLIS = 20;
    /** Packets received and not yet processed, at most: a connection's share of a socket buffer. */
    private static final int INBOX_LIMIT = 1024;

    private final UtpMultiplexer owner;
    private final InetSocketAddress local;
    private final InetSocketAddress remote;
    private final ChannelConfig config;
    private final CompletableFuture<UtpChannel> connected = new CompletableFuture<>();
    private UtpConnection connection;
    /** The loop the connection runs on, kept past the channel's close (which deregisters it) while the connection lingers. */
    private volatile EventLoop loop;
    private ScheduledFuture<?> ticker;
    private boolean open = true;
    private boolean active;
    private boolean readPending;
    private final Queue<UtpPacket> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicBoolean draining = new AtomicBoolean();

    UtpChannel(UtpMultiplexer owner, InetSocketAddress local, InetSocketAddress remote) {
        super(null);
        this.owner = owner;
        this.local = local;
        this.remote = remote;
        this.config = new DefaultChannelConfig(this) {
            @Override
            protected void autoReadCleared() {
                readPending = false;
            }
        };
        config.setAutoRead(false);
    }

    /** Starts the connection on the event loop: {@code open} makes it (connect or accept) with this channel's events. */
    void start(java.util.function.Function<UtpConnection.Events, UtpConnection> open) {
        connection = open.apply(new Events());
        loop = eventLoop();
        ticker = loop.scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        if (connection.state() == UtpConnection.State.CONNECTED) {
            active = true;
            connected.complete(this);
        }
    }

    /** Completes once the peer answered the SYN; fails when the connection ends first. */
    CompletableFuture<UtpChannel> connected() {
        return connected;
    }

    UtpConnection connection() {
        return connection;
    }

    /**
     * A packet for this connection, from any thread; dropped while the connection is being set up
     * (the peer sends again), or while {@link #INBOX_LIMIT} wait (as a full socket buffer would).
     * Packets wait in the inbox and one task on the loop takes all that are there, so a burst costs
     * one wake-up of the loop, not one a packet.
     */
    void deliver(UtpPacket packet) {
        EventLoop running = loop;
        if (running == null || waiting.get() >= INBOX_LIMIT) {
            return;
        }
        waiting.incrementAndGet();
        inbox.add(packet);
        if (draining.compareAndSet(false, true)) {
            running.execute(this::drainInbox);
        }
    }

    private void drainInbox() {
        // cleared first: a packet added after the last poll below schedules the next drain
        draining.set(false);
        for (UtpPacket packet = inbox.poll(); packet != null; packet = inbox.poll()) {
            waiting.decrementAndGet();
            connection.onPacket(packet);
        }
        // the ack waited for the rest of the burst and goes out once
        connection.flushAck();
    }

    /** Resets the connection (from any thread), if it started. */
    void reset(String reason) {
        EventLoop running = loop;
        if (running != null) {
            running.execute(() -> connection.reset(reason));
        }
    }

    private void tick() {
        connection.tick();
    }

    private final class Events implements UtpConnection.Events {
        @Override
        public void connected() {
            active = true;
            connected.complete(UtpChannel.this);
        }

        @Override
        public void readable() {
            if (readPending) {
                loop.execute(UtpChannel.this::readNow);
            }
        }

        @Override
        public void writable() {
            loop.execute(() -> ((UtpUnsafe) unsafe()).flushAgain());
        }

        @Override
        public void closed(String reason, boolean error) {
            LOG.debug("uTP connection with {} ended: {}; {}", remote, reason, connection.lossStatistics());
            ticker.cancel(false);
            owner.remove(UtpChannel.this);
            connected.completeExceptionally(new IOException(reason));
            if (open) {
                unsafe().close(voidPromise());
            }
        }
    }

    /** Hands received bytes to the pipeline while reading is asked for; the end of the peer's stream closes. */
    private void readNow() {
        if (!readPending || !open) {
            return;
        }
        boolean any = false;
        for (byte[] chunk = connection.read(); chunk != null; chunk = connection.read()) {
            any = true;
            if (!config.isAutoRead()) {
                readPending = false;
            }
            pipeline().fireChannelRead(Unpooled.wrappedBuffer(chunk));
            if (!readPending) {
                break;
            }
        }
        if (any) {
            pipeline().fireChannelReadComplete();
        }
        if (connection.endOfStream() && open) {
            unsafe().close(voidPromise());
        }
    }

    @Override
    protected AbstractUnsafe newUnsafe() {
        return new UtpUnsafe();
    }

    private final class UtpUnsafe extends AbstractUnsafe {
        @Override
        public void connect(SocketAddress remoteAddress, SocketAddress localAddress, ChannelPromise promise) {
            promise.setFailure(new UnsupportedOperationException("a uTP channel is made connected"));
        }

        /** Writes what waits in the outbound buffer, now that the connection takes bytes again. */
        void flushAgain() {
            flush0();
        }
    }

    @Override
    protected boolean isCompatible(EventLoop loop) {
        return loop instanceof DefaultEventLoop;
    }

    @Override
    protected SocketAddress localAddress0() {
        return local;
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return remote;
    }

    @Override
    protected void doBind(SocketAddress localAddress) {
        throw new UnsupportedOperationException("a uTP channel is bound by the shared UDP socket");
    }

    @Override
    protected void doDisconnect() {
        doClose();
    }

    @Override
    protected void doClose() {
        open = false;
        active = false;
        if (connection != null) {
            connection.close();
        }
    }

    @Override
    protected void doBeginRead() {
        readPending = true;
        eventLoop().execute(this::readNow);
    }

    @Override
    protected void doWrite(ChannelOutboundBuffer in) {
        while (true) {
            Object message = in.current();
            if (message == null) {
                return;
            }
            ByteBuf buf = (ByteBuf) message;
            if (!buf.isReadable()) {
                in.remove();
                continue;
            }
            ByteBuffer bytes = buf.nioBuffer();
            int written = connection.write(bytes);
            in.removeBytes(written);
            if (bytes.hasRemaining()) {
                return; // the send buffer is full: Events.writable flushes the rest
            }
        }
    }

    @Override
    protected Object filterOutboundMessage(Object msg) {
        if (msg instanceof ByteBuf) {
            return msg;
        }
        throw new UnsupportedOperationException("a uTP channel writes ByteBufs, not " + msg.getClass().getName());
    }

    @Override
    public ChannelConfig config() {
        return config;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public boolean isActive() {
        return open && active;
    }

    @Override
    public ChannelMetadata metadata() {
        return METADATA;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }
}
