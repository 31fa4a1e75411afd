package io.graytorrent.udp.internal;

import io.graytorrent.api.util.NetworkRoute;
import io.graytorrent.peerwire.PeerWire;
import io.graytorrent.udp.DatagramHandler;
import io.graytorrent.udp.DatagramKind;
import io.graytorrent.udp.DatagramStats;
import io.graytorrent.udp.UdpSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The {@link UdpSocket} service: a {@link NettyUdpSocket} on the peer wire's listen address and
 * port, feeding the {@link DatagramHandler} services as they come and go.
 */
@Component(service = UdpSocket.class, immediate = true, configurationPid = "io.graytorrent.udp")
@Designate(ocd = UdpSocketConfiguration.class)
public final class UdpSocketComponent implements UdpSocket {
    @Reference
    PeerWire peerWire;

    private volatile NettyUdpSocket socket;
    /** Handlers bound before activation (DS binds dynamic references first), added once the socket is up. */
    private final List<DatagramHandler> early = new ArrayList<>();

    @Activate
    void activate(UdpSocketConfiguration config) throws IOException {
        NettyUdpSocket bound = NettyUdpSocket.bind(peerWire.listenAddress(),
                new UdpSocketSettings(config.maxDatagram(), config.handlerQueueLength(), config.sendQueueLength()));
        // the route is read at each send: a proxy keeps the DHT's datagrams (unless it carries peer connections
        // only) and uTP's (always: they are peer connections) from leaving beside it
        bound.refuse(kind -> peerWire.route().udpRefusal(kind == DatagramKind.UTP ? NetworkRoute.Use.PEER
                : NetworkRoute.Use.DHT));
        synchronized (early) {
            early.forEach(bound::addHandler);
            early.clear();
            socket = bound;
        }
    }

    @Deactivate
    void deactivate() {
        socket.close();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addHandler(DatagramHandler handler) {
        synchronized (early) {
            if (socket == null) {
                early.add(handler);
            } else {
                socket.addHandler(handler);
            }
        }
    }

    void removeHandler(DatagramHandler handler) {
        synchronized (early) {
            if (socket == null) {
                early.remove(handler);
            } else {
                socket.removeHandler(handler);
            }
        }
    }

    @Override
    public InetSocketAddress localAddress() {
        return socket.localAddress();
    }

    @Override
    public boolean supports(ProtocolFamily family) {
        return socket.supports(family);
    }

    @Override
    public boolean send(InetSocketAddress to, ByteBuffer datagram) {
        return socket.send(to, datagram);
    }

    @Override
    public DatagramStats stats(DatagramKind kind) {
        return socket.stats(kind);
    }

    @Override
    public long unclassified() {
        return socket.unclassified();
    }
}
