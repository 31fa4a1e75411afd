package io.graytorrent.peerwire.internal;

import io.graytorrent.api.InfoHash;
import io.graytorrent.api.util.Completions;
import io.graytorrent.api.util.NetworkRoute;
import io.graytorrent.peerwire.CloseReason;
import io.graytorrent.peerwire.EncryptionPolicy;
import io.graytorrent.peerwire.ExtensionMessageHandler;
import io.graytorrent.peerwire.ExtensionRegistry;
import io.graytorrent.peerwire.PeerConnectException;
import io.graytorrent.peerwire.PeerConnection;
import io.graytorrent.peerwire.PeerId;
import io.graytorrent.peerwire.PeerTransport;
import io.graytorrent.peerwire.PeerWire;
import io.graytorrent.peerwire.PeerWireSettings;
import io.graytorrent.peerwire.TorrentEndpoint;
import io.graytorrent.peerwire.TorrentLookup;
import io.graytorrent.peerwire.internal.mse.MseStage;
import io.graytorrent.peerwire.internal.mse.StreamKeys;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.proxy.Socks5ProxyHandler;
import io.netty.resolver.NoopAddressResolverGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The peer network on Netty's TCP transport ({@link EventLoops}: native epoll or NIO); see {@link PeerWire}. */
public final class NettyPeerWire implements PeerWire {
    private static final Logger LOG = LoggerFactory.getLogger(NettyPeerWire.class);

    private final EventLoopGroup group;
    private final ServerBootstrap acceptor;
    /** Replaced when the listen address changes; guarded by this for writers. */
    private volatile Channel server;
    private volatile WireContext wire;
    private final AtomicInteger halfOpen = new AtomicInteger();
    private final StreamKeys streamKeys;
    private volatile EncryptionPolicy encryption;
    private final TransportRegistry transports;
    private volatile List<String> transportOrder;
    /** Where outgoing connections leave from and whether through a SOCKS5 proxy; read at each dial. */
    private volatile NetworkRoute route = NetworkRoute.DIRECT;
    private final UnansweredTransports unanswered = new UnansweredTransports(System::nanoTime);
    private final Set<PeerSession> sessions = ConcurrentHashMap.newKeySet();
    /** Accepted connections still owing their handshake, oldest first. */
    private final Deque<PeerSession> awaitingHandshake = new ConcurrentLinkedDeque<>();

