package io.graytorrent.udp.internal;

import io.graytorrent.udp.DatagramHandler;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/** How one handler gets the datagrams the socket's event loop offers it: queued ({@link HandlerQueue}) or at once. */
interface HandlerDelivery {

    /** The handler delivered to. */
    DatagramHandler handler();

    /**
     * A datagram, as a view of the socket's receive buffer that is valid during the call only;
     * false when it is lost (a full queue, a failed handler).
     */
    boolean offer(InetSocketAddress sender, ByteBuffer view);

    /** Datagrams waiting, not counting one being handled. */
    int queued();

    /** Delivers nothing more; what waits is dropped. */
    void close();

    /** The delivery {@code handler} asks for, its thread (if it has one) named {@code name}. */
    static HandlerDelivery of(DatagramHandler handler, int queueLength, String name) {
        return handler.onSocketThread() ? new OnSocketThread(handler) : new HandlerQueue(handler, queueLength, name);
    }
}
