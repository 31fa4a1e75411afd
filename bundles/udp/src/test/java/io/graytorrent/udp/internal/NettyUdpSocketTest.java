package io.graytorrent.udp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.testkit.Await;
import io.graytorrent.testkit.Unit;
import io.graytorrent.udp.DatagramHandler;
import io.graytorrent.udp.DatagramKind;
import io.graytorrent.udp.DatagramStats;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The shared socket on real loopback sockets: dispatch, drops, bounded queues, both families. */
@Unit
class NettyUdpSocketTest {
    private static final Duration LIMIT = Duration.ofSeconds(10);
    private static final byte[] PING = "d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe"
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SYN = DatagramClassifierTest.utpHeader(4 << 4 | 1, 20);

    private NettyUdpSocket socket;
    private DatagramSocket peer;

    @AfterEach
    void close() {
        if (socket != null) {
            socket.close();
        }
        if (peer != null) {
            peer.close();
        }
    }

    @Test
    void eachDatagramGoesToTheHandlersOfItsKind() throws Exception {
        socket = NettyUdpSocket.bind(new InetSocketAddress("127.0.0.1", 0), UdpSocketSettings.defaults());
        Recorder dht = new Recorder(DatagramKind.KRPC);
        Recorder utp = new Recorder(DatagramKind.UTP);
        socket.addHandler(dht);
        socket.addHandler(utp);
        peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));

        sendTo(socket, PING);
        sendTo(socket, SYN);

        Received ping = dht.next();
        assertTrue(Arrays.equals(PING, ping.bytes()));
        assertEquals(peer.getLocalSocketAddress(), ping.sender());
        assertTrue(Arrays.equals(SYN, utp.next().bytes()));
        assertNull(dht.received.poll(), "the DHT got only its own");
        assertNull(utp.received.poll(), "uTP got only its own");
        assertEquals(new DatagramStats(1, 0, 0, 0), socket.stats(DatagramKind.KRPC));
        assertEquals(new DatagramStats(1, 0, 0, 0), socket.stats(DatagramKind.UTP));
    }

    @Test
    void aHandlerOnTheSocketThreadReadsTheReceiveBufferThereBesideAQueuedOne() throws Exception {
        socket = NettyUdpSocket.bind(new InetSocketAddress("127.0.0.1", 0), UdpSocketSettings.defaults());
        Recorder inline = new Recorder(DatagramKind.UTP, true, 0);
        Recorder queued = new Recorder(DatagramKind.UTP);
        socket.addHandler(inline);
        socket.addHandler(queued);
        peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));

        sendTo(socket, SYN);

        Received atOnce = inline.next();
        assertTrue(Arrays.equals(SYN, atOnce.bytes()));
        assertTrue(Arrays.equals(SYN, queued.next().bytes()), "each handler reads the datagram from its start");
        assertTrue(atOnce.thread().startsWith("graytorrent-udp-") && !atOnce.thread().startsWith("graytorrent-udp-utp-"),
                "on the socket's event loop, not a handler thread: " + atOnce.thread());
        assertTrue(atOnce.readOnly(), "the socket's buffer, to be read only");
        assertEquals(new DatagramStats(1, 0, 0, 0), socket.stats(DatagramKind.UTP));
    }

    @Test
    void aHandlerFailingOnTheSocketThreadLosesThatDatagramOnly() throws Exception {
        socket = NettyUdpSocket.bind(new InetSocketAddress("127.0.0.1", 0), UdpSocketSettings.defaults());
        Recorder failsFirst = new Recorder(DatagramKind.UTP, true, 1);
        socket.addHandler(failsFirst);
        Recorder dht = new Recorder(DatagramKind.KRPC);
        socket.addHandler(dht);
        peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));

        sendTo(socket, SYN);
        Await.until("the failed datagram counted as lost", LIMIT,
                () -> socket.stats(DatagramKind.UTP).receiveDropped() == 1);
        sendTo(socket, SYN);
        sendTo(socket, PING);

        assertTrue(Arrays.equals(SYN, failsFirst.next().bytes()), "the next datagram is handled");
        assertTrue(Arrays.equals(PING, dht.next().bytes()), "the socket carries on for the other kinds");
        assertEquals(new DatagramStats(2, 1, 0, 0), socket.stats(DatagramKind.UTP));
    }

    @Test
    void aRefusedKindIsNotSentAndCountedWhileTheOtherGoesOut() throws Exception {
        socket = NettyUdpSocket.bind(new InetSocketAddress("127.0.0.1", 0), UdpSocketSettings.defaults());
        peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        peer.setSoTimeout((int) LIMIT.toMillis());
        java.util.concurrent.atomic.AtomicBoolean proxied = new java.util.concurrent.atomic.AtomicBoolean(true);
        socket.refuse(kind -> proxied.get() && kind == DatagramKind.KRPC
                ? java.util.Optional.of("off: behind the proxy") : java.util.Optional.empty());
        InetSocketAddress to = (InetSocketAddress) peer.getLocalSocketAddress();

        assertFalse(socket.send(to, ByteBuffer.wrap(PING)));
        assertTrue(socket.send(to, ByteBuffer.wrap(SYN)));
        DatagramPacket first = new DatagramPacket(new byte[64], 64);
        peer.receive(first);
        assertTrue(Arrays.equals(SYN, Arrays.copyOf(first.getData(), first.getLength())), "only uTP's left");
        assertEquals(new DatagramStats(0, 0, 0, 1), socket.stats(DatagramKind.KRPC));

        proxied.set(false); // the rule is asked at each send: a route without the proxy sends again
        assertTrue(socket.send(to, ByteBuffer.wrap(PING)));
        DatagramPacket second = new DatagramPacket(new byte[128], 128);
        peer.receive(second);
        assertTrue(Arrays.equals(PING, Arrays.copyOf(second.getData(), second.getLength())));
    }

    @Test
    void datagramsOfNoKindAreCountedAndDropped() throws Exception {
        UdpSocketSettings settings = UdpSocketSettings.defaults();
        socket = NettyUdpSocket.bind(new InetSocketAddress("127.0.0.1", 0), settings);
        Recorder dht = new Recorder(DatagramKind.KRPC);
        Recorder utp = new Recorder(DatagramKind.UTP);
        socket.addHandler(dht);
        socket.addHandler(utp);
        peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        byte[] tooLong = new byte[settings.maxDatagram() + 1];
        tooLong[0] = 'd';

        for (byte[] junk : new byte[][] {new byte[0], "hello".getBytes(StandardCharsets.US_ASCII),
                DatagramClassifierTest.utpHeader(0x42, 20), DatagramClassifierTest.utpHeader(0x41, 19), tooLong}) {
            sendTo(socket, junk);
        }
        sendTo(socket, PING);

        Await.until("five unclassified", LIMIT, () -> socket.unclassified() == 5);
        assertTrue(Arrays.equals(PING, dht.next().bytes()), "the DHT's first datagram is the ping sent after the junk");
        assertNull(utp.received.poll());
        assertEquals(0, socket.stats(DatagramKind.UTP).received());
    }

    @Test
    void aSlowHandlerLosesItsOwnDatagramsOnlyAndMemoryStaysBounded() throws Exception {
        int capacity = 64;
        socket = NettyUdpSocket.bind(new InetSocketAddress("127.0.0.1", 0), new UdpSocketSettings(4096, capacity, 1024));
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger handled = new AtomicInteger();
        DatagramHandler stuck = new DatagramHandler() {
            @Override
            public DatagramKind kind() {
                return DatagramKind.UTP;
            }

            @Override
            public void onDatagram(InetSocketAddress sender, ByteBuffer datagram) {
                try {
                    release.await(); // a handler that blocks, against the rules
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                handled.incrementAndGet();
            }
        };
        Recorder dht = new Recorder(DatagramKind.KRPC);
        socket.addHandler(stuck);
        socket.addHandler(dht);
        peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));

        int flood = 10_000;
        for (int i = 0; i < flood; i++) {
            sendTo(socket, SYN);
        }
        // the kernel may lose some of the flood before the socket reads it; what arrived is counted
        DatagramStats utp = Await.value("the flood read", LIMIT, () -> socket.stats(DatagramKind.UTP),
                stats -> stats.received() > capacity && stats.received() - stats.receiveDropped() <= capacity + 1
                        && socket.queued(DatagramKind.UTP) == capacity);
        assertTrue(socket.queued(DatagramKind.UTP) <= capacity, "the queue never outgrows its bound");

        // the DHT is served while uTP's handler is stuck; a datagram the kernel loses is sent again
        for (int pings = 0; pings < 10; pings++) {
            Await.until("ping " + pings + " delivered", LIMIT, () -> {
                sendTo(socket, PING);
                return dht.received.poll(200, TimeUnit.MILLISECONDS) != null;
            });
        }
        assertEquals(0, handled.get(), "uTP's handler is still stuck");

        release.countDown();
        DatagramStats after = socket.stats(DatagramKind.UTP);
        Await.until("every queued datagram handled", LIMIT,
                () -> handled.get() == after.received() - after.receiveDropped());
        assertTrue(after.receiveDropped() >= utp.received() - capacity - 1, "the rest dropped: " + after);
    }

    @Test
    void aHandlerRemovedAtRunTimeGetsNothingMoreAndANewOneTakesOver() throws Exception {
        socket = NettyUdpSocket.bind(new InetSocketAddress("127.0.0.1", 0), UdpSocketSettings.defaults());
        Recorder first = new Recorder(DatagramKind.KRPC);
        socket.addHandler(first);
        peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        sendTo(socket, PING);
        first.next();

        socket.removeHandler(first);
        sendTo(socket, PING);
        Await.until("the ping with no handler dropped", LIMIT,
                () -> socket.stats(DatagramKind.KRPC).receiveDropped() == 1);

        Recorder second = new Recorder(DatagramKind.KRPC);
        socket.addHandler(second);
        sendTo(socket, PING);
        second.next();
        assertNull(first.received.poll(), "the removed handler got nothing more");
        assertEquals(new DatagramStats(3, 1, 0, 0), socket.stats(DatagramKind.KRPC));
    }

    @Test
    void aDualStackSocketSendsAndReceivesBothFamilies() throws Exception {
        InetAddress v6 = ipv6LoopbackOrSkip();
        socket = NettyUdpSocket.bind(new InetSocketAddress(0), UdpSocketSettings.defaults());
        assertTrue(socket.supports(StandardProtocolFamily.INET));
        assertTrue(socket.supports(StandardProtocolFamily.INET6));
        Recorder dht = new Recorder(DatagramKind.KRPC);
        socket.addHandler(dht);
        int port = socket.localAddress().getPort();

        for (InetAddress loopback : new InetAddress[] {InetAddress.getByName("127.0.0.1"), v6}) {
            try (DatagramSocket other = new DatagramSocket(new InetSocketAddress(loopback, 0))) {
                other.setSoTimeout((int) LIMIT.toMillis());
                assertTrue(socket.send((InetSocketAddress) other.getLocalSocketAddress(), ByteBuffer.wrap(PING)));
                DatagramPacket answer = new DatagramPacket(new byte[100], 100);
                other.receive(answer);
                assertEquals(PING.length, answer.getLength(), "received over " + loopback);

                other.send(new DatagramPacket(PING, PING.length, new InetSocketAddress(loopback, port)));
                Received back = dht.next();
                assertEquals(other.getLocalSocketAddress(), back.sender(), "the sender as it is, in its own family");
                assertEquals(loopback.getClass(), back.sender().getAddress().getClass());
            }
        }
        Await.until("both sends counted", LIMIT, () -> socket.stats(DatagramKind.KRPC).sent() == 2);
    }

    @Test
    void aSocketBoundToOneFamilyRefusesTheOther() throws Exception {
        InetAddress v6 = ipv6LoopbackOrSkip();
        socket = NettyUdpSocket.bind(new InetSocketAddress("127.0.0.1", 0), UdpSocketSettings.defaults());
        assertFalse(socket.supports(StandardProtocolFamily.INET6));
        assertFalse(socket.send(new InetSocketAddress(v6, 6881), ByteBuffer.wrap(PING)));
        assertEquals(new DatagramStats(0, 0, 0, 1), socket.stats(DatagramKind.KRPC));
        socket.close();

        socket = NettyUdpSocket.bind(new InetSocketAddress(v6, 0), UdpSocketSettings.defaults());
        assertTrue(socket.supports(StandardProtocolFamily.INET6));
        assertFalse(socket.supports(StandardProtocolFamily.INET));
        try (DatagramSocket other = new DatagramSocket(new InetSocketAddress(v6, 0))) {
            other.setSoTimeout((int) LIMIT.toMillis());
            assertTrue(socket.send((InetSocketAddress) other.getLocalSocketAddress(), ByteBuffer.wrap(SYN)));
            DatagramPacket packet = new DatagramPacket(new byte[100], 100);
            other.receive(packet);
            assertEquals(SYN.length, packet.getLength());
        }
    }

    @Test
    void sendingWhatIsNeitherKrpcNorUtpIsRefusedAndTheBufferIsLeftAlone() throws Exception {
        socket = NettyUdpSocket.bind(new InetSocketAddress("127.0.0.1", 0), UdpSocketSettings.defaults());
        ByteBuffer junk = ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII));
        assertThrows(IllegalArgumentException.class, () -> socket.send(new InetSocketAddress("127.0.0.1", 6881), junk));
        ByteBuffer ping = ByteBuffer.wrap(PING);
        assertTrue(socket.send(new InetSocketAddress("127.0.0.1", 9), ping));
        assertEquals(0, ping.position(), "the caller's buffer is not consumed");
        assertFalse(socket.send(InetSocketAddress.createUnresolved("localhost", 6881), ping), "unresolved");
    }

    private void sendTo(NettyUdpSocket target, byte[] datagram) throws IOException {
        peer.send(new DatagramPacket(datagram, datagram.length,
                new InetSocketAddress("127.0.0.1", target.localAddress().getPort())));
    }

    private static InetAddress ipv6LoopbackOrSkip() throws IOException {
        InetAddress v6 = InetAddress.getByName("::1");
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(v6, 0))) {
            return v6;
        } catch (SocketException e) {
            Assumptions.assumeTrue(false, "no IPv6 loopback here (" + e.getMessage() + "): IPv6 not tested");
            return null;
        }
    }

    private record Received(InetSocketAddress sender, byte[] bytes, String thread, boolean readOnly) {
    }

    /**
     * A handler that keeps what it gets, for the test thread to take; on the socket's thread if asked,
     * and failing on its first {@code failures} datagrams.
     */
    private static final class Recorder implements DatagramHandler {
        private final DatagramKind kind;
        private final boolean onSocketThread;
        private final AtomicInteger failures;
        final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

        Recorder(DatagramKind kind) {
            this(kind, false, 0);
        }

        Recorder(DatagramKind kind, boolean onSocketThread, int failures) {
            this.kind = kind;
            this.onSocketThread = onSocketThread;
            this.failures = new AtomicInteger(failures);
        }

        @Override
        public DatagramKind kind() {
            return kind;
        }

        @Override
        public boolean onSocketThread() {
            return onSocketThread;
        }

        @Override
        public void onDatagram(InetSocketAddress sender, ByteBuffer datagram) {
            if (failures.getAndDecrement() > 0) {
                throw new IllegalStateException("a handler's bug");
            }
            byte[] bytes = new byte[datagram.remaining()];
            datagram.get(bytes);
            received.add(new Received(sender, bytes, Thread.currentThread().getName(), datagram.isReadOnly()));
        }

        Received next() throws InterruptedException {
            Received next = received.poll(LIMIT.toSeconds(), TimeUnit.SECONDS);
            if (next == null) {
                throw new AssertionError(kind + " handler: nothing within " + LIMIT);
            }
            return next;
        }
    }
}
