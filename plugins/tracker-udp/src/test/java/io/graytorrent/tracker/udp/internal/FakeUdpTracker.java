package io.graytorrent.tracker.udp.internal;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;

/**
 * A UDP tracker on 127.0.0.1 for tests: records every packet with its arrival time and answers with
 * whatever {@code responder} returns (null drops the packet, as a lossy network would).
 */
final class FakeUdpTracker implements AutoCloseable {
    record Received(long nanos, byte[] bytes, java.net.SocketAddress from) {
        ByteBuffer buffer() {
            return ByteBuffer.wrap(bytes);
        }

        /** The action of a request: at offset 8 in connect and in the others alike. */
        int action() {
            return buffer().getInt(8);
        }

        int transactionId() {
            return buffer().getInt(12);
        }
    }

    final DatagramSocket socket;
    final List<Received> received = new CopyOnWriteArrayList<>();
    private final Thread thread;

    /** {@code responder} gets the packet and how many came before it; it returns the reply or null. */
    FakeUdpTracker(BiFunction<Received, Integer, byte[]> responder) throws SocketException {
        this(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), responder);
    }

    /** On {@code bind} rather than any port of 127.0.0.1. */
    FakeUdpTracker(InetSocketAddress bind, BiFunction<Received, Integer, byte[]> responder) throws SocketException {
        socket = new DatagramSocket(bind);
        thread = new Thread(() -> {
            byte[] buffer = new byte[2048];
            while (!socket.isClosed()) {
                try {
                    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                    socket.receive(packet);
                    Received packetIn = new Received(System.nanoTime(), Arrays.copyOf(buffer, packet.getLength()),
                            packet.getSocketAddress());
                    int before = received.size();
                    received.add(packetIn);
                    byte[] reply = responder.apply(packetIn, before);
                    if (reply != null) {
                        socket.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
                    }
                } catch (IOException e) {
                    return; // closed
                }
            }
        }, "fake-udp-tracker");
        thread.setDaemon(true);
        thread.start();
    }

    URI url(String path) {
        return URI.create("udp://127.0.0.1:" + socket.getLocalPort() + path);
    }

    static byte[] connectReply(Received request, long connectionId) {
        return ByteBuffer.allocate(16).putInt(UdpPackets.CONNECT).putInt(request.transactionId()).putLong(connectionId).array();
    }

    /** An announce reply with interval 900, 3 leechers, 5 seeders and the given compact peers. */
    static byte[] announceReply(Received request, byte[] peers) {
        return ByteBuffer.allocate(20 + peers.length).putInt(UdpPackets.ANNOUNCE).putInt(request.transactionId())
                .putInt(900).putInt(3).putInt(5).put(peers).array();
    }

    /** Answers connects with {@code connectionId} and announces with one peer, 10.0.0.1:6881. */
    static byte[] wellBehaved(Received request, long connectionId) {
        if (request.bytes.length == 16 && request.buffer().getLong(0) == UdpPackets.PROTOCOL_ID) {
            return connectReply(request, connectionId);
        }
        return announceReply(request, new byte[] {10, 0, 0, 1, 0x1a, (byte) 0xe1});
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        thread.join(5000);
    }
}
