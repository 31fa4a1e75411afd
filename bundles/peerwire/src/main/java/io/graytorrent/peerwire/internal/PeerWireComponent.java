package io.graytorrent.peerwire.internal;

import io.graytorrent.api.DhtService;
import io.graytorrent.api.RuntimeProperties;
import io.graytorrent.api.util.LaterChangeWins;
import io.graytorrent.api.util.NetworkRoute;
import org.osgi.framework.BundleContext;
import io.graytorrent.api.InfoHash;
import io.graytorrent.api.NetworkService;
import io.graytorrent.peerwire.EncryptionPolicy;
import io.graytorrent.peerwire.ExtensionMessageHandler;
import io.graytorrent.peerwire.ExtensionRegistry;
import io.graytorrent.peerwire.PeerConnection;
import io.graytorrent.peerwire.PeerId;
import io.graytorrent.peerwire.PeerTransport;
import io.graytorrent.peerwire.PeerWire;
import io.graytorrent.peerwire.PeerWireSettings;
import io.graytorrent.peerwire.TorrentEndpoint;
import io.graytorrent.peerwire.TorrentLookup;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link PeerWire} service: a {@link NettyPeerWire} built from configuration. Incoming
 * connections are routed through the engine's {@link TorrentLookup} service (optional, so the
 * engine may in turn require this service); extension plugins join as they come and go.
 */
@Component(service = {PeerWire.class, NetworkService.class}, immediate = true, configurationPid = "io.graytorrent.peerwire")
@Designate(ocd = PeerWireConfiguration.class)
public final class PeerWireComponent implements PeerWire, NetworkService {
    private static final Logger LOG = LoggerFactory.getLogger(PeerWireComponent.class);

    private final ExtensionRegistry extensions = new ExtensionRegistry();
    private final TransportRegistry transports = new TransportRegistry();
    private final DhtLink dht = new DhtLink();
    private volatile TorrentLookup torrents;
    private volatile NettyPeerWire network;

