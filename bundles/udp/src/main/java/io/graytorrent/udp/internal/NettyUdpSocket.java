package io.graytorrent.udp.internal;

import io.graytorrent.udp.DatagramHandler;
import io.graytorrent.udp.DatagramKind;
import io.graytorrent.udp.DatagramStats;
import io.graytorrent.udp.UdpSocket;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared socket on Netty's NIO datagram channel, one event loop thread. That thread only
 * classifies each datagram and offers it to its handlers: a copy into each one's queue
 * ({@link HandlerQueue}), or a view of the receive buffer to one that runs on this thread
 * ({@link OnSocketThread}).
 *
 * <p>Sending goes straight to the socket from the caller's thread (the JDK's datagram channel sends
 * from any thread): a uTP transfer sends a datagram every 1.4 KB, and a hop to the event loop for
 * each (a buffer copy, a task, a wake-up of the loop) cost more than the send itself. Only when the
 * socket's send buffer is full does a datagram wait in Netty's bounded outgoing queue.
 */
public final class NettyUdpSocket implements UdpSocket {
    private static final Logger LOG = LoggerFactory.getLogger(NettyUdpSocket.class);
    private static final int SOCKET_BUFFER = 1 << 20;

    private final UdpSocketSettings settings;
    private final EventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("graytorrent-udp", true));
    private final Channel channel;
    /** The JDK channel under {@link #channel}, sent on directly. */
    private final DatagramChannel socket;
    private final InetSocketAddress localAddress;
    private final Map<DatagramKind, KindCounters> counters = new EnumMap<>(DatagramKind.class);
    private final Map<DatagramKind, List<HandlerDelivery>> handlers = new EnumMap<>(DatagramKind.class);
    private final LongAdder unclassified = new LongAdder();
    private final AtomicInteger sending = new AtomicInteger();
    private final AtomicInteger handlerNumber = new AtomicInteger();
    /** Why datagrams of a kind are not sent now, if they are not: the network route's rule (a proxy). */
    private volatile Function<DatagramKind, Optional<String>> refusal = kind -> Optional.empty();
    /** Kinds refused since their warning was logged, so it is logged once per spell. */
    private final Set<DatagramKind> refusedKinds = ConcurrentHashMap.newKeySet();

    private NettyUdpSocket(InetSocketAddress bind, UdpSocketSettings settings) throws IOException {
        this.settings = settings;
        for (DatagramKind kind : DatagramKind.values()) {
            counters.put(kind, new KindCounters());
            handlers.put(kind, new CopyOnWriteArrayList<>());
        }
        // one byte more than we take, so a longer datagram shows itself instead of arriving cut short
        socket = DatagramChannel.open();
        // room for a burst of a few hundred full uTP packets both ways (the kernel caps it at its rmem_max and wmem_max)
        socket.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER);
        socket.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER);
        Bootstrap bootstrap = new Bootstrap().group(group).channelFactory(() -> new NioDatagramChannel(socket))
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(settings.maxDatagram() + 1))
                .handler(new Dispatcher());
        ChannelFuture bound = bootstrap.bind(bind).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            socket.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IOException("cannot bind the UDP socket to " + bind + ": " + bound.cause().getMessage(),
                    bound.cause());
        }
        channel = bound.channel();
        localAddress = (InetSocketAddress) channel.localAddress();
        LOG.info("UDP socket for the DHT and uTP on {}", localAddress);
    }

    /** Binds {@code bind} (the wildcard address: both families where the system has IPv6). */
    public static NettyUdpSocket bind(InetSocketAddress bind, UdpSocketSettings settings) throws IOException {
        return new NettyUdpSocket(bind, settings);
    }

    /** From now on {@code handler} gets the datagrams of its kind. */
    public void addHandler(DatagramHandler handler) {
        DatagramKind kind = handler.kind();
        String thread = "graytorrent-udp-" + kind.name().toLowerCase() + "-" + handlerNumber.incrementAndGet();
        handlers.get(kind).add(HandlerDelivery.of(handler, settings.handlerQueueLength(), thread));
    }

    /** {@code handler} gets nothing more; what was queued for it is dropped. */
    public void removeHandler(DatagramHandler handler) {
        for (List<HandlerDelivery> ofKind : handlers.values()) {
            for (HandlerDelivery delivery : ofKind) {
                if (delivery.handler() == handler) {
                    ofKind.remove(delivery);
                    delivery.close();
                }
            }
        }
    }

    /**
     * Datagrams of a kind that {@code rule} gives a reason for are dropped (counted as send drops) and
     * the reason logged: a SOCKS5 proxy in the network route keeps UDP from leaving beside it.
     */
    public void refuse(Function<DatagramKind, Optional<String>> rule) {
        refusal = rule;
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public boolean supports(ProtocolFamily family) {
        InetAddress bound = localAddress.getAddress();
        if (bound instanceof Inet6Address && bound.isAnyLocalAddress()) {
            return family == StandardProtocolFamily.INET || family == StandardProtocolFamily.INET6;
        }
        return family == (bound instanceof Inet4Address ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
    }

    @Override
    public boolean send(InetSocketAddress to, ByteBuffer datagram) {
        DatagramKind kind = DatagramClassifier.classify(datagram);
        if (kind == null) {
            throw new IllegalArgumentException("neither a KRPC message nor a uTP packet: not sent on the shared socket");
        }
        KindCounters count = counters.get(kind);
        Optional<String> refused = refusal.apply(kind);
        if (refused.isPresent()) {
            count.sendDropped.increment();
            if (refusedKinds.add(kind)) {
                LOG.warn("{} {}", kind == DatagramKind.KRPC ? "the DHT is" : "uTP is", refused.get());
            }
            return false;
        }
        refusedKinds.remove(kind);
        boolean reachable = !to.isUnresolved() && supports(to.getAddress() instanceof Inet4Address
                ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
        if (!reachable) {
            count.sendDropped.increment();
            return false;
        }
        if (sending.get() == 0 && sendNow(to, datagram)) {
            count.sent.increment();
            return true;
        }
        if (sending.incrementAndGet() > settings.sendQueueLength()) {
            sending.decrementAndGet();
            count.sendDropped.increment();
            return false;
        }
        ByteBuf copy = Unpooled.copiedBuffer(datagram.duplicate());
        channel.writeAndFlush(new DatagramPacket(copy, to)).addListener(written -> {
            sending.decrementAndGet();
            (written.isSuccess() ? count.sent : count.sendDropped).increment();
        });
        return true;
    }

    /**
     * Sends on the socket from this thread, unless datagrams wait in the outgoing queue (they go
     * first) or the socket's send buffer is full; false then, and the datagram is to be queued.
     */
    private boolean sendNow(InetSocketAddress to, ByteBuffer datagram) {
        try {
            return socket.send(datagram.duplicate(), to) > 0;
        } catch (IOException e) {
            return false; // the queued send reports it as a drop
        }
    }

    @Override
    public DatagramStats stats(DatagramKind kind) {
        return counters.get(kind).snapshot();
    }

    @Override
    public long unclassified() {
        return unclassified.sum();
    }

    /** Datagrams waiting in the queues of {@code kind}'s handlers. */
    int queued(DatagramKind kind) {
        return handlers.get(kind).stream().mapToInt(HandlerDelivery::queued).sum();
    }

    /** Stops the socket and every handler's delivery. */
    public void close() {
        channel.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        handlers.values().forEach(ofKind -> {
            ofKind.forEach(HandlerDelivery::close);
            ofKind.clear();
        });
    }

    /** On the event loop: classify, count, offer to each handler. */
    private final class Dispatcher extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            ByteBuf content = packet.content();
            ByteBuffer view = content.nioBuffer();
            DatagramKind kind = content.readableBytes() > settings.maxDatagram() ? null : DatagramClassifier.classify(view);
            if (kind == null) {
                unclassified.increment();
                return;
            }
            KindCounters count = counters.get(kind);
            count.received.increment();
            List<HandlerDelivery> ofKind = handlers.get(kind);
            if (ofKind.isEmpty()) {
                count.receiveDropped.increment();
            }
            for (HandlerDelivery delivery : ofKind) {
                if (!delivery.offer(packet.sender(), view.duplicate())) {
                    count.receiveDropped.increment();
                }
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // e.g. an ICMP port unreachable reported on a later read: UDP carries on
            LOG.debug("UDP socket: {}", cause.toString());
        }
    }
}
