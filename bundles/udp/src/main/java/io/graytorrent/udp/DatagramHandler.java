package io.graytorrent.udp;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A protocol on the shared UDP socket, registered as a whiteboard service: the socket hands it
 * every incoming datagram of its {@link #kind()}. Every handler of a kind gets its own copy.
 *
 * <p>Threading: by default each handler has a bounded queue and one delivery thread of its own,
 * never the socket's event loop; {@link #onDatagram} calls for one handler never overlap and come in
 * arrival order. Never block in it: a handler that falls behind loses its own datagrams once its
 * queue is full (counted in {@link UdpSocket#stats}), and never delays the socket or another handler.
 * A handler that says {@link #onSocketThread()} is called on the socket's event loop instead.
 */
@ConsumerType
public interface DatagramHandler {

    /** The datagrams this handler takes; read once, when the handler is registered. */
    DatagramKind kind();

    /**
     * Whether {@link #onDatagram} runs on the socket's event loop, with no queue or thread of its
     * own: one copy and one thread hop less a datagram, for a handler whose work per datagram is a
     * few microseconds and never blocks (uTP's: find the connection, hand the packet to its thread),
     * since every datagram of every kind waits for it. It is given the socket's receive buffer, to be
     * read during the call only. Read once, when the handler is registered.
     */
    default boolean onSocketThread() {
        return false;
    }

    /**
     * One datagram from {@code sender} (an IPv4 sender as an {@link java.net.Inet4Address}, also
     * on a dual-stack socket), positioned at the datagram's start with its length as the limit. The
     * buffer is the handler's own and may be kept, unless {@link #onSocketThread()}: then it is the
     * socket's, valid until this returns, and what is kept must be copied out. An exception thrown
     * here is logged and the datagram is lost, nothing else.
     */
    void onDatagram(InetSocketAddress sender, ByteBuffer datagram);
}