    /** Looks at bound interfaces, for every peer wire of the JVM; a daemon thread. */
    private static final ScheduledExecutorService WATCH = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "graytorrent-interface-watch");
        thread.setDaemon(true);
        return thread;
    });
    private static final int INTERFACE_WATCH_SECONDS = 3;
    /** Guarded by this. */
    private ScheduledFuture<?> interfaceWatch;

    private static final String ENCRYPTION = "encryption";

    private String encryptionOverride;
    private String portOverride;
    /** The encryption policy set through the API, against the configuration's; null outside a framework (tests). */
    private LaterChangeWins apiValues;
    /** The configuration now; guarded by this. */
    private PeerWireConfiguration config;

    @Activate
    void activate(BundleContext context, PeerWireConfiguration config) throws IOException {
        encryptionOverride = context.getProperty(RuntimeProperties.ENCRYPTION_PROPERTY);
        apiValues = new LaterChangeWins(RuntimeProperties.stateDirectory(context::getProperty).resolve("peerwire-settings"),
                "io.graytorrent.peerwire");
        start(config, context.getProperty(RuntimeProperties.LISTEN_PORT_PROPERTY));
    }

    @Override
    public synchronized String encryption() {
        return encryptionPolicy(config).label();
    }

    @Override
    public String updateEncryption(String policy) throws IOException {
        String label = EncryptionPolicy.parse(policy).label();
        synchronized (this) {
            if (apiValues == null) {
                throw new IllegalStateException("the peer wire runs without a state directory");
            }
            apiValues.set(Map.of(ENCRYPTION, config.encryption()), Map.of(ENCRYPTION, label));
            NetworkRoute route = network.route();
            network.reconfigure(settings(config, portOverride, route), route);
            LOG.info("encryption {} (set through the API) for the connections made from now on", encryption());
            return encryption();
        }
    }

    /** The launcher's override (gray get --encryption), else the later of the configuration's and the API's policy. */
    private EncryptionPolicy encryptionPolicy(PeerWireConfiguration config) {
        if (encryptionOverride != null) {
            return EncryptionPolicy.parse(encryptionOverride);
        }
        return EncryptionPolicy.parse(apiValues == null ? config.encryption()
                : apiValues.resolve(Map.of(ENCRYPTION, config.encryption())).get(ENCRYPTION));
    }

    /**
     * Every key but {@code eventLoopThreads} (read at the next start) applies live to connections made
     * from now on; a new port or bind address moves the listener. No connection is closed.
     */
    @Modified
    void modified(PeerWireConfiguration config) throws IOException {
        NetworkRoute route = route(config);
        synchronized (this) {
            this.config = config;
            network.reconfigure(settings(config, portOverride, route), route);
        }
        watchInterface(config);
    }

    /** Starts listening; {@code portOverride} (a framework property, may be null) beats the configured port. */
    synchronized void start(PeerWireConfiguration config, String portOverride) throws IOException {
        this.portOverride = portOverride;
        this.config = config;
        NetworkRoute route = route(config);
        network = NettyPeerWire.start(settings(config, portOverride, route), new RunningTorrents(), extensions, transports,
                dht);
        network.route(route);
        watchInterface(config);
    }

    /** The network keys, which the tracker clients and the UDP socket read from this PID too. */
    static NetworkRoute route(PeerWireConfiguration config) {
        NetworkRoute route = NetworkRoute.of(config.bindAddress(), config.bindInterface(), config.proxy(),
                config.proxyUsername(), config.proxyPassword(), config.proxyPeerConnectionsOnly());
        LOG.info("peer connections leave {}", route.describe());
        return route;
    }

    /**
     * The listen address: {@code bindAddress}, or the bound interface's address (IPv4 where it has one)
     * as it is now; while the interface is missing, down or without an address, 127.0.0.1, so that
     * nothing is reachable by another interface ({@link #followInterface} moves it when it returns).
     */
    private static String listenAddress(PeerWireConfiguration config, NetworkRoute route) {
        if (route.bindInterface().isEmpty()) {
            return config.bindAddress();
        }
        try {
            return route.interfaceAddress(false).getHostAddress();
        } catch (NetworkRoute.RouteDownException noV4) {
            try {
                return route.interfaceAddress(true).getHostAddress();
            } catch (NetworkRoute.RouteDownException down) {
                LOG.warn("{}: listening on 127.0.0.1 only until it is back", down.getMessage());
                return "127.0.0.1";
            }
        }
    }

    /**
     * With {@code bindInterface}, every few seconds: the listener moves to the interface's address when
     * that differs from where it listens (the interface came back, or its address changed). Outgoing
     * traffic needs no watch: it looks the interface up at each dial and packet.
     */
    private void watchInterface(PeerWireConfiguration config) {
        synchronized (this) {
            if (interfaceWatch != null) {
                interfaceWatch.cancel(false);
                interfaceWatch = null;
            }
            if (!config.bindInterface().isBlank()) {
                interfaceWatch = WATCH.scheduleWithFixedDelay(() -> followInterface(config), INTERFACE_WATCH_SECONDS,
                        INTERFACE_WATCH_SECONDS, TimeUnit.SECONDS);
            }
        }
    }

    private synchronized void followInterface(PeerWireConfiguration config) {
        NetworkRoute route = network.route();
        String wanted = listenAddress(config, route);
        if (route.problem().isEmpty() && !wanted.equals(network.listenAddress().getAddress().getHostAddress())) {
            try {
                network.reconfigure(settings(config, portOverride, route), route);
            } catch (IOException | RuntimeException e) {
                LOG.warn("cannot listen on {} of interface {}: {}", wanted, route.bindInterface(), e.getMessage());
            }
        }
    }

    private PeerWireSettings settings(PeerWireConfiguration config, String portOverride, NetworkRoute route) {
        PeerWireSettings defaults = PeerWireSettings.defaults();
        int port = portOverride != null ? Integer.parseInt(portOverride) : config.port();
        EncryptionPolicy encryption = encryptionPolicy(config);
        return new PeerWireSettings(listenAddress(config, route), port, config.portRange(),
                Duration.ofSeconds(config.connectTimeoutSeconds()), Duration.ofSeconds(config.handshakeTimeoutSeconds()),
                Duration.ofSeconds(config.idleTimeoutSeconds()), Duration.ofSeconds(config.keepAliveSeconds()),
                config.maxHalfOpen(), config.maxExtendedPayload(), config.requestQueueLength(), defaults.clientName(),
                config.eventLoopThreads(), encryption,
                PeerWireSettings.parseTransports(config.transports()));
    }

    @Deactivate
    void deactivate() {
        synchronized (this) {
            if (interfaceWatch != null) {
                interfaceWatch.cancel(false);
            }
        }
        network.close();
    }

    /** The engine's lookup while it is bound; none before. */
    private final class RunningTorrents implements TorrentLookup {
        @Override
        public Optional<TorrentEndpoint> find(InfoHash infoHash) {
            TorrentLookup lookup = torrents;
            return lookup == null ? Optional.empty() : lookup.find(infoHash);
        }

        @Override
        public Collection<InfoHash> infoHashes() {
            TorrentLookup lookup = torrents;
            return lookup == null ? List.of() : lookup.infoHashes();
        }

        @Override
        public boolean admits(InetSocketAddress remote) {
            TorrentLookup lookup = torrents;
            return lookup == null || lookup.admits(remote);
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setTorrentLookup(TorrentLookup lookup) {
        torrents = lookup;
    }

    void unsetTorrentLookup(TorrentLookup lookup) {
        if (torrents == lookup) {
            torrents = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addExtension(ExtensionMessageHandler handler) {
        try {
            int id = extensions.register(handler);
            LOG.debug("extension '{}' has local message id {}", handler.name(), id);
            NettyPeerWire running = network;
            if (running != null) {
                running.extensionsChanged();
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            LOG.warn("extension '{}' not registered: {}", handler.name(), e.getMessage());
        }
    }

    void removeExtension(ExtensionMessageHandler handler) {
        extensions.unregister(handler);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addTransport(PeerTransport transport) {
        if (!transports.register(transport)) {
            LOG.warn("transport '{}' not registered: the name is tcp's or another transport's", transport.name());
        }
    }

    void removeTransport(PeerTransport transport) {
        transports.unregister(transport);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setDht(DhtService service) {
        dht.use(service);
    }

    void unsetDht(DhtService service) {
        dht.drop(service);
    }

    @Override
    public PeerId localPeerId() {
        return network.localPeerId();
    }

    @Override
    public InetSocketAddress listenAddress() {
        return network.listenAddress();
    }

    @Override
    public CompletableFuture<PeerConnection> connect(InetSocketAddress address, TorrentEndpoint torrent) {
        return network.connect(address, torrent);
    }

    @Override
    public CompletableFuture<PeerConnection> connect(InetSocketAddress address, InfoHash infoHash, String transport) {
        return network.connect(address, infoHash, transport);
    }

    @Override
    public void accept(PeerTransport transport, Channel channel, InetSocketAddress remote) {
        network.accept(transport, channel, remote);
    }

    @Override
    public int requestQueueLength() {
        return network.requestQueueLength();
    }

    @Override
    public int halfOpenConnections() {
        return network.halfOpenConnections();
    }

    @Override
    public NetworkRoute route() {
        return network.route();
    }

    @Override
    public CompletableFuture<Channel> dialOut(String host, int port, Duration timeout, ChannelHandler handlers) {
        return network.dialOut(host, port, timeout, handlers);
    }

    @Override
    public void close() {
        // the framework closes the network when it deactivates this component
        throw new UnsupportedOperationException("the peer wire service is stopped by its bundle");
    }
}
