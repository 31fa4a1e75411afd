package io.graytorrent.peerwire.internal;

import io.graytorrent.api.DhtService;
import io.graytorrent.api.RuntimeProperties;
import org.osgi.framework.BundleContext;
import io.graytorrent.api.InfoHash;
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
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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
@Component(service = PeerWire.class, immediate = true, configurationPid = "io.graytorrent.peerwire")
@Designate(ocd = PeerWireConfiguration.class)
public final class PeerWireComponent implements PeerWire {
    private static final Logger LOG = LoggerFactory.getLogger(PeerWireComponent.class);

    private final ExtensionRegistry extensions = new ExtensionRegistry();
    private final TransportRegistry transports = new TransportRegistry();
    private final DhtLink dht = new DhtLink();
    private volatile TorrentLookup torrents;
    private volatile NettyPeerWire network;

    private String encryptionOverride;
    private String portOverride;

    @Activate
    void activate(BundleContext context, PeerWireConfiguration config) throws IOException {
        encryptionOverride = context.getProperty(RuntimeProperties.ENCRYPTION_PROPERTY);
        start(config, context.getProperty(RuntimeProperties.LISTEN_PORT_PROPERTY));
    }

    /**
     * Every key but {@code eventLoopThreads} (read at the next start) applies live to connections made
     * from now on; a new port or bind address moves the listener. No connection is closed.
     */
    @Modified
    void modified(PeerWireConfiguration config) throws IOException {
        network.reconfigure(settings(config, portOverride));
    }

    /** Starts listening; {@code portOverride} (a framework property, may be null) beats the configured port. */
    void start(PeerWireConfiguration config, String portOverride) throws IOException {
        this.portOverride = portOverride;
        network = NettyPeerWire.start(settings(config, portOverride), new RunningTorrents(), extensions, transports, dht);
    }

    private PeerWireSettings settings(PeerWireConfiguration config, String portOverride) {
        PeerWireSettings defaults = PeerWireSettings.defaults();
        int port = portOverride != null ? Integer.parseInt(portOverride) : config.port();
        // the launcher's override (gray get --encryption) beats the configured policy
        EncryptionPolicy encryption = EncryptionPolicy.parse(
                encryptionOverride != null ? encryptionOverride : config.encryption());
        return new PeerWireSettings(config.bindAddress(), port, config.portRange(),
                Duration.ofSeconds(config.connectTimeoutSeconds()), Duration.ofSeconds(config.handshakeTimeoutSeconds()),
                Duration.ofSeconds(config.idleTimeoutSeconds()), Duration.ofSeconds(config.keepAliveSeconds()),
                config.maxHalfOpen(), config.maxExtendedPayload(), config.requestQueueLength(), defaults.clientName(),
                config.announceDht(), config.eventLoopThreads(), encryption,
                PeerWireSettings.parseTransports(config.transports()));
    }

    @Deactivate
    void deactivate() {
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
    public void close() {
        // the framework closes the network when it deactivates this component
        throw new UnsupportedOperationException("the peer wire service is stopped by its bundle");
    }
}
