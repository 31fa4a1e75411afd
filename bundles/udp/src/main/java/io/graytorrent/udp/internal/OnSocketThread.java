package io.graytorrent.udp.internal;

import io.graytorrent.udp.DatagramHandler;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A handler called on the socket's event loop itself, with a read-only view of the receive buffer. */
final class OnSocketThread implements HandlerDelivery {
    private static final Logger LOG = LoggerFactory.getLogger(OnSocketThread.class);

    private final DatagramHandler handler;
    private volatile boolean open = true;

    OnSocketThread(DatagramHandler handler) {
        this.handler = handler;
    }

    @Override
    public DatagramHandler handler() {
        return handler;
    }

    @Override
    public boolean offer(InetSocketAddress sender, ByteBuffer view) {
        if (!open) {
            return false;
        }
        try {
            handler.onDatagram(sender, view.asReadOnlyBuffer());
            return true;
        } catch (RuntimeException e) {
            LOG.warn("datagram handler {} failed on a datagram from {}", handler, sender, e);
            return false;
        }
    }

    @Override
    public int queued() {
        return 0;
    }

    @Override
    public void close() {
        open = false;
    }
}
