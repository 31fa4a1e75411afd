package io.graytorrent.peerwire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.InfoHash;
import io.graytorrent.testkit.Await;
import io.graytorrent.testkit.ScriptedPeer;
import io.graytorrent.testkit.Unit;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Real connections over 127.0.0.1 between our own listeners and hand-driven sockets. */
@Timeout(30)
@Unit
class PeerWireTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final InfoHash TORRENT = InfoHash.parse("11".repeat(20));
    private static final int PIECES = 40;
    private static final Capabilities FAST_AND_EXTENSIONS = new Capabilities(true, true, false);

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final RecordingListener seederEvents = new RecordingListener();
    private final RecordingListener leecherEvents = new RecordingListener();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private static PeerWireSettings settings(Duration handshakeTimeout, Duration idle, Duration keepAlive, int halfOpen) {
        return new PeerWireSettings("127.0.0.1", 0, 0, Duration.ofSeconds(2), handshakeTimeout, idle, keepAlive,
                halfOpen, 64 * 1024, 250, "graytorrent-test", 1);
    }

    private PeerWire start(PeerWireSettings settings, TorrentLookup lookup, ExtensionRegistry extensions)
            throws IOException {
        PeerWire wire = PeerWire.start(settings, lookup, extensions);
        toClose.add(wire);
        return wire;
    }

    private PeerWire seeder(ExtensionRegistry extensions) throws IOException {
        TorrentEndpoint endpoint = new TorrentEndpoint(TORRENT, PIECES, seederEvents);
        return start(PeerWireSettings.defaults().listeningOn("127.0.0.1", 0),
                hash -> hash.equals(TORRENT) ? Optional.of(endpoint) : Optional.empty(), extensions);
    }

    private PeerWire leecher(ExtensionRegistry extensions) throws IOException {
        return start(PeerWireSettings.defaults().listeningOn("127.0.0.1", 0), hash -> Optional.empty(), extensions);
    }

    private ScriptedPeer raw(PeerWire target) throws IOException {
        ScriptedPeer peer = ScriptedPeer.connect(target.listenAddress());
        toClose.add(peer);
        return peer;
    }

    private static byte[] handshake(Capabilities capabilities, InfoHash infoHash, PeerId peerId) {
        return ScriptedPeer.handshakeBytes(infoHash.toBytes(), capabilities.toReserved(), peerId.toBytes());
    }

    /** Answers every message of its extension with the same payload, reversed. */
    private static final class Echo implements ExtensionMessageHandler {
        @Override
        public String name() {
            return "gt_echo";
        }

        @Override
        public void contributeHandshake(PeerConnection peer, Map<String, Object> fields) {
            fields.put("gt_echo_version", 1);
        }

        @Override
        public void onMessage(PeerConnection peer, byte[] payload) {
            byte[] reversed = new byte[payload.length];
            for (int i = 0; i < payload.length; i++) {
                reversed[i] = payload[payload.length - 1 - i];
            }
            peer.sendExtended("gt_echo", reversed);
        }
    }

    @Test
    void handshakesBothWaysAndCarriesMessagesExtensionsAndBlocks() throws Exception {
        ExtensionRegistry seederExtensions = new ExtensionRegistry();
        seederExtensions.register(new Echo());
        PeerWire seeder = seeder(seederExtensions);
        List<byte[]> echoes = new ArrayList<>();
        ExtensionRegistry leecherExtensions = new ExtensionRegistry();
        leecherExtensions.register(new ExtensionMessageHandler() {
            @Override
            public String name() {
                return "gt_echo";
            }

            @Override
            public void onMessage(PeerConnection peer, byte[] payload) {
                synchronized (echoes) {
                    echoes.add(payload);
                    echoes.notifyAll();
                }
            }
        });
        PeerWire leecher = leecher(leecherExtensions);

        PeerConnection out = leecher.connect(seeder.listenAddress(), new TorrentEndpoint(TORRENT, PIECES, leecherEvents))
                .get(5, TimeUnit.SECONDS);
        PeerConnection in = seederEvents.next(RecordingListener.Connected.class, WAIT).peer();
        assertTrue(out.outgoing());
        assertFalse(in.outgoing());
        assertEquals(seeder.localPeerId(), out.remotePeerId());
        assertEquals(leecher.localPeerId(), in.remotePeerId());
        assertEquals(FAST_AND_EXTENSIONS, out.negotiated());

        ExtensionHandshake fromLeecher = seederEvents.next(RecordingListener.ExtensionHandshakeReceived.class, WAIT)
                .handshake();
        assertEquals(Optional.of(PeerWireSettings.defaults().clientName()), fromLeecher.client());
        assertEquals(leecher.listenAddress().getPort(), fromLeecher.listenPort().getAsInt());
        assertEquals(Optional.of(InetAddress.getByName("127.0.0.1")), fromLeecher.yourIp());
        assertEquals(500, fromLeecher.requestQueue().getAsInt());
        ExtensionHandshake fromSeeder = leecherEvents.next(RecordingListener.ExtensionHandshakeReceived.class, WAIT)
                .handshake();
        assertEquals(Map.of("gt_echo", 1), fromSeeder.messageIds());
        assertTrue(fromSeeder.fields().get("gt_echo_version").isPresent());

        in.send(PeerMessage.HaveAll.INSTANCE);
        out.send(PeerMessage.HaveNone.INSTANCE);
        out.send(PeerMessage.Interested.INSTANCE);
        assertEquals(PeerMessage.HaveAll.INSTANCE, leecherEvents.nextMessage(PeerMessage.HaveAll.class, WAIT));
        assertEquals(PeerMessage.HaveNone.INSTANCE, seederEvents.nextMessage(PeerMessage.HaveNone.class, WAIT));
        seederEvents.nextMessage(PeerMessage.Interested.class, WAIT);

        assertTrue(out.sendExtended("gt_echo", new byte[] {1, 2, 3}));
        synchronized (echoes) {
            long deadline = System.currentTimeMillis() + WAIT.toMillis();
            while (echoes.isEmpty() && System.currentTimeMillis() < deadline) {
                echoes.wait(100);
            }
            assertArrayEquals(new byte[] {3, 2, 1}, echoes.get(0));
        }
        assertFalse(out.sendExtended("ut_metadata", new byte[0]));

        out.send(new PeerMessage.Request(5, 16384, 16384));
        assertEquals(new PeerMessage.Request(5, 16384, 16384), seederEvents.nextMessage(PeerMessage.Request.class, WAIT));
        ByteBuf block = PooledByteBufAllocator.DEFAULT.directBuffer(16384);
        for (int i = 0; i < 16384; i++) {
            block.writeByte(i % 251);
        }
        byte[] expected = ByteBufUtil.getBytes(block);
        in.send(new PeerMessage.Piece(5, 16384, block));
        PeerMessage.Piece piece = leecherEvents.nextMessage(PeerMessage.Piece.class, WAIT);
        assertEquals(5, piece.piece());
        assertArrayEquals(expected, ByteBufUtil.getBytes(piece.data()));
        piece.data().release();
        assertEquals(16384, out.stats().payloadDownloaded());
        // the sender counts a block once its write completes, which can come after the receiver has it
        Await.until("the sender counting the block", WAIT, () -> in.stats().payloadUploaded() >= 16384);
        assertEquals(16384, in.stats().payloadUploaded());
        assertTrue(out.stats().bytesDownloaded() > 16384 + Handshake.LENGTH);
        assertTrue(in.stats().bytesUploaded() > 16384 + Handshake.LENGTH);

        out.close(CloseReason.normal("test done"));
        assertEquals(CloseReason.normal("test done"), leecherEvents.next(RecordingListener.Closed.class, WAIT).reason());
        assertEquals("peer closed the connection",
                seederEvents.next(RecordingListener.Closed.class, WAIT).reason().description());
        assertFalse(out.isOpen());
    }

    @Test
    void aReaderThatStopsReadingMakesTheSenderUnwritableUntilItResumes() throws Exception {
        PeerWire seeder = seeder(new ExtensionRegistry());
        PeerWire leecher = leecher(new ExtensionRegistry());
        PeerConnection out = leecher.connect(seeder.listenAddress(), new TorrentEndpoint(TORRENT, PIECES, leecherEvents))
                .get(5, TimeUnit.SECONDS);
        PeerConnection in = seederEvents.next(RecordingListener.Connected.class, WAIT).peer();
        out.setReading(false);
        ByteBuf block = PooledByteBufAllocator.DEFAULT.directBuffer(16384).writeZero(16384);
        int sent = fillUntilUnwritable(in, block, null);
        block.release();
        assertFalse(in.isWritable(), "still writable after " + sent + " blocks");
        // writability may flap while blocks move from the send queue into the socket
        while (seederEvents.next(RecordingListener.WritabilityChanged.class, WAIT).writable()) {
            continue;
        }
        out.setReading(true);
        // writability may flap while the socket buffers drain; what matters is that it comes back
        while (!seederEvents.next(RecordingListener.WritabilityChanged.class, WAIT).writable()) {
            continue;
        }
        for (int i = 0; i < sent; i++) {
            leecherEvents.nextMessage(PeerMessage.Piece.class, WAIT).data().release();
        }
        assertEquals((long) sent * 16384, out.stats().payloadDownloaded());
    }

    @Test
    void runsEachBlocksCompletionOnceItIsWrittenOrItsConnectionCloses() throws Exception {
        PeerWire seeder = seeder(new ExtensionRegistry());
        PeerWire leecher = leecher(new ExtensionRegistry());
        PeerConnection out = leecher.connect(seeder.listenAddress(), new TorrentEndpoint(TORRENT, PIECES, leecherEvents))
                .get(5, TimeUnit.SECONDS);
        PeerConnection in = seederEvents.next(RecordingListener.Connected.class, WAIT).peer();
        ByteBuf block = PooledByteBufAllocator.DEFAULT.directBuffer(16384).writeZero(16384);
        CountDownLatch written = new CountDownLatch(1);
        in.send(new PeerMessage.Piece(0, 0, block.retainedDuplicate()), written::countDown);
        assertTrue(written.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertEquals(16384, in.stats().payloadUploaded(), "counted by the time the completion runs");
        leecherEvents.nextMessage(PeerMessage.Piece.class, WAIT).data().release();

        // a reader that stopped: blocks stay queued unwritten until the close fails them
        out.setReading(false);
        AtomicInteger completed = new AtomicInteger();
        int sent = fillUntilUnwritable(in, block, completed::incrementAndGet);
        block.release();
        assertTrue(completed.get() < sent, "every block went out although the reader stopped");
        in.close(CloseReason.normal("test done"));
        Await.until("the close completing every queued block", WAIT, () -> completed.get() >= sent);
        assertEquals(sent, completed.get());
    }

    /**
     * Sends copies of {@code block} whenever the connection takes more, until it has stayed
     * unwritable for 200 ms with blocks unwritten and none completing: the reader stopped and the
     * socket buffers (a few MiB on loopback) are full. At most 4096 blocks, 64 MiB of one buffer.
     */
    private static int fillUntilUnwritable(PeerConnection connection, ByteBuf block, Runnable whenDone)
            throws InterruptedException {
        AtomicInteger done = new AtomicInteger();
        int sent = 0;
        int doneBefore = 0;
        long since = System.nanoTime();
        while (sent < 4096) {
            if (connection.isWritable()) {
                connection.send(new PeerMessage.Piece(0, 0, block.retainedDuplicate()), () -> {
                    done.incrementAndGet();
                    if (whenDone != null) {
                        whenDone.run();
                    }
                });
                sent++;
                since = System.nanoTime();
            } else if (done.get() != doneBefore) {
                doneBefore = done.get(); // still draining into the socket
                since = System.nanoTime();
            } else if (System.nanoTime() - since > TimeUnit.MILLISECONDS.toNanos(200) && doneBefore < sent) {
                break;
            } else {
                Thread.sleep(1);
            }
        }
        return sent;
    }

    @Test
    void closingTheWireClosesItsConnectionsWithThatReason() throws Exception {
        PeerWire seeder = seeder(new ExtensionRegistry());
        PeerWire leecher = PeerWire.start(PeerWireSettings.defaults().listeningOn("127.0.0.1", 0),
                hash -> Optional.empty(), new ExtensionRegistry());
        leecher.connect(seeder.listenAddress(), new TorrentEndpoint(TORRENT, PIECES, leecherEvents))
                .get(5, TimeUnit.SECONDS);
        leecher.close();
        assertEquals(CloseReason.normal("peer wire closed"),
                leecherEvents.next(RecordingListener.Closed.class, WAIT).reason());
        assertEquals("peer closed the connection",
                seederEvents.next(RecordingListener.Closed.class, WAIT).reason().description());
    }

    @Test
    void messagesOfExtensionsNotNegotiatedAreRefusedBeforeSending() throws Exception {
        PeerWire seeder = seeder(new ExtensionRegistry());
        try (ScriptedPeer plain = raw(seeder)) {
            plain.write(handshake(Capabilities.NONE, TORRENT, PeerId.generate()));
            plain.readHandshake();
            PeerConnection in = seederEvents.next(RecordingListener.Connected.class, WAIT).peer();
            assertEquals(Capabilities.NONE, in.negotiated());
            assertThrows(IllegalArgumentException.class, () -> in.send(PeerMessage.HaveAll.INSTANCE));
            assertThrows(IllegalArgumentException.class, () -> in.send(new PeerMessage.Extended(1, new byte[0])));
            assertThrows(IllegalArgumentException.class, () -> in.send(new PeerMessage.Port(6881)));
        }
    }

    @Test
    void refusesAnIncomingHandshakeForAnUnknownTorrent() throws Exception {
        PeerWire seeder = seeder(new ExtensionRegistry());
        PeerWire leecher = leecher(new ExtensionRegistry());
        InfoHash unknown = InfoHash.parse("22".repeat(20));
        CompletableFuture<PeerConnection> attempt =
                leecher.connect(seeder.listenAddress(), new TorrentEndpoint(unknown, PIECES, leecherEvents));
        ExecutionException e = assertThrows(ExecutionException.class, () -> attempt.get(5, TimeUnit.SECONDS));
        assertInstanceOf(PeerConnectException.class, e.getCause());
    }

    @Test
    void closesAConnectionToOurselvesAndTellsTheDiallingSide() throws Exception {
        PeerWire seeder = seeder(new ExtensionRegistry());
        CompletableFuture<PeerConnection> attempt =
                seeder.connect(seeder.listenAddress(), new TorrentEndpoint(TORRENT, PIECES, leecherEvents));
        ExecutionException e = assertThrows(ExecutionException.class, () -> attempt.get(5, TimeUnit.SECONDS));
        PeerConnectException failure = assertInstanceOf(PeerConnectException.class, e.getCause());
        assertEquals(PeerConnectException.Reason.OURSELVES, failure.reason(), "the accepted side answered before closing");
    }

    @Test
    void refusesAPeerThatAnswersForAnotherTorrent() throws Exception {
        // the impostor speaks plaintext only
        PeerWire leecher = start(PeerWireSettings.defaults().listeningOn("127.0.0.1", 0)
                .withEncryption(EncryptionPolicy.DISABLED), hash -> Optional.empty(), new ExtensionRegistry());
        try (ServerSocket impostor = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<PeerConnection> attempt = leecher.connect(
                    new InetSocketAddress(impostor.getInetAddress(), impostor.getLocalPort()),
                    new TorrentEndpoint(TORRENT, PIECES, leecherEvents));
            try (var socket = impostor.accept()) {
                socket.getInputStream().readNBytes(Handshake.LENGTH);
                socket.getOutputStream().write(handshake(FAST_AND_EXTENSIONS,
                        InfoHash.parse("33".repeat(20)), PeerId.generate()));
                ExecutionException e = assertThrows(ExecutionException.class, () -> attempt.get(5, TimeUnit.SECONDS));
                assertTrue(e.getCause().getMessage().contains("instead of " + TORRENT), e.getCause().getMessage());
            }
        }
    }

    @Test
    void closesAndMarksAPeerThatSendsAnOversizedFrame() throws Exception {
        PeerWire seeder = seeder(new ExtensionRegistry());
        ScriptedPeer peer = raw(seeder);
        peer.write(handshake(FAST_AND_EXTENSIONS, TORRENT, PeerId.generate()));
        assertEquals(TORRENT, InfoHash.of(peer.readHandshake()));
        peer.writeHex("0010000007");
        CloseReason reason = seederEvents.next(RecordingListener.Closed.class, WAIT).reason();
        assertTrue(reason.misbehaviour());
        assertTrue(reason.description().contains("exceeds the limit"), reason.description());
        peer.awaitClosed(WAIT);
    }

    @Test
    void keepsAPeerThatSendsABitfieldAfterHaveAll() throws Exception {
        PeerWire seeder = seeder(new ExtensionRegistry());
        ScriptedPeer peer = raw(seeder);
        // the handshake, HAVE_ALL, a BITFIELD and INTERESTED in one write: the session must split them right
        peer.write(handshake(FAST_AND_EXTENSIONS, TORRENT, PeerId.generate()));
        peer.writeHex("000000010e" + "0000000605" + "ffffffffff" + "0000000102");
        assertEquals(PeerMessage.HaveAll.INSTANCE, seederEvents.next(RecordingListener.Received.class, WAIT).message());
        // the BITFIELD repeats what HAVE_ALL said: not passed on, and no reason to hang up
        assertEquals(PeerMessage.Interested.INSTANCE, seederEvents.next(RecordingListener.Received.class, WAIT).message());
    }

    @Test
    void closesAConnectionThatNeverHandshakes() throws Exception {
        PeerWire seeder = start(settings(Duration.ofMillis(300), Duration.ofSeconds(10), Duration.ofSeconds(5), 8),
                hash -> Optional.empty(), new ExtensionRegistry());
        Duration open = raw(seeder).awaitClosed(WAIT);
        assertTrue(open.compareTo(Duration.ofMillis(250)) > 0, "closed after " + open);
    }

    @Test
    void dropsTheOldestAcceptedConnectionWhenTooManyOweTheirHandshake() throws Exception {
        TorrentEndpoint endpoint = new TorrentEndpoint(TORRENT, PIECES, seederEvents);
        PeerWire seeder = start(settings(Duration.ofSeconds(20), Duration.ofSeconds(30), Duration.ofSeconds(10), 2),
                hash -> Optional.of(endpoint), new ExtensionRegistry());
        // accepted in this order: the kernel queues connections in the order they complete, and the
        // wire's one event loop takes them from the queue in turn
        ScriptedPeer oldest = raw(seeder);
        raw(seeder);
        ScriptedPeer newest = raw(seeder);
        Duration open = oldest.awaitClosed(WAIT);
        assertTrue(open.compareTo(Duration.ofSeconds(5)) < 0, "dropped after " + open + ", not the handshake timeout");
        newest.write(handshake(Capabilities.NONE, TORRENT, PeerId.generate()));
        assertEquals(TORRENT, InfoHash.of(newest.readHandshake()), "the newer connections were kept");
    }

    @Test
    void keepAlivesHoldAQuietConnectionOpenAndSilenceClosesIt() throws Exception {
        TorrentEndpoint endpoint = new TorrentEndpoint(TORRENT, PIECES, seederEvents);
        // keep-alives every 100 ms against a 1.5 s idle timeout: only a stall of over a second on a
        // loaded machine could let the timeout win
        Duration idle = Duration.ofMillis(1500);
        PeerWireSettings quick = settings(Duration.ofSeconds(5), idle, Duration.ofMillis(100), 8);
        PeerWire seeder = start(quick, hash -> Optional.of(endpoint), new ExtensionRegistry());
        PeerWire leecher = start(quick, hash -> Optional.empty(), new ExtensionRegistry());
        PeerConnection out = leecher.connect(seeder.listenAddress(), new TorrentEndpoint(TORRENT, PIECES, leecherEvents))
                .get(5, TimeUnit.SECONDS);
        Await.throughout("two of ours exchanging keep-alives stay open", idle.multipliedBy(2), out::isOpen);

        ScriptedPeer silent = raw(seeder);
        silent.write(handshake(Capabilities.NONE, TORRENT, PeerId.generate()));
        silent.readHandshake();
        PeerConnection quiet = null;
        while (quiet == null || quiet.remotePeerId().equals(leecher.localPeerId())) {
            quiet = seederEvents.next(RecordingListener.Connected.class, WAIT).peer();
        }
        RecordingListener.Closed closed = seederEvents.next(RecordingListener.Closed.class, WAIT);
        assertEquals(quiet, closed.peer());
        assertTrue(closed.reason().description().startsWith("nothing received"), closed.reason().description());
    }

    @Test
    void enforcesTheHalfOpenLimit() throws Exception {
        PeerWire seeder = seeder(new ExtensionRegistry());
        PeerWire leecher = start(settings(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(5), 1),
                hash -> Optional.empty(), new ExtensionRegistry());
        TorrentEndpoint endpoint = new TorrentEndpoint(TORRENT, PIECES, leecherEvents);
        CompletableFuture<PeerConnection> first = leecher.connect(seeder.listenAddress(), endpoint);
        // the first TCP connect takes an event loop round trip; this call is synchronous
        CompletableFuture<PeerConnection> second = leecher.connect(seeder.listenAddress(), endpoint);
        ExecutionException e = assertThrows(ExecutionException.class, () -> second.get(1, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().startsWith("half-open limit of 1"), e.getCause().getMessage());
        first.get(5, TimeUnit.SECONDS);
        assertEquals(0, leecher.halfOpenConnections());
    }

    @Test
    void reportsARefusedConnect() throws Exception {
        PeerWire leecher = leecher(new ExtensionRegistry());
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        CompletableFuture<PeerConnection> attempt = leecher.connect(new InetSocketAddress("127.0.0.1", closedPort),
                new TorrentEndpoint(TORRENT, PIECES, leecherEvents));
        ExecutionException e = assertThrows(ExecutionException.class, () -> attempt.get(5, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().startsWith("cannot connect"), e.getCause().getMessage());
    }

    @Test
    void fallsBackThroughThePortRange() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            PeerWireSettings onTakenPort = new PeerWireSettings("127.0.0.1", port, 10, Duration.ofSeconds(2),
                    Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(5), 8, 1024, 250, "t", 1);
            PeerWire wire = start(onTakenPort, hash -> Optional.empty(), new ExtensionRegistry());
            int bound = wire.listenAddress().getPort();
            assertTrue(bound > port && bound <= port + 10, "bound " + bound + " after " + port);

            PeerWireSettings noRange = new PeerWireSettings("127.0.0.1", port, 0, Duration.ofSeconds(2),
                    Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(5), 8, 1024, 250, "t", 1);
            IOException e = assertThrows(IOException.class,
                    () -> start(noRange, hash -> Optional.empty(), new ExtensionRegistry()));
            assertTrue(e.getMessage().startsWith("no free port"), e.getMessage());
        }
    }

    @Test
    void listensOnIpv6Loopback() throws Exception {
        PeerWire v6 = start(PeerWireSettings.defaults().listeningOn("::1", 0), hash -> Optional.empty(),
                new ExtensionRegistry());
        assertEquals(InetAddress.getByName("::1"), v6.listenAddress().getAddress());
    }
}
