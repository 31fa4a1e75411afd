package io.graytorrent.core.internal;

import io.graytorrent.core.internal.engine.Engine;
import io.graytorrent.core.internal.config.EngineConfiguration;
import io.graytorrent.core.internal.config.EngineSettings;
import io.graytorrent.api.AddTorrent;
import io.graytorrent.api.BlocklistService;
import io.graytorrent.api.DhtService;
import io.graytorrent.api.FilePriority;
import io.graytorrent.api.FileStatus;
import io.graytorrent.api.InfoHash;
import io.graytorrent.api.PeerSource;
import io.graytorrent.api.PeerStatus;
import io.graytorrent.api.PieceMap;
import io.graytorrent.api.SeedingGoals;
import io.graytorrent.api.SeedingStatus;
import io.graytorrent.api.SessionSettings;
import io.graytorrent.api.TorrentOptions;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import io.graytorrent.api.RuntimeProperties;
import io.graytorrent.api.TorrentException;
import io.graytorrent.api.TorrentListener;
import io.graytorrent.api.TorrentService;
import io.graytorrent.api.TorrentStatus;
import io.graytorrent.api.TrackerClient;
import io.graytorrent.api.TrackerStatus;
import io.graytorrent.api.WebSeedStatus;
import io.graytorrent.core.internal.concurrent.Clock;
import io.graytorrent.core.internal.source.PeerSources;
import io.graytorrent.core.internal.tracker.TrackerClients;
import io.graytorrent.peerwire.ExtensionMessageHandler;
import io.graytorrent.peerwire.PeerWire;
import io.graytorrent.peerwire.TorrentEndpoint;
import io.graytorrent.peerwire.TorrentLookup;
import io.graytorrent.storage.StorageService;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The engine as an OSGi service: {@link TorrentService} for commands and the control endpoint, and
 * {@link TorrentLookup} for the peer wire's incoming connections. Its records live in the state
 * directory of {@link RuntimeProperties}, beside the storage's resume records.
 */
@Component(service = {TorrentService.class, TorrentLookup.class}, immediate = true, configurationPid = "io.graytorrent.core")
@Designate(ocd = EngineConfiguration.class)
public final class TorrentServiceComponent implements TorrentService, TorrentLookup {
    @Reference
    private PeerWire wire;
    @Reference
    private StorageService storage;
    private final TrackerClients trackerClients = new TrackerClients();
    private final PeerSources peerSources = new PeerSources();
    /** Bound before the engine exists, handed to it at activation; guarded by this. */
    private final List<TorrentListener> listeners = new ArrayList<>();
    private Engine engine;
    /** The blocklist service while one is configured; guarded by this. */
    private BlocklistService blocklist;
    private ServiceRegistration<ExtensionMessageHandler> metadataExtension;

    /** Tracker plugins come and go while the engine runs; a URL whose scheme has no client waits for one. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addTrackerClient(TrackerClient client, Map<String, Object> properties) {
        trackerClients.add(client, schemes(properties.get(TrackerClient.SCHEMES)));
    }

    void removeTrackerClient(TrackerClient client) {
        trackerClients.remove(client);
    }

    /** Peer source plugins (DHT, PEX, LSD, web seeds) come and go too; each hears of the running torrents. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addPeerSource(PeerSource source) {
        peerSources.add(source);
    }

    void removePeerSource(PeerSource source) {
        peerSources.remove(source);
    }

    /** The DHT plugin's node, whose state a stall diagnosis weighs. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setDht(DhtService service) {
        peerSources.useDht(service);
    }

    void unsetDht(DhtService service) {
        peerSources.dropDht(service);
    }

    /** Status listeners (the whiteboard pattern): registered as services, told of every status change. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    synchronized void addTorrentListener(TorrentListener listener) {
        listeners.add(listener);
        if (engine != null) {
            engine.addListener(listener);
        }
    }

    synchronized void removeTorrentListener(TorrentListener listener) {
        listeners.remove(listener);
        if (engine != null) {
            engine.removeListener(listener);
        }
    }

    /** The IP blocklist comes and goes with its configuration; the engine consults whichever is bound. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    synchronized void setBlocklist(BlocklistService list) {
        blocklist = list;
        if (engine != null) {
            engine.setBlocklist(list);
        }
    }

    synchronized void unsetBlocklist(BlocklistService list) {
        if (blocklist == list) {
            setBlocklist(null);
        }
    }

    private static List<String> schemes(Object property) {
        if (property instanceof String scheme) {
            return List.of(scheme);
        }
        if (property instanceof String[] schemes) {
            return List.of(schemes);
        }
        return property instanceof java.util.Collection<?> schemes ? schemes.stream().map(String::valueOf).toList() : List.of();
    }

    @Activate
    void activate(EngineConfiguration config, BundleContext context) throws IOException {
        Engine created = new Engine(EngineSettings.from(config, RuntimeProperties.home(context::getProperty)),
                RuntimeProperties.stateDirectory(context::getProperty), storage, trackerClients, peerSources, Clock.SYSTEM);
        synchronized (this) {
            listeners.forEach(created::addListener);
            created.setBlocklist(blocklist);
            engine = created;
        }
        engine.start(wire);
        // the peer wire picks extensions up as services; ut_metadata needs the engine's torrents
        metadataExtension = context.registerService(ExtensionMessageHandler.class, engine.metadataExtension(), null);
    }

    /** A changed {@code io.graytorrent.core.cfg} applies to the running engine: no torrent restarts, no peer is dropped. */
    @Modified
    void modified(EngineConfiguration config, BundleContext context) {
        engine.reconfigure(EngineSettings.from(config, RuntimeProperties.home(context::getProperty)));
    }

