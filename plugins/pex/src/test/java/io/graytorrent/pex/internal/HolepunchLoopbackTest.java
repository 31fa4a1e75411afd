package io.graytorrent.pex.internal;

import static org.junit.jupiter.api.Assertions.assertThrows;

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
import io.graytorrent.testkit.Await;
import io.graytorrent.testkit.Slow;
import io.graytorrent.utp.internal.channel.UtpMultiplexer;
import io.graytorrent.utp.internal.protocol.UtpSettings;
import io.netty.channel.Channel;
import io.netty.channel.DefaultEventLoopGroup;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * BEP 55 end to end between three real peer wires on loopback, each with a real uTP transport on a
 * UDP socket at its listen port, PEX and the holepunch extension: the target, once connected to the
 * relay, accepts connections only from the initiator's listen address, which only its uTP sends from
 * (its TCP dials leave from other ports), so it refuses the initiator's TCP; the initiator learns of the target from the relay's PEX
 * message, its TCP dial fails, it asks the relay, and both sides' uTP dials connect them.
 */
@Slow
@Timeout(60)
class HolepunchLoopbackTest {
    private static final InfoHash TORRENT = InfoHash.parse("5a".repeat(20));
    private static final Duration LIMIT = Duration.ofSeconds(20);

    private final Deque<AutoCloseable> toClose = new ArrayDeque<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
    }

    /** One engine's network side: peer wire, uTP on its port, PEX and holepunch for one torrent. */
    private final class Node implements PeerListener {
        final NettyPeerWire wire;
        final PeerExchange exchange;
        final InetSocketAddress listen;
        final List<InetSocketAddress> found = new CopyOnWriteArrayList<>();
        final List<PeerConnection> connected = new CopyOnWriteArrayList<>();
        final Set<PeerConnection> extended = java.util.concurrent.ConcurrentHashMap.newKeySet();
        volatile Predicate<InetSocketAddress> admits = remote -> true;

        Node(String ip, List<String> transports) throws Exception {
            ExtensionRegistry extensions = new ExtensionRegistry();
            TransportRegistry transportRegistry = new TransportRegistry();
            UtpHolder utp = new UtpHolder();
            transportRegistry.register(utp);
            TorrentEndpoint endpoint = new TorrentEndpoint(TORRENT, 4, this);
            TorrentLookup lookup = new TorrentLookup() {
                @Override
                public Optional<TorrentEndpoint> find(InfoHash infoHash) {
                    return infoHash.equals(TORRENT) ? Optional.of(endpoint) : Optional.empty();
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
            utp.start(this);
            exchange = new PeerExchange(System::currentTimeMillis, listen::equals);
            exchange.start(new RunningTorrent(TORRENT, false, listen.getPort(), false), found::add);
            extensions.register(exchange);
            extensions.register(new Holepunch(System::currentTimeMillis, listen::equals, exchange::toldBy,
                    (infoHash, address) -> wire.connect(address, infoHash, "utp")));
        }

        CompletableFuture<PeerConnection> dial(Node other) {
            return wire.connect(other.listen, new TorrentEndpoint(TORRENT, 4, this));
        }

        boolean connectedOverUtpTo(Node other) {
            return connected.stream().anyMatch(peer -> peer.isOpen() && peer.transport().equals("utp")
                    && peer.remoteAddress().getAddress().equals(other.listen.getAddress()));
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
    }

    /** uTP on a UDP socket bound to the node's listen address, read by a thread of its own. */
    private final class UtpHolder implements PeerTransport {
        private volatile UtpMultiplexer multiplexer;

        void start(Node node) throws Exception {
            DatagramChannel socket = DatagramChannel.open(StandardProtocolFamily.INET).bind(node.listen);
            DefaultEventLoopGroup loops = new DefaultEventLoopGroup(1);
            multiplexer = new UtpMultiplexer(UtpSettings.DEFAULTS, 64, loops, (to, datagram) -> {
                try {
                    socket.send(datagram, to);
                    return true;
                } catch (java.io.IOException e) {
                    return false;
                }
            }, node.listen, (Channel channel, InetSocketAddress remote) -> node.wire.accept(this, channel, remote));
            Thread reader = new Thread(() -> {
                ByteBuffer buffer = ByteBuffer.allocate(65536);
                while (socket.isOpen()) {
                    try {
                        buffer.clear();
                        InetSocketAddress from = (InetSocketAddress) socket.receive(buffer);
                        buffer.flip();
                        multiplexer.onDatagram(from, buffer);
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            }, "utp-reader-" + node.listen);
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
            return "utp";
        }

        @Override
        public CompletableFuture<Channel> connect(InetSocketAddress address) {
            return multiplexer.connect(address);
        }
    }

    @Test
    void theInitiatorReachesATargetThatRefusesItsTcpThroughTheRelaysRendezvous() throws Exception {
        Node relay = new Node("127.0.7.1", List.of("tcp"));
        Node initiator = new Node("127.0.7.2", List.of("tcp"));
        Node target = new Node("127.0.7.3", List.of("tcp"));
        relay.dial(initiator).get(LIMIT.toSeconds(), TimeUnit.SECONDS);
        relay.dial(target).get(LIMIT.toSeconds(), TimeUnit.SECONDS);
        // from now on the target accepts only what comes from the initiator's UDP socket: its uTP
        target.admits = initiator.listen::equals;
        Await.until("the extension handshakes between the relay and both", LIMIT, () -> relay.extended.size() == 2
                && initiator.extended.size() == 1 && target.extended.size() == 1);
        relay.exchange.tick();
        Await.until("the initiator learnt of the target from the relay's PEX", LIMIT,
                () -> initiator.found.contains(target.listen));

        long started = System.nanoTime();
        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> initiator.dial(target).get(LIMIT.toSeconds(), TimeUnit.SECONDS));
        System.out.println("the initiator's TCP dial failed: " + refused.getCause().getMessage());
        Await.until("the initiator and the target connected over uTP", LIMIT,
                () -> initiator.connectedOverUtpTo(target) && target.connectedOverUtpTo(initiator));
        System.out.printf("holepunched over uTP %.0f ms after the TCP dial started%n", (System.nanoTime() - started) / 1e6);
    }
}
