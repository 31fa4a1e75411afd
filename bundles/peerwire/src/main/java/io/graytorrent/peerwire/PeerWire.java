package io.graytorrent.peerwire;

import io.graytorrent.api.InfoHash;
import io.graytorrent.api.util.NetworkRoute;
import io.graytorrent.peerwire.internal.NettyPeerWire;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The peer network: a listening socket whose incoming handshakes are routed to torrents by
 * infohash, and outgoing connections with a connect timeout and a limit on half-open connects.
 * In OSGi it is a service; elsewhere {@link #start} makes one.
 */
@ProviderType
public interface PeerWire extends AutoCloseable {

    /** Starts listening and returns the running network; {@link #close} stops it. */
    static PeerWire start(PeerWireSettings settings, TorrentLookup torrents, ExtensionRegistry extensions)
            throws IOException {
        return NettyPeerWire.start(settings, torrents, extensions);
    }

    /** Our peer id, the same in every handshake of this instance. */
    PeerId localPeerId();

    /** Where we listen, with the port actually bound. */
    InetSocketAddress listenAddress();

    /**
     * Dials a peer for {@code torrent} over the transports of the {@code transports} setting in
     * their order (those installed): the next is tried only when one gets no answer at all. The
     * future completes when the handshake is done (the listener's {@code onConnected} has run), or
     * fails with a {@link PeerConnectException}: connect refused or timed out on every transport,
     * half-open limit reached, handshake refused or timed out.
     */
    CompletableFuture<PeerConnection> connect(InetSocketAddress address, TorrentEndpoint torrent);

    /**
     * Dials a peer for the running torrent {@code infoHash} over the one transport named, at once, as
     * a holepunch's simultaneous open (BEP 55) needs. Fails with a {@link PeerConnectException} as
     * {@link #connect(InetSocketAddress, TorrentEndpoint)} does, and also, without dialling, when no
     * torrent of that infohash accepts connections, the {@link TorrentLookup} does not admit the
     * address (the blocklist: the address may come from a peer), no such transport is installed, or
     * the torrent's own admission refuses the dial ({@link PeerListener#dialAdmitted}: its limits).
     * The default knows no torrents.
     */
    default CompletableFuture<PeerConnection> connect(InetSocketAddress address, InfoHash infoHash, String transport) {
        return CompletableFuture.failedFuture(new PeerConnectException("no torrent " + infoHash + " to dial for"));
    }

    /**
     * Takes a connection {@code transport} accepted from {@code remote}, a channel as
     * {@link PeerTransport} describes, and treats it as one accepted on our listening socket:
     * encryption stage, handshake routed by infohash, and the half-open bound (past it the oldest
     * connection still owing its handshake is dropped).
     */
    void accept(PeerTransport transport, Channel channel, InetSocketAddress remote);

    /** Our {@code reqq}: how many requests one peer may have outstanding with us, as announced to it. */
    int requestQueueLength();

    /** Outgoing connects not yet connected, over any transport. */
    int halfOpenConnections();

    /**
     * The network route configured with the peer wire (source address or interface, SOCKS5 proxy),
     * as it is now; whatever else sends from our address (the shared UDP socket) follows it too.
     */
    default NetworkRoute route() {
        return NetworkRoute.DIRECT;
    }

    /**
     * A TCP connection for the engine's other clients (a web seed's HTTP), on the peer wire's event loops and
     * transport (native epoll or NIO), by the {@link #route()} as an http tracker's request goes: from its source
     * address or interface, or through its SOCKS5 proxy, which then resolves {@code host} (else it is looked up
     * off the event loops). {@code handlers} (a {@link io.netty.channel.ChannelInitializer}, say) go after the
     * proxy's. Completes with the channel once it is connected, through the proxy if any; the connect and the
     * proxy's handshake are each bounded by {@code timeout}. The default dials nothing.
     */
    default CompletableFuture<Channel> dialOut(String host, int port, Duration timeout, ChannelHandler handlers) {
        return CompletableFuture.failedFuture(new IOException("this peer wire makes no other connections"));
    }

    /** Closes the listening socket and every connection. */
    @Override
    void close();
}