    private NettyPeerWire(PeerWireSettings settings, TorrentLookup torrents, ExtensionRegistry extensions,
            TransportRegistry transports, DhtLink dht) throws IOException {
        group = EventLoops.group(settings.eventLoopThreads());
        streamKeys = new StreamKeys(torrents);
        encryption = settings.encryption();
        this.transports = transports;
        transportOrder = settings.transports();
        try {
            // not accepting until the context, which needs the bound port, is in place
            acceptor = new ServerBootstrap().group(group).channel(EventLoops.serverSocketChannel())
                    .option(ChannelOption.AUTO_READ, false)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            if (!torrents.admits(ch.remoteAddress())) {
                                ch.close();
                                return;
                            }
                            PeerSession session = new PeerSession(wire, null);
                            track(session, ch);
                            ChannelHandler stage = incomingStage(session);
                            if (stage != null) {
                                beforeHandshake(ch, stage);
                            }
                            awaitHandshake(session);
                        }
                    });
            server = bind(acceptor, settings);
        } catch (IOException | RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
        wire = new WireContext(settings, PeerId.generate(), torrents, extensions, listenAddress().getPort(), dht);
        server.config().setAutoRead(true);
        LOG.info("listening for peers on {}", server.localAddress());
    }

    /** Binds the listening socket (trying the port range) and starts the event loops; TCP is the only transport. */
    public static NettyPeerWire start(PeerWireSettings settings, TorrentLookup torrents, ExtensionRegistry extensions)
            throws IOException {
        return start(settings, torrents, extensions, new TransportRegistry());
    }

    /** As above, dialling also over the transports {@code transports} holds as they come and go. */
    public static NettyPeerWire start(PeerWireSettings settings, TorrentLookup torrents, ExtensionRegistry extensions,
            TransportRegistry transports) throws IOException {
        return start(settings, torrents, extensions, transports, new DhtLink());
    }

    /** As above, speaking BEP 5's DHT bit and PORT message while {@code dht} has a DHT. */
    static NettyPeerWire start(PeerWireSettings settings, TorrentLookup torrents, ExtensionRegistry extensions,
            TransportRegistry transports, DhtLink dht) throws IOException {
        return new NettyPeerWire(settings, torrents, extensions, transports, dht);
    }

    private static Channel bind(ServerBootstrap acceptor, PeerWireSettings settings) throws IOException {
        int last = settings.port() == 0 ? 0 : Math.min(65535, settings.port() + settings.portRange());
        Throwable failure = null;
        for (int port = settings.port(); port <= last; port++) {
            InetSocketAddress address = settings.bindAddress().isEmpty()
                    ? new InetSocketAddress(port) : new InetSocketAddress(settings.bindAddress(), port);
            ChannelFuture bound = acceptor.bind(address).awaitUninterruptibly();
            if (bound.isSuccess()) {
                return bound.channel();
            }
            if (!EventLoops.addressInUse(bound.cause())) {
                throw new IOException("cannot listen on " + address + ": " + bound.cause(), bound.cause());
            }
            failure = bound.cause();
        }
        throw new IOException("no free port in " + settings.port() + ".." + last, failure);
    }

    @Override
    public PeerId localPeerId() {
        return wire.localPeerId();
    }

    @Override
    public InetSocketAddress listenAddress() {
        return (InetSocketAddress) server.localAddress();
    }

    /** The route outgoing connections take from now on. */
    public void route(NetworkRoute next) {
        route = next;
    }

    @Override
    public NetworkRoute route() {
        return route;
    }

    /**
     * Tries the transports in the configured order ({@link TransportOrder}); TCP is {@code null} here.
     * A transport other than the order's last that this address lately did not answer is skipped
     * ({@link UnansweredTransports}). Through a SOCKS5 proxy only TCP is tried: the other transports are UDP,
     * which would leave beside it.
     */
    @Override
    public CompletableFuture<PeerConnection> connect(InetSocketAddress address, TorrentEndpoint torrent) {
        List<String> order = transportOrder;
        boolean udpOff = route.udpRefusal(NetworkRoute.Use.PEER).isPresent();
        List<Supplier<CompletableFuture<PeerConnection>>> attempts = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            String name = order.get(i);
            if (name.equals(PeerTransport.TCP)) {
                attempts.add(() -> connect(null, address, torrent));
            } else if (udpOff) {
                LOG.debug("not dialling {} over {}: {}", address, name, route.udpRefusal(NetworkRoute.Use.PEER).get());
            } else if (i == order.size() - 1 || !unanswered.lately(address, name)) {
                transports.find(name).ifPresent(transport -> attempts.add(
                        () -> remembered(connect(transport, address, torrent), address, name)));
            }
        }
        return told(TransportOrder.firstThatAnswers(attempts, order), address, torrent.infoHash());
    }

    @Override
    public CompletableFuture<PeerConnection> connect(InetSocketAddress address, InfoHash infoHash, String transport) {
        Optional<TorrentEndpoint> torrent = wire.torrents().find(infoHash);
        if (torrent.isEmpty()) {
            return CompletableFuture.failedFuture(new PeerConnectException("no torrent " + infoHash + " to dial for"));
        }
        if (!wire.torrents().admits(address)) {
            return CompletableFuture.failedFuture(new PeerConnectException(address + " is not admitted (blocklist)"));
        }
        // the torrent's admission decides, as for the dials it chooses itself: its limits, bans, dials in progress
        if (transport.equals(PeerTransport.TCP)) {
            return torrent.get().listener().dialAdmitted(address, () -> connect(null, address, torrent.get()));
        }
        Optional<PeerTransport> named = transports.find(transport);
        if (named.isEmpty() || route.udpRefusal(NetworkRoute.Use.PEER).isPresent()) {
            return CompletableFuture.failedFuture(new PeerConnectException("cannot dial over " + transport));
        }
        return torrent.get().listener().dialAdmitted(address,
                () -> remembered(connect(named.get(), address, torrent.get()), address, transport));
    }

    /** A dial that failed on every transport, for a reason the peer's side may cure, is told to the extensions. */
    private CompletableFuture<PeerConnection> told(CompletableFuture<PeerConnection> dial, InetSocketAddress address,
            InfoHash infoHash) {
        return dial.whenComplete((peer, failure) -> {
            Throwable cause = failure == null ? null : Completions.cause(failure);
            if (cause == null || cause instanceof PeerConnectException e
                    && (e.reason() == PeerConnectException.Reason.LIMIT || e.reason() == PeerConnectException.Reason.OURSELVES)) {
                return;
            }
            for (ExtensionMessageHandler extension : wire.extensions().snapshot().values()) {
                try {
                    extension.onDialFailed(infoHash, address);
                } catch (RuntimeException e) {
                    LOG.warn("extension {} failed on a failed dial", extension.name(), e);
                }
            }
        });
    }

    private CompletableFuture<PeerConnection> remembered(CompletableFuture<PeerConnection> dial,
            InetSocketAddress address, String transport) {
        return dial.whenComplete((peer, failure) -> {
            if (failure == null) {
                unanswered.answered(address, transport);
            } else if (TransportOrder.unreachable(failure)) {
                unanswered.noAnswer(address, transport);
            }
        });
    }

    /** Dials in the first of the {@link DialMode}s the policy gives the torrent, going on to the next as it allows. */
    private CompletableFuture<PeerConnection> connect(PeerTransport transport, InetSocketAddress address,
            TorrentEndpoint torrent) {
        CompletableFuture<PeerConnection> result = new CompletableFuture<>();
        dialInTurn(transport, address, torrent, DialMode.inTurn(encryption, torrent), 0, result);
        return result;
    }

    /**
     * Dials in {@code modes.get(index)}; if the peer took the connection but refused or dropped that handshake, for a
     * reason another mode may cure, dials in the next mode, until there is none.
     */
    private void dialInTurn(PeerTransport transport, InetSocketAddress address, TorrentEndpoint torrent,
            List<DialMode> modes, int index, CompletableFuture<PeerConnection> result) {
        dial(transport, address, torrent, modes.get(index)).whenComplete((peer, failure) -> {
            if (failure instanceof HandshakeRefused refused && refused.otherModeMayWork() && index + 1 < modes.size()) {
                LOG.debug("{}: {}; dialling again {}", address, failure.getMessage(), modes.get(index + 1));
                dialInTurn(transport, address, torrent, modes, index + 1, result);
            } else {
                complete(result, peer, failure);
            }
        });
    }

    private static void complete(CompletableFuture<PeerConnection> result, PeerConnection peer, Throwable failure) {
        if (failure == null) {
            result.complete(peer);
        } else {
            result.completeExceptionally(failure);
        }
    }

    /** The peer accepted the connection, then the handshake failed, for the same reason as {@code cause}. */
    private static final class HandshakeRefused extends PeerConnectException {
        HandshakeRefused(Throwable cause) {
            super(cause instanceof PeerConnectException known ? known.reason() : Reason.OTHER, cause.getMessage(), cause);
        }

        /** Reaching ourselves or another torrent's peer does not depend on the encryption mode. */
        boolean otherModeMayWork() {
            return reason() != Reason.OURSELVES && reason() != Reason.WRONG_INFOHASH;
        }
    }

    /** One connection over {@code transport} (null: TCP) and its handshake, in {@code mode}. */
    private CompletableFuture<PeerConnection> dial(PeerTransport transport, InetSocketAddress address,
            TorrentEndpoint torrent, DialMode mode) {
        if (halfOpen.incrementAndGet() > wire.settings().maxHalfOpen()) {
            halfOpen.decrementAndGet();
            return CompletableFuture.failedFuture(new PeerConnectException(PeerConnectException.Reason.LIMIT,
                    "half-open limit of " + wire.settings().maxHalfOpen() + " reached; not dialling " + address, null));
        }
        NetworkRoute via = route;
        // through a proxy the channel's remote address is the proxy's: the session is told the peer's
        boolean ownAddress = transport == null && via.proxyFor(NetworkRoute.Use.PEER).isEmpty();
        PeerSession session = new PeerSession(wire, torrent, mode.under(),
                transport == null ? PeerTransport.TCP : transport.name(), ownAddress ? null : address);
        ChannelHandler stage = mode.mse() == null ? null
                : MseStage.outgoing(mode.mse(), mode.under().toBytes(), session::encryption);
        CompletableFuture<PeerConnection> result = new CompletableFuture<>();
        CompletableFuture<Void> connected = transport == null ? dialTcp(address, session, stage, via)
                : dialTransport(transport, address, session, stage);
        connected.whenComplete((done, failure) -> {
            halfOpen.decrementAndGet();
            if (failure != null) {
                Throwable cause = Completions.cause(failure);
                result.completeExceptionally(new PeerConnectException(PeerConnectException.Reason.UNREACHABLE,
                        "cannot connect to " + address + (transport == null ? "" : " over " + transport.name()) + ": "
                                + cause.getMessage(), cause));
            }
        });
        session.handshakeDone().whenComplete((peer, failure) -> {
            if (failure == null) {
                result.complete(peer);
            } else {
                result.completeExceptionally(new HandshakeRefused(failure));
            }
        });
        return result;
    }

    /**
     * A TCP connection from the route's source address, through its SOCKS5 proxy if it has one: then
     * the connection counts as made once the proxy reports the peer connected, and the proxy's own
     * handshake is bounded by the connect timeout too. An interface that is down fails the dial here.
     */
    private CompletableFuture<Void> dialTcp(InetSocketAddress address, PeerSession session, ChannelHandler stage,
            NetworkRoute via) {
        Optional<InetSocketAddress> proxy = via.proxyFor(NetworkRoute.Use.PEER);
        Optional<InetSocketAddress> source;
        try {
            source = proxy.isPresent() ? Optional.empty() : via.sourceSocket(address.getAddress());
        } catch (NetworkRoute.RouteDownException e) {
            return CompletableFuture.failedFuture(e);
        }
        long timeoutMillis = wire.settings().connectTimeout().toMillis();
        Optional<Socks5ProxyHandler> socks = proxy.map(p -> socks5(via, p, timeoutMillis));
        Bootstrap bootstrap = new Bootstrap().group(group).channel(EventLoops.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) wire.settings().connectTimeout().toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        track(session, ch);
                        if (stage != null) {
                            beforeHandshake(ch, stage);
                        }
                        // nearest the socket: the wire counters and the handshake see the peer's bytes only
                        socks.ifPresent(handler -> ch.pipeline().addFirst("socks5", handler));
                    }
                });
        CompletableFuture<Void> connected = new CompletableFuture<>();
        if (proxy.isEmpty() && !via.bindInterface().isEmpty() && !EventLoops.bindToDevice(bootstrap, via.bindInterface())) {
            LOG.debug("NIO cannot pin a socket to {}: only its address binds the connection to {}", via.bindInterface(),
                    address);
        }
        ChannelFuture dialled = source.isPresent() ? bootstrap.connect(address, source.get()) : bootstrap.connect(address);
        whenThrough(dialled, socks, proxy, connected, null);
        return connected;
    }

    /** A SOCKS5 handler for {@code proxy} with the route's credentials, its handshake bounded by {@code timeoutMillis}. */
    private static Socks5ProxyHandler socks5(NetworkRoute via, InetSocketAddress proxy, long timeoutMillis) {
        InetSocketAddress at = new InetSocketAddress(proxy.getHostString(), proxy.getPort());
        Socks5ProxyHandler handler = via.proxyUsername().isEmpty() ? new Socks5ProxyHandler(at)
                : new Socks5ProxyHandler(at, via.proxyUsername(), via.proxyPassword());
        handler.setConnectTimeoutMillis(timeoutMillis);
        return handler;
    }

    /** Completes {@code connected} with {@code value} once {@code dialled} is connected and, with a proxy, through it. */
    private static <T> void whenThrough(ChannelFuture dialled, Optional<Socks5ProxyHandler> socks,
            Optional<InetSocketAddress> proxy, CompletableFuture<T> connected, T value) {
        dialled.addListener((ChannelFuture done) -> {
            if (!done.isSuccess()) {
                connected.completeExceptionally(done.cause());
            } else if (socks.isEmpty()) {
                connected.complete(value);
            } else {
                socks.get().connectFuture().addListener(through -> {
                    if (through.isSuccess()) {
                        connected.complete(value);
                    } else {
                        connected.completeExceptionally(new IOException("SOCKS5 proxy " + proxy.get().getHostString()
                                + ":" + proxy.get().getPort() + ": " + through.cause().getMessage(), through.cause()));
                    }
                });
            }
        });
    }

    @Override
    public CompletableFuture<Channel> dialOut(String host, int port, Duration timeout, ChannelHandler handlers) {
        NetworkRoute via = route;
        Optional<InetSocketAddress> proxy = via.proxyFor(NetworkRoute.Use.TRACKER);
        if (proxy.isPresent()) { // the proxy resolves the name: no DNS query leaves beside it
            return dialOut(InetSocketAddress.createUnresolved(host, port), Optional.empty(), proxy, via, timeout, handlers);
        }
        // looked up off the event loops; the source address then follows the address's family
        return CompletableFuture.supplyAsync(() -> new InetSocketAddress(host, port)).thenCompose(address -> {
            if (address.isUnresolved()) {
                return CompletableFuture.failedFuture(new IOException("cannot resolve " + host));
            }
            try {
                return dialOut(address, via.sourceSocket(address.getAddress()), proxy, via, timeout, handlers);
            } catch (NetworkRoute.RouteDownException e) {
                return CompletableFuture.failedFuture(e);
            }
        });
    }

    private CompletableFuture<Channel> dialOut(InetSocketAddress address, Optional<InetSocketAddress> source,
            Optional<InetSocketAddress> proxy, NetworkRoute via, Duration timeout, ChannelHandler handlers) {
        int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        Optional<Socks5ProxyHandler> socks = proxy.map(p -> socks5(via, p, timeoutMillis));
        Bootstrap bootstrap = new Bootstrap().group(group).channel(EventLoops.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeoutMillis)
                .resolver(NoopAddressResolverGroup.INSTANCE) // resolved above, or by the proxy
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        socks.ifPresent(handler -> ch.pipeline().addLast("socks5", handler));
                        ch.pipeline().addLast(handlers);
                    }
                });
        if (proxy.isEmpty() && !via.bindInterface().isEmpty()) {
            EventLoops.bindToDevice(bootstrap, via.bindInterface());
        }
        ChannelFuture dialled = source.isPresent() ? bootstrap.connect(address, source.get()) : bootstrap.connect(address);
        CompletableFuture<Channel> connected = new CompletableFuture<>();
        whenThrough(dialled, socks, proxy, connected, dialled.channel());
        connected.whenComplete((channel, failure) -> {
            if (failure != null) {
                dialled.channel().close();
            }
        });
        return connected;
    }

    /** Asks the transport for a channel, bounded by the connect timeout, and runs the session over it. */
    private CompletableFuture<Void> dialTransport(PeerTransport transport, InetSocketAddress address,
            PeerSession session, ChannelHandler stage) {
        Duration limit = wire.settings().connectTimeout();
        CompletableFuture<Channel> pending;
        try {
            pending = transport.connect(address);
        } catch (RuntimeException e) { // a plugin's bug is this peer unreachable, not a leaked half-open slot
            return CompletableFuture.failedFuture(e);
        }
        ScheduledFuture<?> timeout = group.schedule(() -> pending.completeExceptionally(
                new IOException("no answer within " + limit)), limit.toMillis(), TimeUnit.MILLISECONDS);
        pending.whenComplete((ch, failure) -> timeout.cancel(false));
        return pending.thenAccept(ch -> ch.eventLoop().execute(() -> adopt(ch, session, stage)));
    }

    /**
     * Takes a transport's connected channel: the pipeline as a TCP channel gets it before it
     * connects, then the start a TCP channel gets when it connects, which this one had before our
     * handlers were there to see it.
     */
    private void adopt(Channel ch, PeerSession session, ChannelHandler stage) {
        if (!ch.isActive()) {
            session.handshakeDone().completeExceptionally(new PeerConnectException(PeerConnectException.Reason.CLOSED,
                    "the " + session.transport() + " connection closed before the handshake", null));
            return;
        }
        track(session, ch);
        if (stage != null) {
            beforeHandshake(ch, stage);
        }
        ch.pipeline().context(PeerSession.WIRE_COUNTERS).fireChannelActive();
        ch.config().setAutoRead(true);
    }

    @Override
    public void accept(PeerTransport transport, Channel channel, InetSocketAddress remote) {
        channel.eventLoop().execute(() -> {
            if (group.isShuttingDown() || !wire.torrents().admits(remote)) {
                channel.close();
                return;
            }
            PeerSession session = new PeerSession(wire, null, transport.name(), remote);
            adopt(channel, session, incomingStage(session));
            awaitHandshake(session);
        });
    }

    /** The MSE stage an accepted connection starts with, or null when encryption is disabled. */
    private ChannelHandler incomingStage(PeerSession session) {
        EncryptionPolicy policy = encryption;
        return policy == EncryptionPolicy.DISABLED ? null : MseStage.incoming(policy, streamKeys, session::encryption);
    }

    /**
     * The pre-handshake seam: a stage between the transport's bytes (after the wire counters) and
     * the BitTorrent handshake codec. It owns the channel until it removes itself, handing the
     * handshake codec a plaintext stream (installing a cipher in its place if it negotiated one).
     */
    private static void beforeHandshake(Channel ch, ChannelHandler stage) {
        ch.pipeline().addAfter(PeerSession.WIRE_COUNTERS, "pre-handshake", stage);
    }

    /**
     * New settings for connections made from now on, keeping every connection and the peer id. A new
     * bind address or port moves the listener: the new socket is bound before the old one closes, so a
     * port that cannot be bound changes nothing. The event loop threads stay as they were started.
     */
    synchronized void reconfigure(PeerWireSettings settings, NetworkRoute next) throws IOException {
        reconfigure(settings);
        route = next;
    }

    synchronized void reconfigure(PeerWireSettings settings) throws IOException {
        WireContext now = wire;
        int listenPort = now.listenPort();
        if (!settings.bindAddress().equals(now.settings().bindAddress()) || settings.port() != now.settings().port()) {
            Channel moved = bind(acceptor, settings);
            Channel old = server;
            server = moved;
            listenPort = listenAddress().getPort();
            moved.config().setAutoRead(true);
            old.close();
            LOG.info("listening for peers on {} instead of {}", moved.localAddress(), old.localAddress());
        }
        encryption = settings.encryption();
        transportOrder = List.copyOf(settings.transports());
        wire = new WireContext(settings, now.localPeerId(), now.torrents(), now.extensions(), listenPort, now.dht());
    }

    @Override
    public int requestQueueLength() {
        return wire.settings().requestQueueLength();
    }

    @Override
    public int halfOpenConnections() {
        return halfOpen.get();
    }

    /**
     * Bounds the accepted connections that have not handshaken yet by {@code maxHalfOpen}: past it
     * the oldest is dropped. An honest peer handshakes within a round trip, so the oldest is the
     * likeliest to be stalling, and a flood of silent connections cannot hold sockets until the
     * handshake timeout nor lock newer peers out.
     */
    private void awaitHandshake(PeerSession session) {
        awaitingHandshake.add(session);
        session.handshakeDone().whenComplete((peer, failure) -> awaitingHandshake.remove(session));
        int bound = wire.settings().maxHalfOpen();
        while (awaitingHandshake.size() > bound) {
            PeerSession oldest = awaitingHandshake.poll();
            if (oldest != null) {
                oldest.close(CloseReason.normal("dropped for a newer connection: more than " + bound
                        + " incoming connections owe their handshake"));
            }
        }
    }

    private void track(PeerSession session, Channel ch) {
        session.install(ch);
        sessions.add(session);
        ch.closeFuture().addListener(f -> sessions.remove(session));
    }

    /** Extensions were registered: open connections announce them too (BEP 10 allows a further handshake). */
    public void extensionsChanged() {
        sessions.forEach(PeerSession::extensionsChanged);
    }

    @Override
    public void close() {
        server.close().awaitUninterruptibly();
        sessions.forEach(session -> session.close(CloseReason.normal("peer wire closed")));
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