    @Deactivate
    void deactivate() {
        metadataExtension.unregister();
        engine.close();
    }

    @Override
    public TorrentStatus add(AddTorrent request) throws TorrentException {
        return engine.add(request);
    }

    @Override
    public List<TorrentStatus> list() {
        return engine.list();
    }

    @Override
    public TorrentStatus status(String ref) throws TorrentException {
        return engine.status(ref);
    }

    @Override
    public void start(String ref) throws TorrentException {
        engine.start(ref);
    }

    @Override
    public void stop(String ref) throws TorrentException {
        engine.stop(ref);
    }

    @Override
    public void remove(String ref, boolean deleteData) throws TorrentException {
        engine.remove(ref, deleteData);
    }

    @Override
    public void verify(String ref) throws TorrentException {
        engine.verify(ref);
    }

    @Override
    public List<FileStatus> files(String ref) throws TorrentException {
        return engine.files(ref);
    }

    @Override
    public void setFilePriority(String ref, List<Integer> fileIndexes, FilePriority priority) throws TorrentException {
        engine.setFilePriority(ref, fileIndexes, priority);
    }

    @Override
    public List<PeerStatus> peers(String ref) throws TorrentException {
        return engine.peers(ref);
    }

    @Override
    public List<WebSeedStatus> webSeeds(String ref) throws TorrentException {
        return engine.webSeeds(ref);
    }

    @Override
    public List<TrackerStatus> trackers(String ref) throws TorrentException {
        return engine.trackers(ref);
    }

    @Override
    public PieceMap pieces(String ref) throws TorrentException {
        return engine.pieces(ref);
    }

    @Override
    public SessionSettings sessionSettings() {
        return engine.sessionSettings();
    }

    @Override
    public SessionSettings updateSessionSettings(SessionSettings settings) throws TorrentException {
        return engine.updateSessionSettings(settings);
    }

    @Override
    public void connect(String ref, InetSocketAddress peer) throws TorrentException {
        engine.connect(ref, peer);
    }

    @Override
    public TorrentOptions options(String ref) throws TorrentException {
        return engine.options(ref);
    }

    @Override
    public TorrentOptions updateOptions(String ref, TorrentOptions options) throws TorrentException {
        return engine.updateOptions(ref, options);
    }

    @Override
    public SeedingStatus seeding(String ref) throws TorrentException {
        return engine.seeding(ref);
    }

    @Override
    public SeedingGoals seedingGoals() {
        return engine.seedingGoals();
    }

    @Override
    public SeedingGoals updateSeedingGoals(SeedingGoals goals) throws TorrentException {
        return engine.updateSeedingGoals(goals);
    }

    @Override
    public CompletableFuture<TorrentStatus> move(String ref, Path directory) throws TorrentException {
        return engine.move(ref, directory);
    }

    @Override
    public Optional<TorrentEndpoint> find(InfoHash infoHash) {
        return engine.find(infoHash);
    }

    @Override
    public Collection<InfoHash> infoHashes() {
        return engine.infoHashes();
    }

    @Override
    public boolean admits(InetSocketAddress remote) {
        return engine.admits(remote);
    }
}
