package io.graytorrent.peerwire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.InfoHash;
import io.graytorrent.peerwire.internal.NettyPeerWire;
import io.graytorrent.peerwire.internal.TransportRegistry;
import io.graytorrent.testkit.Await;
import io.graytorrent.testkit.Unit;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The peer wire over a transport that is not TCP ({@link LocalTransport}, Netty's in-JVM
 * channels, standing in for uTP): the whole pipeline, MSE included, both ways; the dialling order
 * of the {@code transports} setting; the half-open bounds.
 */
@Timeout(30)
@Unit
class PeerTransportTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final InfoHash TORRENT = InfoHash.parse("7e".repeat(20));
    private static final int PIECES = 16;
    private static final String LOCAL = "local";

    /** Last opened, first closed: the peer wires before the transports they use. */
    private final Deque<AutoCloseable> toClose = new ArrayDeque<>();
    /** The extensions of every wire a test starts. */
    private final ExtensionRegistry extensions = new ExtensionRegistry();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
    }

    /** A peer wire serving {@link #TORRENT} to {@code events}, dialling over {@code order}. */
    private NettyPeerWire wire(RecordingListener events, EncryptionPolicy encryption, List<String> order,
            int maxHalfOpen, PeerTransport... installed) throws Exception {
        TransportRegistry transports = new TransportRegistry();
        for (PeerTransport transport : installed) {
            assertTrue(transports.register(transport));
        }
        PeerWireSettings settings = new PeerWireSettings("127.0.0.1", 0, 0, Duration.ofMillis(500),
                Duration.ofSeconds(5), Duration.ofSeconds(150), Duration.ofSeconds(90), maxHalfOpen, 65536, 250,
                "transport-test", 1, encryption, order);
        NettyPeerWire wire = NettyPeerWire.start(settings, new OneTorrent(new TorrentEndpoint(TORRENT, PIECES, events)),
                extensions, transports);
        toClose.addFirst(wire);
        return wire;
    }

    private LocalTransport local() {
        LocalTransport transport = new LocalTransport(LOCAL);
        toClose.addFirst(transport);
        return transport;
    }

    @ParameterizedTest(name = "encryption {0}")
    @EnumSource(value = EncryptionPolicy.class, names = {"DISABLED", "REQUIRED"})
    void handshakesAndExchangesAPieceOverTheTransportBothWays(EncryptionPolicy encryption) throws Exception {
        PeerEncryption expected = encryption == EncryptionPolicy.REQUIRED ? PeerEncryption.RC4 : PeerEncryption.PLAINTEXT;
        RecordingListener aEvents = new RecordingListener();
        RecordingListener bEvents = new RecordingListener();
        LocalTransport aTransport = local();
        LocalTransport bTransport = local();
        PeerWire a = wire(aEvents, encryption, List.of(LOCAL), 8, aTransport);
        PeerWire b = wire(bEvents, encryption, List.of(LOCAL), 8, bTransport);
        aTransport.serve(a);
        bTransport.serve(b);

        exchange(a, aEvents, b, bEvents, expected);
        exchange(b, bEvents, a, aEvents, expected);
    }

    /** {@code dialler} connects to {@code acceptor} over the local transport; a request and its block cross. */
    private static void exchange(PeerWire dialler, RecordingListener diallerEvents, PeerWire acceptor,
            RecordingListener acceptorEvents, PeerEncryption expected) throws Exception {
        PeerConnection out = dialler.connect(acceptor.listenAddress(), new TorrentEndpoint(TORRENT, PIECES, diallerEvents))
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        PeerConnection in = acceptorEvents.next(RecordingListener.Connected.class, WAIT).peer();
        assertEquals(LOCAL, out.transport());
        assertEquals(LOCAL, in.transport());
        assertEquals(acceptor.listenAddress(), out.remoteAddress());
        assertEquals(new InetSocketAddress("127.0.0.2", 6881), in.remoteAddress(), "the address the transport gave");
        assertEquals(acceptor.localPeerId(), out.remotePeerId());
        assertEquals(dialler.localPeerId(), in.remotePeerId());
        assertEquals(expected, out.encryption());
        assertEquals(expected, in.encryption());
        assertEquals(0, dialler.halfOpenConnections());
        // the extension handshake tells each side the address the transport reported
        diallerEvents.next(RecordingListener.ExtensionHandshakeReceived.class, WAIT);

        out.send(PeerMessage.Interested.INSTANCE);
        out.send(new PeerMessage.Request(3, 0, 16384));
        assertEquals(new PeerMessage.Request(3, 0, 16384), acceptorEvents.nextMessage(PeerMessage.Request.class, WAIT));
        ByteBuf block = Unpooled.buffer(16384);
        for (int i = 0; i < 16384; i++) {
            block.writeByte(i * 7);
        }
        byte[] sent = ByteBufUtil.getBytes(block);
        in.send(new PeerMessage.Piece(3, 0, block));
        PeerMessage.Piece piece = diallerEvents.nextMessage(PeerMessage.Piece.class, WAIT);
        assertArrayEquals(sent, ByteBufUtil.getBytes(piece.data()));
        piece.data().release();
        assertEquals(16384, out.stats().payloadDownloaded());

        out.close(CloseReason.normal("test done"));
        assertEquals("peer closed the connection",
                acceptorEvents.next(RecordingListener.Closed.class, WAIT).reason().description());
    }

    @Test
    void dialsTheTransportsInTheConfiguredOrderFallingBackWhenOneGetsNoAnswer() throws Exception {
        RecordingListener events = new RecordingListener();
        LocalTransport servingTransport = local();
        PeerWire reachable = wire(events, EncryptionPolicy.PREFERRED, List.of(LOCAL), 8, servingTransport);
        servingTransport.serve(reachable);
        PeerWire tcpOnly = wire(events, EncryptionPolicy.PREFERRED, List.of("tcp"), 8);

        assertEquals(LOCAL, dialOver(List.of(LOCAL, "tcp"), reachable), "the transport first, when it answers");
        assertEquals("tcp", dialOver(List.of(LOCAL, "tcp"), tcpOnly), "TCP when the transport gets no answer");
        assertEquals("tcp", dialOver(List.of("tcp", LOCAL), reachable), "the order is the setting's");
        assertEquals("tcp", dialOver(List.of("utp", "tcp"), reachable), "a transport not installed is skipped");

        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> dialOver(List.of(LOCAL), tcpOnly));
        PeerConnectException cause = (PeerConnectException) failure.getCause();
        assertEquals(PeerConnectException.Reason.UNREACHABLE, cause.reason());
        assertTrue(cause.getMessage().contains("over local"), cause.getMessage());
    }

    private String dialOver(List<String> order, PeerWire target) throws Exception {
        PeerWire dialler = wire(new RecordingListener(), EncryptionPolicy.PREFERRED, order, 8, local());
        PeerConnection connection = dialler.connect(target.listenAddress(),
                new TorrentEndpoint(TORRENT, PIECES, new RecordingListener())).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        connection.close(CloseReason.normal("test done"));
        return connection.transport();
    }

    /** A holepunch's dial: over the one transport named at once, whatever the order; for a running torrent only. */
    @Test
    void dialsOneNamedTransportForARunningTorrent() throws Exception {
        LocalTransport servingTransport = local();
        PeerWire reachable = wire(new RecordingListener(), EncryptionPolicy.DISABLED, List.of(LOCAL), 8, servingTransport);
        servingTransport.serve(reachable);
        PeerWire dialler = wire(new RecordingListener(), EncryptionPolicy.DISABLED, List.of("tcp", LOCAL), 8, local());

        PeerConnection connection = dialler.connect(reachable.listenAddress(), TORRENT, LOCAL)
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(LOCAL, connection.transport(), "not TCP, though the order puts it first");
        connection.close(CloseReason.normal("test done"));
        PeerConnection overTcp = dialler.connect(reachable.listenAddress(), TORRENT, "tcp").get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals("tcp", overTcp.transport());
        overTcp.close(CloseReason.normal("test done"));

        TorrentLookup blocking = new TorrentLookup() {
            @Override
            public Optional<TorrentEndpoint> find(InfoHash infoHash) {
                return Optional.of(new TorrentEndpoint(TORRENT, PIECES, new RecordingListener()));
            }

            @Override
            public boolean admits(InetSocketAddress remote) {
                return false;
            }
        };
        PeerWire blocked = NettyPeerWire.start(new PeerWireSettings("127.0.0.1", 0, 0, Duration.ofMillis(500),
                Duration.ofSeconds(5), Duration.ofSeconds(150), Duration.ofSeconds(90), 8, 65536, 250,
                "transport-test", 1, EncryptionPolicy.DISABLED, List.of(LOCAL)), blocking, extensions, new TransportRegistry());
        toClose.addFirst(blocked);
        ExecutionException refusedByList = assertThrows(ExecutionException.class,
                () -> blocked.connect(reachable.listenAddress(), TORRENT, "tcp").get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertTrue(refusedByList.getCause().getMessage().contains("not admitted"), refusedByList.getCause().getMessage());

        InfoHash unknown = InfoHash.parse("7f".repeat(20));
        for (CompletableFuture<PeerConnection> refused : List.of(dialler.connect(reachable.listenAddress(), unknown, LOCAL),
                dialler.connect(reachable.listenAddress(), TORRENT, "utp"))) {
            ExecutionException failure = assertThrows(ExecutionException.class, () -> refused.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            assertTrue(failure.getCause() instanceof PeerConnectException, failure.getCause().toString());
        }
    }

    /** What a holepunch initiator hears: a dial that failed on every transport, not one that came up. */
    @Test
    void tellsTheExtensionsOfADialThatFailedOnEveryTransport() throws Exception {
        List<InetSocketAddress> failed = new java.util.concurrent.CopyOnWriteArrayList<>();
        extensions.register(new ExtensionMessageHandler() {
            @Override
            public String name() {
                return "ut_recording";
            }

            @Override
            public void onMessage(PeerConnection peer, byte[] payload) {
            }

            @Override
            public void onDialFailed(InfoHash infoHash, InetSocketAddress address) {
                assertEquals(TORRENT, infoHash);
                failed.add(address);
            }
        });
        PeerWire tcpOnly = wire(new RecordingListener(), EncryptionPolicy.DISABLED, List.of("tcp"), 8);
        PeerWire dialler = wire(new RecordingListener(), EncryptionPolicy.DISABLED, List.of(LOCAL), 8, local());
        TorrentEndpoint endpoint = new TorrentEndpoint(TORRENT, PIECES, new RecordingListener());

        assertThrows(ExecutionException.class, () -> dialler.connect(tcpOnly.listenAddress(), endpoint).get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(List.of(tcpOnly.listenAddress()), failed);
        PeerWire both = wire(new RecordingListener(), EncryptionPolicy.DISABLED, List.of(LOCAL, "tcp"), 8, local());
        both.connect(tcpOnly.listenAddress(), endpoint).get(WAIT.toSeconds(), TimeUnit.SECONDS).close(CloseReason.normal("test done"));
        assertEquals(1, failed.size(), "a dial that came up over TCP is no failure");
    }

    /** A transport whose connects never come up: each is a half-open connection until the connect timeout. */
    private static final class Silent implements PeerTransport {
        final java.util.concurrent.atomic.AtomicInteger dials = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public String name() {
            return LOCAL;
        }

        @Override
        public CompletableFuture<Channel> connect(InetSocketAddress address) {
            dials.incrementAndGet();
            return new CompletableFuture<>();
        }
    }

    /** As libtorrent does: a peer that did not answer uTP is dialled over TCP at once the next time. */
    @Test
    void aPeerThatDidNotAnswerATransportIsDialledOverTheNextAtOnceTheNextTime() throws Exception {
        PeerWire tcpOnly = wire(new RecordingListener(), EncryptionPolicy.DISABLED, List.of("tcp"), 8);
        Silent silent = new Silent();
        NettyPeerWire dialler = wire(new RecordingListener(), EncryptionPolicy.DISABLED, List.of(LOCAL, "tcp"), 8, silent);
        TorrentEndpoint endpoint = new TorrentEndpoint(TORRENT, PIECES, new RecordingListener());
        long[] millis = new long[2];
        for (int i = 0; i < 2; i++) {
            long start = System.nanoTime();
            PeerConnection connection = dialler.connect(tcpOnly.listenAddress(), endpoint).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            millis[i] = (System.nanoTime() - start) / 1_000_000;
            assertEquals("tcp", connection.transport());
            connection.close(CloseReason.normal("test done"));
        }
        assertEquals(1, silent.dials.get(), "the silent transport was not dialled again");
        assertTrue(millis[0] >= 500, "the first dial waited for the transport's connect timeout: " + millis[0] + " ms");
        assertTrue(millis[1] < 500, "the second went to TCP at once: " + millis[1] + " ms");
        // a connect that completed before its listener was added releases its slot in a task on the
        // event loop, which may run after the handshake's reply was read
        Await.until("no half-open connection left", WAIT, () -> dialler.halfOpenConnections() == 0);
    }

    @Test
    void outgoingConnectsOverATransportCountAsHalfOpenUntilTheConnectTimeout() throws Exception {
        NettyPeerWire dialler = wire(new RecordingListener(), EncryptionPolicy.DISABLED, List.of(LOCAL), 2, new Silent());
        InetSocketAddress nowhere = new InetSocketAddress("127.0.0.3", 6881);
        TorrentEndpoint endpoint = new TorrentEndpoint(TORRENT, PIECES, new RecordingListener());
        CompletableFuture<PeerConnection> first = dialler.connect(nowhere, endpoint);
        CompletableFuture<PeerConnection> second = dialler.connect(nowhere, endpoint);
        assertEquals(2, dialler.halfOpenConnections());

        ExecutionException over = assertThrows(ExecutionException.class, () -> dialler.connect(nowhere, endpoint).get());
        assertEquals(PeerConnectException.Reason.LIMIT, ((PeerConnectException) over.getCause()).reason());

        for (CompletableFuture<PeerConnection> dial : List.of(first, second)) {
            ExecutionException timedOut = assertThrows(ExecutionException.class, () -> dial.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            PeerConnectException cause = (PeerConnectException) timedOut.getCause();
            assertEquals(PeerConnectException.Reason.UNREACHABLE, cause.reason());
            assertTrue(cause.getMessage().contains("no answer within"), cause.getMessage());
        }
        assertEquals(0, dialler.halfOpenConnections());
    }

    @Test
    void aTransportThatThrowsIsUnreachableThenTcpIsTriedAndNoHalfOpenSlotLeaks() throws Exception {
        PeerWire target = wire(new RecordingListener(), EncryptionPolicy.PREFERRED, List.of("tcp"), 8);
        PeerTransport broken = new PeerTransport() {
            @Override
            public String name() {
                return LOCAL;
            }

            @Override
            public CompletableFuture<Channel> connect(InetSocketAddress address) {
                throw new IllegalStateException("a plugin's bug");
            }
        };
        NettyPeerWire dialler = wire(new RecordingListener(), EncryptionPolicy.PREFERRED, List.of(LOCAL, "tcp"), 1, broken);
        TorrentEndpoint endpoint = new TorrentEndpoint(TORRENT, PIECES, new RecordingListener());
        for (int i = 0; i < 2; i++) { // a leaked slot would make the second dial hit the limit of 1
            PeerConnection connection = dialler.connect(target.listenAddress(), endpoint).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertEquals("tcp", connection.transport());
            connection.close(CloseReason.normal("test done"));
        }
        assertEquals(0, dialler.halfOpenConnections());
    }

    @Test
    void acceptedConnectionsOwingTheirHandshakeAreBoundedAsOverTcp() throws Exception {
        LocalTransport served = local();
        PeerWire acceptor = wire(new RecordingListener(), EncryptionPolicy.DISABLED, List.of("tcp"), 2, served);
        served.serve(acceptor);
        LocalTransport client = local();
        List<Channel> silent = new ArrayList<>();
        // one after another: the serving transport's single event loop hands each to the peer wire in that order
        for (int i = 0; i < 3; i++) {
            silent.add(client.connect(acceptor.listenAddress()).get(WAIT.toSeconds(), TimeUnit.SECONDS));
        }
        Await.until("the oldest silent connection dropped", WAIT, () -> !silent.get(0).isActive());
        assertTrue(silent.get(1).isActive());
        assertTrue(silent.get(2).isActive());
        assertFalse(silent.get(0).isOpen());
    }
}
