package io.graytorrent.pex.internal;

import io.graytorrent.api.InfoHash;
import io.graytorrent.api.RunningTorrent;
import io.graytorrent.peerwire.CloseReason;
import io.graytorrent.peerwire.EncryptionPolicy;
import io.graytorrent.peerwire.ExtensionHandshake;
import io.graytorrent.peerwire.ExtensionRegistry;
import io.graytorrent.peerwire.PeerConnection;
import io.graytorrent.peerwire.PeerListener;
import io.graytorrent.peerwire.PeerMessage;
import io.graytorrent.peerwire.PeerTransport;
import io.graytorrent.peerwire.PeerWireSettings;
import io.graytorrent.peerwire.TorrentEndpoint;
import io.graytorrent.peerwire.TorrentLookup;
import io.graytorrent.peerwire.internal.NettyPeerWire;
import io.graytorrent.peerwire.internal.TransportRegistry;
import io.graytorrent.utp.internal.channel.UtpMultiplexer;
import io.graytorrent.utp.internal.protocol.UtpSettings;
import io.netty.channel.Channel;
import io.netty.channel.DefaultEventLoopGroup;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One engine's network side for the holepunch tests: a real peer wire on a loopback address, real
 * uTP on a UDP socket at its listen port (behind a {@link UdpFirewall}), PEX and the holepunch
 * extension for one torrent, with what they did recorded for the test to check. PEX is sent when the
 * test calls {@code exchange.tick()}. Plaintext only.
 */
final class HolepunchNode implements PeerListener, AutoCloseable {
    static final String UTP = "utp";
    final NettyPeerWire wire;
    final PeerExchange exchange;
    final InetSocketAddress listen;
    final UdpFirewall firewall = new UdpFirewall();
    /** The candidates PEX messages named. */
    final List<InetSocketAddress> found = new CopyOnWriteArrayList<>();
    /** Where holepunch connect messages had us dial over uTP. */
    final List<InetSocketAddress> toldToDial = new CopyOnWriteArrayList<>();
    final List<PeerConnection> connected = new CopyOnWriteArrayList<>();
    final Set<PeerConnection> extended = ConcurrentHashMap.newKeySet();
    /** Which remote addresses the node's connections are accepted from (both transports). */
    volatile Predicate<InetSocketAddress> admits = remote -> true;

    private final InfoHash torrent;
    private final int pieces;
    private final Deque<AutoCloseable> toClose = new ArrayDeque<>();

    /** Dialling over {@code transports} in that order; all nodes accept both TCP and uTP. */
    HolepunchNode(String ip, InfoHash torrent, int pieces, List<String> transports) throws Exception {
        this.torrent = torrent;
        this.pieces = pieces;
        ExtensionRegistry extensions = new ExtensionRegistry();
        TransportRegistry transportRegistry = new TransportRegistry();
        Utp utp = new Utp();
        transportRegistry.register(utp);
        TorrentEndpoint endpoint = endpoint();
        TorrentLookup lookup = new TorrentLookup() {
            @Override
            public Optional<TorrentEndpoint> find(InfoHash infoHash) {
                return infoHash.equals(torrent) ? Optional.of(endpoint) : Optional.empty();
            }

            @Override
            public boolean admits(InetSocketAddress remote) {
                return admits.test(remote);
            }
        };
        PeerWireSettings settings = new PeerWireSettings(ip, 0, 0, Duration.ofSeconds(2), Duration.ofSeconds(5),
                Duration.ofSeconds(150), Duration.ofSeconds(90), 8, 65536, 250, "holepunch-test", 1)
                .withEncryption(EncryptionPolicy.DISABLED).withTransports(transports);
        wire = NettyPeerWire.start(settings, lookup, extensions, transportRegistry);
        toClose.addFirst(wire);
        listen = wire.listenAddress();
        utp.start();
        exchange = new PeerExchange(System::currentTimeMillis, listen::equals);
        exchange.start(new RunningTorrent(torrent, false, listen.getPort(), false), found::add);
        extensions.register(exchange);
        extensions.register(new Holepunch(System::currentTimeMillis, listen::equals, exchange::toldBy,
                (infoHash, address) -> {
                    toldToDial.add(address);
                    wire.connect(address, infoHash, UTP);
                }));
    }

    private TorrentEndpoint endpoint() {
        return new TorrentEndpoint(torrent, pieces, this);
    }

    CompletableFuture<PeerConnection> dial(InetSocketAddress address) {
        return wire.connect(address, endpoint());
    }

    CompletableFuture<PeerConnection> dial(HolepunchNode other) {
        return dial(other.listen);
    }

    /** An open uTP connection with the peer at {@code ip}, either way. */
    boolean connectedOverUtpTo(InetAddress ip) {
        return connected.stream().anyMatch(peer -> peer.isOpen() && peer.transport().equals(UTP)
                && peer.remoteAddress().getAddress().equals(ip));
    }

    boolean connectedOverUtpTo(HolepunchNode other) {
        return connectedOverUtpTo(other.listen.getAddress());
    }

    @Override
    public void onConnected(PeerConnection peer) {
        connected.add(peer);
    }

    @Override
    public void onMessage(PeerConnection peer, PeerMessage message) {
    }

    @Override
    public void onExtensionHandshake(PeerConnection peer, ExtensionHandshake handshake) {
        extended.add(peer);
    }

    @Override
    public void onClosed(PeerConnection peer, CloseReason reason) {
        connected.remove(peer);
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
    }

    /** uTP on a UDP socket bound to the listen address, through the firewall, read by a thread of its own. */
    private final class Utp implements PeerTransport {
        private volatile UtpMultiplexer multiplexer;

        void start() throws IOException {
            DatagramChannel socket = DatagramChannel.open(StandardProtocolFamily.INET).bind(listen);
            DefaultEventLoopGroup loops = new DefaultEventLoopGroup(1);
            multiplexer = new UtpMultiplexer(UtpSettings.DEFAULTS, 64, loops, (to, datagram) -> {
                if (!firewall.passesOut(to)) {
                    return true; // lost on the way, as far as the sender can tell
                }
                try {
                    socket.send(datagram, to);
                    return true;
                } catch (IOException e) {
                    return false;
                }
            }, listen, (Channel channel, InetSocketAddress remote) -> wire.accept(this, channel, remote));
            Thread reader = new Thread(() -> {
                ByteBuffer buffer = ByteBuffer.allocate(65536);
                while (socket.isOpen()) {
                    try {
                        buffer.clear();
                        InetSocketAddress from = (InetSocketAddress) socket.receive(buffer);
                        buffer.flip();
                        if (firewall.passesIn(from)) {
                            multiplexer.onDatagram(from, buffer);
                        }
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "utp-reader-" + listen);
            reader.setDaemon(true);
            reader.start();
            toClose.addLast(() -> {
                multiplexer.close();
                socket.close();
                reader.join(5000);
                loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
            });
        }

        @Override
        public String name() {
            return UTP;
        }

        @Override
        public CompletableFuture<Channel> connect(InetSocketAddress address) {
            return multiplexer.connect(address);
        }
    }
}
