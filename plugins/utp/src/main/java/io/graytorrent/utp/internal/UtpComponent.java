package io.graytorrent.utp.internal;

import io.graytorrent.peerwire.PeerTransport;
import io.graytorrent.peerwire.PeerWire;
import io.graytorrent.udp.DatagramHandler;
import io.graytorrent.udp.DatagramKind;
import io.graytorrent.udp.UdpSocket;
import io.graytorrent.utp.internal.channel.UtpMultiplexer;
import io.graytorrent.utp.internal.protocol.UtpSettings;
import io.netty.channel.Channel;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/**
 * uTP as a peer transport: outgoing connections for the peer wire's {@code transports} order, and
 * incoming ones from the shared UDP socket's uTP datagrams, handed to {@link PeerWire#accept} so
 * they pass the same admission, limits and pipeline as TCP connections.
 */
@Component(service = {PeerTransport.class, DatagramHandler.class}, immediate = true,
        configurationPid = "io.graytorrent.utp")
@Designate(ocd = UtpConfiguration.class)
public final class UtpComponent implements PeerTransport, DatagramHandler {
    @Reference
    UdpSocket socket;
    @Reference
    PeerWire peerWire;

    private DefaultEventLoopGroup loops;
    private volatile UtpMultiplexer multiplexer;

    @Activate
    void activate(UtpConfiguration config) {
        UtpSettings defaults = UtpSettings.DEFAULTS;
        UtpSettings settings = new UtpSettings(config.packetSize(), defaults.receiveBuffer(), defaults.sendBuffer(),
                config.targetDelayMillis() * 1000L, defaults.gain(), defaults.maxWindow(), defaults.minTimeout(),
                defaults.connectAttempts(), defaults.maxTimeouts(), defaults.keepAlive(), defaults.idleTimeout(),
                defaults.delayedAck());
        loops = new DefaultEventLoopGroup(Math.max(1, config.threads()), new DefaultThreadFactory("utp", true));
        multiplexer = new UtpMultiplexer(settings, config.maxConnections(), loops, socket::send,
                socket.localAddress(), this::accepted);
    }

    private void accepted(Channel channel, InetSocketAddress remote) {
        peerWire.accept(this, channel, remote);
    }

    @Deactivate
    void deactivate() {
        multiplexer.close();
        // the RESETs go out while the socket, which outlives this component, is still open
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
    }

    @Override
    public String name() {
        return "utp";
    }

    @Override
    public CompletableFuture<Channel> connect(InetSocketAddress address) {
        return multiplexer.connect(address);
    }

    @Override
    public DatagramKind kind() {
        return DatagramKind.UTP;
    }

    /** Yes: a datagram costs a decode (its one copy), a lookup and a hand-over to its connection's loop. */
    @Override
    public boolean onSocketThread() {
        return true;
    }

    @Override
    public void onDatagram(InetSocketAddress sender, ByteBuffer datagram) {
        UtpMultiplexer running = multiplexer;
        if (running != null) {
            running.onDatagram(sender, datagram);
        }
    }
}
