package io.graytorrent.utp.internal.channel;

import io.graytorrent.utp.internal.packet.MalformedPacketException;
import io.graytorrent.utp.internal.packet.PacketType;
import io.graytorrent.utp.internal.packet.UtpPacket;
import io.graytorrent.utp.internal.packet.UtpPacketCodec;
import io.graytorrent.utp.internal.protocol.UtpConnection;
import io.graytorrent.utp.internal.protocol.UtpSettings;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The uTP connections on one UDP socket, told apart by the peer's address and the connection id
 * packets to us carry. Incoming datagrams, on the socket's event loop, are decoded (the payload
 * copied out of the socket's buffer) and go to their channel's event loop; a SYN of no connection makes one and hands it to {@code accepted}; a packet of no
 * connection gets a RESET (never a RESET for a RESET). At most {@code maxConnections} exist, both
 * directions, lingering ones included: past that a SYN is dropped, which bounds a SYN flood.
 */
public final class UtpMultiplexer {
    private static final Logger LOG = LoggerFactory.getLogger(UtpMultiplexer.class);
    private static final LongSupplier CLOCK = () -> System.nanoTime() / 1000;

    /** Sends a datagram to a peer: the shared socket's send. */
    public interface Sender {
        boolean send(InetSocketAddress to, ByteBuffer datagram);
    }

    private record Key(InetSocketAddress remote, int receiveId) {
    }

    private final UtpSettings settings;
    private final int maxConnections;
    private final EventLoopGroup loops;
    private final Sender sender;
    private final InetSocketAddress local;
    private final BiConsumer<Channel, InetSocketAddress> accepted;
    private final Map<Key, UtpChannel> connections = new ConcurrentHashMap<>();
    private volatile long malformed;
    private volatile long refused;

    public UtpMultiplexer(UtpSettings settings, int maxConnections, EventLoopGroup loops, Sender sender,
            InetSocketAddress local, BiConsumer<Channel, InetSocketAddress> accepted) {
        this.settings = settings;
        this.maxConnections = maxConnections;
        this.loops = loops;
        this.sender = sender;
        this.local = local;
        this.accepted = accepted;
    }

    /** One datagram from {@code from}, valid during the call only; on the socket's event loop, so it never blocks. */
    public void onDatagram(InetSocketAddress from, ByteBuffer datagram) {
        UtpPacket packet;
        try {
            packet = UtpPacketCodec.decode(datagram);
        } catch (MalformedPacketException e) {
            malformed++;
            return;
        }
        int receiveId = packet.type() == PacketType.SYN ? (packet.connectionId() + 1) & 0xffff : packet.connectionId();
        UtpChannel channel = connections.get(new Key(from, receiveId));
        if (channel != null) {
            channel.deliver(packet);
        } else if (packet.type() == PacketType.SYN) {
            accept(from, packet);
        } else if (packet.type() != PacketType.RESET) {
            send(from, new UtpPacket(PacketType.RESET, packet.connectionId(), CLOCK.getAsLong() & 0xffffffffL, 0, 0,
                    ThreadLocalRandom.current().nextInt(1 << 16), packet.seq(), null, new byte[0]));
        }
    }

    private void accept(InetSocketAddress from, UtpPacket syn) {
        if (connections.size() >= maxConnections) {
            refused++;
            return;
        }
        UtpChannel channel = new UtpChannel(this, local, from);
        Key key = new Key(from, (syn.connectionId() + 1) & 0xffff);
        if (connections.putIfAbsent(key, channel) != null) {
            return;
        }
        loops.register(channel).addListener(registered -> {
            if (!registered.isSuccess()) {
                connections.remove(key, channel);
                return;
            }
            channel.start(events -> UtpConnection.accept(settings, CLOCK, outlet(from), events, syn,
                    ThreadLocalRandom.current().nextInt(1 << 16)));
            accepted.accept(channel, from);
        });
    }

    /** Dials {@code to}; completes with a connected channel, auto-read off, once the peer answers. */
    public CompletableFuture<Channel> connect(InetSocketAddress to) {
        if (connections.size() >= maxConnections) {
            return CompletableFuture.failedFuture(
                    new java.io.IOException("uTP connection limit of " + maxConnections + " reached"));
        }
        UtpChannel channel = new UtpChannel(this, local, to);
        int receiveId;
        do {
            receiveId = ThreadLocalRandom.current().nextInt(1 << 16);
        } while (connections.putIfAbsent(new Key(to, receiveId), channel) != null);
        int id = receiveId;
        CompletableFuture<Channel> result = new CompletableFuture<>();
        loops.register(channel).addListener(registered -> {
            if (!registered.isSuccess()) {
                connections.remove(new Key(to, id), channel);
                result.completeExceptionally(registered.cause());
                return;
            }
            channel.start(events -> UtpConnection.connect(settings, CLOCK, outlet(to), events, id));
            channel.connected().whenComplete((ok, failure) -> {
                if (failure != null) {
                    result.completeExceptionally(failure);
                } else if (!result.complete(channel)) {
                    channel.close(); // the peer wire gave up waiting
                }
            });
        });
        result.whenComplete((ok, failure) -> {
            if (failure != null) {
                channel.reset("connect abandoned");
            }
        });
        return result;
    }

    private void send(InetSocketAddress to, UtpPacket packet) {
        sender.send(to, UtpPacketCodec.encode(packet));
    }

    /**
     * A connection's way out: its packets are encoded into one buffer of its own (the sender copies
     * them; the connection runs on one thread), a direct one, so the socket's send copies no more.
     */
    private UtpConnection.Outlet outlet(InetSocketAddress to) {
        ByteBuffer scratch = ByteBuffer.allocateDirect(settings.packetSize() + UtpPacketCodec.MAX_EXTENSION_LENGTH);
        return packet -> {
            scratch.clear();
            UtpPacketCodec.encode(packet, scratch);
            sender.send(to, scratch.flip());
        };
    }

    /** A connection ended: it leaves the table. */
    void remove(UtpChannel channel) {
        connections.values().remove(channel);
    }

    /** Connections open or lingering. */
    public int connections() {
        return connections.size();
    }

    /** Datagrams that were not uTP packets we could read. */
    public long malformed() {
        return malformed;
    }

    /** SYNs dropped at the connection limit. */
    public long refused() {
        return refused;
    }

    /** Resets every connection (the plugin is stopping). */
    public void close() {
        for (UtpChannel channel : connections.values()) {
            channel.reset("uTP stopped");
        }
        LOG.debug("uTP closed with {} connections", connections.size());
    }
}
