package io.graytorrent.udp;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A protocol on the shared UDP socket, registered as a whiteboard service: the socket hands it
 * every incoming datagram of its {@link #kind()}. Every handler of a kind gets its own copy.
 *
 * <p>Threading: each handler has a bounded queue and one delivery thread of its own, never the
 * socket's event loop; {@link #onDatagram} calls for one handler never overlap and come in arrival
 * order. Never block in it: a handler that falls behind loses its own datagrams once its queue is
 * full (counted in {@link UdpSocket#stats}), and never delays the socket or another handler.
 */
@ConsumerType
public interface DatagramHandler {

    /** The datagrams this handler takes; read once, when the handler is registered. */
    DatagramKind kind();

    /**
     * One datagram from {@code sender} (an IPv4 sender as an {@link java.net.Inet4Address}, also
     * on a dual-stack socket). The buffer is the handler's own, positioned at the datagram's start
     * with its length as the limit; it may be kept. An exception thrown here is logged and the
     * datagram is lost, nothing else.
     */
    void onDatagram(InetSocketAddress sender, ByteBuffer datagram);
}
