package io.graytorrent.core.internal.engine;

import io.graytorrent.core.internal.config.EngineSettings;
import io.graytorrent.core.internal.config.GlobalSettings;
import io.graytorrent.core.internal.files.DataFiles;
import io.graytorrent.core.internal.limit.ActiveSlots;
import io.graytorrent.core.internal.limit.PieceBudget;
import io.graytorrent.core.internal.concurrent.Clock;
import io.graytorrent.api.BlocklistService;
import io.graytorrent.core.internal.connect.Admission;
import io.graytorrent.core.internal.connect.OwnAddresses;
import io.graytorrent.core.internal.session.EngineContext;
import io.graytorrent.core.internal.session.TorrentRuntime;
import io.graytorrent.core.internal.source.PeerSources;
import io.graytorrent.core.internal.state.SeedingGoalsFile;
import io.graytorrent.core.internal.state.StateStore;
import io.graytorrent.core.internal.state.TorrentRecord;
import io.graytorrent.api.AddTorrent;
import io.graytorrent.api.FilePriority;
import io.graytorrent.api.FileStatus;
import io.graytorrent.api.InfoHash;
import io.graytorrent.api.PeerStatus;
import io.graytorrent.api.PieceMap;
import io.graytorrent.api.SeedingGoals;
import io.graytorrent.api.SeedingStatus;
import io.graytorrent.api.SessionSettings;
import io.graytorrent.api.TorrentOptions;
import io.graytorrent.api.TorrentException;
import io.graytorrent.api.TorrentException.Kind;
import io.graytorrent.api.TorrentListener;
import io.graytorrent.api.TorrentService;
import io.graytorrent.api.TorrentStatus;
import io.graytorrent.api.TrackerStatus;
import io.graytorrent.api.WebSeedStatus;
import io.graytorrent.core.internal.tracker.TrackerClients;
import io.graytorrent.core.internal.limit.RateLimits;
import io.graytorrent.core.internal.limit.TokenBucket;
import io.graytorrent.core.internal.limit.TorrentBuckets;
import io.graytorrent.core.internal.metadata.MetadataExtension;
import io.graytorrent.core.internal.peer.BanList;
import io.graytorrent.metainfo.MagnetException;
import io.graytorrent.metainfo.MagnetLink;
import io.graytorrent.metainfo.MagnetParser;
import io.graytorrent.metainfo.Metainfo;
import io.graytorrent.metainfo.MetainfoException;
import io.graytorrent.metainfo.MetainfoParser;
import io.graytorrent.metainfo.UnsupportedTorrentException;
import io.graytorrent.peerwire.ExtensionMessageHandler;
import io.graytorrent.peerwire.PeerWire;
import io.graytorrent.peerwire.TorrentEndpoint;
import io.graytorrent.peerwire.TorrentLookup;
import io.graytorrent.api.util.Completions;
import io.graytorrent.storage.StorageException;
import io.graytorrent.storage.StorageService;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The torrent engine as plain Java: the managed torrents, their records in the state directory, and
 * what they share (thread pool, timer, connection count, global rate limits, ban list, active slots).
 * Usable without OSGi: construct it, start a {@link PeerWire} with it as the lookup, then {@link #start}.
 * Its torrents see it only as their {@link EngineContext}.
 */
public final class Engine implements TorrentService, TorrentLookup, EngineContext, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
    private static final long SHUTDOWN_SECONDS = 10;

    /** Replaced whole when the settings change; readers take one consistent snapshot. */
    private volatile EngineSettings settings;
    private final GlobalSettings globalSettings;
    static final long ALT_SPEED_CHECK_SECONDS = 20;
    /** Held while the global buckets take their rates, so the timer's check never applies older settings. */
    private final Object rateLock = new Object();
    private volatile boolean altSpeedActive;
    private final StateStore store;
    private final StorageService storage;
    private final MetainfoParser parser = new MetainfoParser();
    private final MagnetParser magnetParser = new MagnetParser();
    private final ExecutorService pool = Executors.newFixedThreadPool(2, daemonThreads("graytorrent-torrent"));
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemonThreads("graytorrent-timer"));
    private final ExecutorService recordWriter = Executors.newSingleThreadExecutor(daemonThreads("graytorrent-records"));
    private final Clock clock;
    private final Admission admission;
    private final TokenBucket globalDownload;
    private final TokenBucket globalUpload;
    private final TorrentBuckets torrentDownloads;
    private final TorrentBuckets torrentUploads;
    private final BanList bans;
    /** The blocklist bound now (null for none) and what it runs after each load. */
    private volatile BlocklistService blocklist;
    private final Runnable closeBlockedPeers = this::closeBlockedPeers;
    private final ActiveSlots<TorrentRuntime> slots;
    private final PieceBudget pieceBudget;
    private final ManagedTorrents torrents = new ManagedTorrents();
    private final MetadataExtension metadataExtension = new MetadataExtension(
            infoHash -> torrents.withInfoHash(infoHash).flatMap(TorrentRuntime::metadataParticipant));
    private final TrackerClients trackerClients;
    private final PeerSources peerSources;
    private final List<TorrentListener> listeners = new CopyOnWriteArrayList<>();
    /** Tells the listeners, one event at a time in order, on a thread of its own: no engine lock is held meanwhile. */
    private final ExecutorService events = Executors.newSingleThreadExecutor(daemonThreads("graytorrent-events"));
    private volatile PeerWire wire;
    private final SeedingGoalsFile seedingGoalsFile;
    private volatile SeedingGoals seedingGoals;
    private final OwnAddresses ownAddresses = new OwnAddresses(() -> wire.listenAddress());

    public Engine(EngineSettings settings, Path stateDirectory, StorageService storage) throws IOException {
        this(settings, stateDirectory, storage, new TrackerClients());
    }

    /** With {@code trackerClients} that the caller keeps up to date as tracker plugins come and go. */
    public Engine(EngineSettings settings, Path stateDirectory, StorageService storage, TrackerClients trackerClients)
            throws IOException {
        this(settings, stateDirectory, storage, trackerClients, new PeerSources(), Clock.SYSTEM);
    }

    /** With {@code peerSources} kept up to date by the caller as well, reading the time from {@code clock}. */
    public Engine(EngineSettings settings, Path stateDirectory, StorageService storage, TrackerClients trackerClients,
            PeerSources peerSources, Clock clock) throws IOException {
        this.trackerClients = trackerClients;
        this.peerSources = peerSources;
        this.clock = clock;
        trackerClients.onArrival(() -> torrents.all().forEach(TorrentRuntime::trackerClientArrived));
        this.store = new StateStore(stateDirectory);
        this.globalSettings = new GlobalSettings(settings, stateDirectory);
        this.settings = globalSettings.current();
        this.storage = storage;
        this.seedingGoalsFile = new SeedingGoalsFile(stateDirectory);
        this.seedingGoals = seedingGoalsFile.load();
        this.globalDownload = new TokenBucket(this.settings.downloadRateLimit(), clock::nanos);
        this.globalUpload = new TokenBucket(this.settings.uploadRateLimit(), clock::nanos);
        this.torrentDownloads = new TorrentBuckets(settings.torrentDownloadRateLimit(), clock::nanos);
        this.torrentUploads = new TorrentBuckets(settings.torrentUploadRateLimit(), clock::nanos);
        this.bans = new BanList(settings.banThreshold(), BanList.DEFAULT_MAX_TRACKED);
        this.admission = new Admission(this::settings, bans, () -> wire.localPeerId(), ownAddresses);
        this.slots = new ActiveSlots<>(settings.maxActiveDownloads(), settings.maxActiveSeeds());
        this.pieceBudget = new PieceBudget(settings.maxBufferedPieceBytes());
        applyRates();
        timer.scheduleWithFixedDelay(this::applyRates, ALT_SPEED_CHECK_SECONDS, ALT_SPEED_CHECK_SECONDS, TimeUnit.SECONDS);
    }

    /** Attaches the peer network and resumes every torrent recorded in the state directory. */
    public void start(PeerWire peerWire) throws IOException {
        this.wire = peerWire;
        for (TorrentRecord stored : store.loadAll()) {
            List<InetSocketAddress> peers = stored.peers().stream().map(Engine::resolve).toList();
            TorrentRecord record = stored.withProgress(stored.running(), stored.uploaded(), stored.downloaded(), peers);
            try {
                if (record.magnetUri() != null) {
                    manageMagnet(record, magnetParser.parse(record.magnetUri()));
                } else {
                    manage(record, parser.parseMetadata(record.torrentFile()), List.of());
                }
            } catch (MetainfoException | MagnetException e) {
                LOG.warn("torrent record {} holds a .torrent or magnet link that no longer parses: {}", record.id(),
                        e.getMessage());
            }
        }
        LOG.info("engine started with {} torrents, state in {}", torrents.all().size(), store.directory());
    }

    /** {@code priorities}: one per file for a new torrent, or empty to keep the storage's (or a magnet link's selection). */
    private TorrentRuntime manage(TorrentRecord record, Metainfo metainfo, List<FilePriority> priorities) {
        return begin(new TorrentRuntime(this, record, metainfo, downloadLimits(), uploadLimits()), priorities);
    }

    private TorrentRuntime manageMagnet(TorrentRecord record, MagnetLink magnet) {
        return begin(new TorrentRuntime(this, record, magnet, downloadLimits(), uploadLimits()), List.of());
    }

    private TorrentRuntime begin(TorrentRuntime torrent, List<FilePriority> priorities) {
        torrents.put(torrent);
        published(torrent, torrent.status()); // its first status came before it was the engine's
        torrent.open(priorities);
        return torrent;
    }

    private RateLimits downloadLimits() {
        return new RateLimits(globalDownload, torrentDownloads.create());
    }

    private RateLimits uploadLimits() {
        return new RateLimits(globalUpload, torrentUploads.create());
    }

    /** The ut_metadata extension serving and fetching the metadata of this engine's torrents. */
    public ExtensionMessageHandler metadataExtension() {
        return metadataExtension;
    }

    // ---- TorrentService ----

    @Override
    public TorrentStatus add(AddTorrent request) throws TorrentException {
        if (request.magnetUri() != null) {
            return addMagnet(request);
        }
        Metainfo metainfo;
        try {
            metainfo = parser.parse(request.torrentFile());
        } catch (MetainfoException e) {
            throw new TorrentException(e instanceof UnsupportedTorrentException ? Kind.NOT_SUPPORTED : Kind.INVALID_INPUT,
                    "not a valid .torrent: " + e.getMessage(), e);
        }
        Path saveDirectory = saveDirectory(request);
        TorrentRuntime session;
        synchronized (this) {
            TorrentRecord record = record(metainfo.infoHash(), id -> new TorrentRecord(id, metainfo.infoHash(),
                    request.torrentFile(), saveDirectory, !request.paused(), 0, 0,
                    request.peers().stream().map(Engine::resolve).toList()));
            session = manage(record, metainfo, List.of());
        }
        LOG.info("added torrent {} ({}) saving to {}", session.id(), metainfo.name(), saveDirectory);
        return session.status();
    }

    /** A magnet link gets its id and record at once and fetches its metadata from the link's peers and trackers. */
    private TorrentStatus addMagnet(AddTorrent request) throws TorrentException {
        MagnetLink magnet;
        try {
            magnet = magnetParser.parse(request.magnetUri());
        } catch (MagnetException e) {
            throw new TorrentException(Kind.INVALID_INPUT, "not a valid magnet link: " + e.getMessage(), e);
        }
        Path saveDirectory = saveDirectory(request);
        List<InetSocketAddress> peers = Stream.concat(request.peers().stream(), magnet.peers().stream())
                .map(Engine::resolve).distinct().toList();
        TorrentRuntime session;
        synchronized (this) {
            TorrentRecord record = record(magnet.infoHash(), id -> TorrentRecord.ofMagnet(id, magnet.infoHash(),
                    request.magnetUri().strip(), saveDirectory, !request.paused(), peers));
            session = manageMagnet(record, magnet);
        }
        LOG.info("added magnet link {} ({}) saving to {}", session.id(), magnet.name(), saveDirectory);
        return session.status();
    }

    private Path saveDirectory(AddTorrent request) {
        return (request.saveDirectory() == null ? settings.defaultSaveDirectory() : request.saveDirectory())
                .toAbsolutePath().normalize();
    }

    /** A new torrent's record under a new id, saved; refused if the infohash is managed already. Holds the lock. */
    private TorrentRecord record(InfoHash infoHash, IntFunction<TorrentRecord> recordWithId)
            throws TorrentException {
        Optional<TorrentRuntime> existing = torrents.withInfoHash(infoHash);
        if (existing.isPresent()) {
            throw new TorrentException(Kind.ALREADY_MANAGED,
                    "torrent " + infoHash + " is already managed as id " + existing.get().id());
        }
        try {
            TorrentRecord record = recordWithId.apply(store.allocateId());
            store.save(record);
            return record;
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new TorrentException(Kind.FAILED,
                    "cannot record the torrent in " + store.directory() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<TorrentStatus> list() {
        return torrents.byIdOrder().stream().map(TorrentRuntime::status).toList();
    }

    @Override
    public TorrentStatus status(String ref) throws TorrentException {
        return torrents.find(ref).status();
    }

    @Override
    public void start(String ref) throws TorrentException {
        torrents.find(ref).start();
    }

    @Override
    public void stop(String ref) throws TorrentException {
        torrents.find(ref).stop();
    }

    @Override
    public void remove(String ref, boolean deleteData) throws TorrentException {
        TorrentRuntime session;
        synchronized (this) {
            session = torrents.find(ref);
            torrents.remove(session);
        }
        int id = session.id();
        announce(() -> listeners.forEach(listener -> tell(listener, () -> listener.removed(id, session.infoHash()))));
        try {
            // through the record writer, so a save of this torrent already queued cannot resurrect it
            recordWriter.submit(() -> {
                store.delete(id);
                return null;
            }).get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new TorrentException(Kind.FAILED, "cannot delete the record of torrent " + id + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TorrentException(Kind.FAILED, "interrupted while removing torrent " + id, e);
        }
        Optional<Metainfo> metainfo = session.metainfo();
        Path saveDirectory = session.record().saveDirectory();
        session.shutdown().thenRunAsync(() -> {
            if (deleteData) {
                metainfo.ifPresent(m -> DataFiles.delete(m, saveDirectory));
            }
        }, recordWriter);
        LOG.info("removed torrent {} ({}){}", id, session.status().name(), deleteData ? " and its data" : "");
    }

    @Override
    public void verify(String ref) throws TorrentException {
        TorrentRuntime session = torrents.find(ref);
        withMetadata(session);
        notMoving(session);
        session.verify();
    }

    @Override
    public List<FileStatus> files(String ref) throws TorrentException {
        return torrents.find(ref).files();
    }

    @Override
    public void setFilePriority(String ref, List<Integer> fileIndexes, FilePriority priority) throws TorrentException {
        TorrentRuntime session = torrents.find(ref);
        Metainfo metainfo = withMetadata(session);
        notMoving(session);
        int fileCount = metainfo.files().size();
        for (int index : fileIndexes) {
            if (index < 0 || index >= fileCount || metainfo.files().get(index).isPadding()) {
                throw new TorrentException(Kind.INVALID_INPUT, "torrent " + session.id() + " has no file " + index);
            }
        }
        session.setFilePriority(List.copyOf(fileIndexes), priority);
    }

    private static void notMoving(TorrentRuntime session) throws TorrentException {
        if (session.isMoving()) {
            throw new TorrentException(Kind.INVALID_INPUT, "torrent " + session.id()
                    + " is moving its data; try again once it is done");
        }
    }

    private static Metainfo withMetadata(TorrentRuntime session) throws TorrentException {
        return session.metainfo().orElseThrow(() -> new TorrentException(Kind.NO_METADATA_YET,
                "torrent " + session.id() + " is still fetching its metadata: it has no files yet"));
    }

    @Override
    public List<PeerStatus> peers(String ref) throws TorrentException {
        return torrents.find(ref).peerStatuses();
    }

    @Override
    public List<WebSeedStatus> webSeeds(String ref) throws TorrentException {
        return torrents.find(ref).webSeedStatuses();
    }

    @Override
    public List<TrackerStatus> trackers(String ref) throws TorrentException {
        return torrents.find(ref).trackers();
    }

    @Override
    public PieceMap pieces(String ref) throws TorrentException {
        TorrentRuntime session = torrents.find(ref);
        try {
            return session.pieceMap().get(SHUTDOWN_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            throw new TorrentException(Kind.FAILED, "torrent " + session.id() + " did not answer for its piece map", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TorrentException(Kind.FAILED,
                    "interrupted while reading the piece map of torrent " + session.id(), e);
        }
    }

    @Override
    public SessionSettings sessionSettings() {
        return settings.session();
    }

    @Override
    public synchronized SessionSettings updateSessionSettings(SessionSettings session) throws TorrentException {
        try {
            apply(globalSettings.update(session));
        } catch (IOException e) {
            throw new TorrentException(Kind.FAILED,
                    "cannot save the settings in " + store.directory() + ": " + e.getMessage(), e);
        }
        LOG.info("session settings now {}", session);
        return settings.session();
    }

    /**
     * The configuration changed while the engine runs: every limit takes the new value at once, and no
     * torrent restarts or loses a peer (see {@link GlobalSettings} for the keys the API set too).
     */
    public synchronized void reconfigure(EngineSettings configuration) {
        apply(globalSettings.reconfigure(configuration));
        LOG.info("configuration now {}", settings);
    }

    /** Hands {@code changed} to everything that holds a limit. Lowered connection limits close no connection. */
    private void apply(EngineSettings changed) {
        settings = changed;
        applyRates();
        torrentDownloads.setRate(changed.torrentDownloadRateLimit());
        torrentUploads.setRate(changed.torrentUploadRateLimit());
        bans.setThreshold(changed.banThreshold());
        pieceBudget.setCapacity(changed.maxBufferedPieceBytes());
        promote(slots.setLimits(changed.maxActiveDownloads(), changed.maxActiveSeeds()));
    }

    /**
     * The global limits in force now: the alternative ("turtle") ones while they are switched on or
     * inside their schedule (checked every {@value #ALT_SPEED_CHECK_SECONDS} s on the engine's clock,
     * in the server's time zone), else the normal ones.
     */
    void applyRates() {
        synchronized (rateLock) {
            applyRatesLocked();
        }
    }

    private void applyRatesLocked() {
        EngineSettings settings = this.settings;
        ZonedDateTime now = Instant.ofEpochMilli(clock.millis()).atZone(ZoneId.systemDefault());
        boolean active = settings.altSpeed().activeAt(now.getDayOfWeek(), now.toLocalTime());
        if (active != altSpeedActive) {
            LOG.info("alternative speed limits {}", active ? "on: " + settings.altSpeed() : "off");
            altSpeedActive = active;
        }
        SessionSettings session = settings.session();
        globalDownload.setRate(session.downloadRateLimitAt(now.getDayOfWeek(), now.toLocalTime()));
        globalUpload.setRate(session.uploadRateLimitAt(now.getDayOfWeek(), now.toLocalTime()));
    }

    long globalDownloadRate() {
        return globalDownload.rate();
    }

    long globalUploadRate() {
        return globalUpload.rate();
    }

    /** Whether the alternative limits were in force at the last check. */
    public boolean altSpeedActive() {
        return altSpeedActive;
    }

    @Override
    public TorrentOptions options(String ref) throws TorrentException {
        return torrents.find(ref).record().options();
    }

    @Override
    public TorrentOptions updateOptions(String ref, TorrentOptions options) throws TorrentException {
        TorrentRuntime session = torrents.find(ref);
        session.setOptions(options);
        LOG.info("torrent {}: options now {}", session.id(), options);
        return options;
    }

    @Override
    public SeedingStatus seeding(String ref) throws TorrentException {
        return torrents.find(ref).seedingStatus();
    }

    @Override
    public SeedingGoals seedingGoals() {
        return seedingGoals;
    }

    @Override
    public synchronized SeedingGoals updateSeedingGoals(SeedingGoals goals) throws TorrentException {
        if (!goals.isComplete()) {
            throw new TorrentException(Kind.INVALID_INPUT, "a global seeding goal cannot follow the global one (-1)");
        }
        try {
            seedingGoalsFile.save(goals);
        } catch (IOException e) {
            throw new TorrentException(Kind.FAILED,
                    "cannot save the seeding goals in " + store.directory() + ": " + e.getMessage(), e);
        }
        seedingGoals = goals;
        LOG.info("global seeding goals now {}", goals);
        return goals;
    }

    @Override
    public void seedingGoalReached(TorrentRuntime torrent) {
        pool.execute(() -> {
            try {
                remove(Integer.toString(torrent.id()), false);
            } catch (TorrentException e) {
                LOG.debug("torrent {} met its seeding goal and is gone already: {}", torrent.id(), e.getMessage());
            }
        });
    }

    @Override
    public CompletableFuture<TorrentStatus> move(String ref, Path directory) throws TorrentException {
        TorrentRuntime session = torrents.find(ref);
        withMetadata(session);
        if (directory == null || !directory.isAbsolute()) {
            throw new TorrentException(Kind.INVALID_INPUT, "move to an absolute directory, not " + directory);
        }
        if (session.isMoving()) {
            throw new TorrentException(Kind.BUSY, "torrent " + session.id() + " is moving its data already");
        }
        int id = session.id();
        return session.move(directory.normalize()).handle((status, failure) -> {
            if (failure != null) {
                Throwable cause = Completions.cause(failure);
                throw new java.util.concurrent.CompletionException(new TorrentException(moveFailure(cause),
                        "torrent " + id + " stays in " + session.record().saveDirectory() + ": " + cause.getMessage(),
                        cause));
            }
            return status;
        });
    }

    /** Why a move failed, for the caller to tell a full disk or a file in the way from a fault. */
    static Kind moveFailure(Throwable cause) {
        if (cause instanceof StorageException storage) {
            return switch (storage.reason()) {
                case DISK_FULL -> Kind.NO_SPACE;
                case TARGET_EXISTS -> Kind.TARGET_EXISTS;
                default -> Kind.FAILED;
            };
        }
        return cause instanceof TorrentException refused ? refused.kind() : Kind.FAILED;
    }

    @Override
    public void connect(String ref, InetSocketAddress peer) throws TorrentException {
        TorrentRuntime session = torrents.find(ref);
        InetSocketAddress resolved = resolve(peer);
        if (resolved.isUnresolved()) {
            throw new TorrentException(Kind.INVALID_INPUT, "cannot resolve " + peer.getHostString());
        }
        session.connect(resolved);
    }

    // ---- TorrentLookup: incoming connections reach running torrents only ----

    @Override
    public Optional<TorrentEndpoint> find(InfoHash infoHash) {
        return torrents.withInfoHash(infoHash).flatMap(TorrentRuntime::activeEndpoint);
    }

    /** A connection accepted from an address on the blocklist is closed before its handshake, and counted. */
    @Override
    public boolean admits(InetSocketAddress remote) {
        return admission.admits(remote.getAddress());
    }

    /** Every managed torrent's infohash; {@link #find} says which of them are running. */
    @Override
    public Collection<InfoHash> infoHashes() {
        return torrents.infoHashes();
    }

    // ---- EngineContext: shared by the torrents ----

    @Override
    public EngineSettings settings() {
        return settings;
    }

    @Override
    public StorageService storage() {
        return storage;
    }

    @Override
    public PieceBudget pieceBudget() {
        return pieceBudget;
    }

    @Override
    public PeerWire wire() {
        return wire;
    }

    @Override
    public ExecutorService pool() {
        return pool;
    }

    @Override
    public TrackerClients trackerClients() {
        return trackerClients;
    }

    @Override
    public ScheduledExecutorService timer() {
        return timer;
    }

    @Override
    public ActiveSlots<TorrentRuntime> slots() {
        return slots;
    }

    @Override
    public void promote(Collection<TorrentRuntime> promoted) {
        promoted.forEach(TorrentRuntime::promoted);
    }

    @Override
    public void swarmHashesKnown(TorrentRuntime torrent) {
        synchronized (this) {
            if (!torrents.isCurrent(torrent)) {
                return; // removed meanwhile: nothing leads to it any more
            }
            torrents.addSwarmHashes(torrent).forEach(taken -> LOG.warn(
                    "torrent {} ({}): infohash {} is another torrent's, so connections under it do not reach this one",
                    torrent.id(), torrent.status().name(), taken));
        }
    }

    @Override
    public void published(TorrentRuntime torrent, TorrentStatus status) {
        // checked as it is told, so that nothing about a torrent follows the news of its removal
        announce(() -> {
            if (torrents.isCurrent(torrent)) {
                listeners.forEach(listener -> tell(listener, () -> listener.statusChanged(status)));
            }
        });
    }

    /** Status listeners come and go (OSGi services); each hears of changes from now on. */
    public void addListener(TorrentListener listener) {
        listeners.add(listener);
    }

    public void removeListener(TorrentListener listener) {
        listeners.remove(listener);
    }

    private void announce(Runnable event) {
        if (!listeners.isEmpty()) {
            try {
                events.execute(event);
            } catch (RejectedExecutionException e) {
                // the engine has closed: nobody is listening any more
            }
        }
    }

    private static void tell(TorrentListener listener, Runnable event) {
        try {
            event.run();
        } catch (RuntimeException e) {
            LOG.warn("torrent listener {} failed", listener, e);
        }
    }

    @Override
    public PeerSources peerSources() {
        return peerSources;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public Admission admission() {
        return admission;
    }

    /**
     * The IP blocklist every candidate and connection is checked against from now on; null for none. Open
     * connections to addresses it blocks are closed now and whenever it loads a new list.
     */
    public synchronized void setBlocklist(BlocklistService blocklist) {
        if (this.blocklist != null) {
            this.blocklist.removeLoadListener(closeBlockedPeers);
        }
        this.blocklist = blocklist;
        admission.setBlocklist(blocklist);
        if (blocklist != null) {
            blocklist.addLoadListener(closeBlockedPeers);
            closeBlockedPeers.run();
        }
    }

    private void closeBlockedPeers() {
        BlocklistService list = blocklist;
        if (list != null) {
            torrents.all().forEach(session -> session.closeBlockedPeers(list));
        }
    }

    /** Whether every torrent's admission refuses {@code address}. */
    public boolean isBanned(InetAddress address) {
        return admission.isBanned(address);
    }

    /** Whether {@code address} reaches this engine's own listener, as far as it knows. */
    boolean isOurself(InetSocketAddress address) {
        return ownAddresses.contains(address);
    }

    @Override
    public void seenAs(InetAddress ip) {
        ownAddresses.seenAs(ip);
    }

    /** A piece with data from {@code address} failed its hash check; past the threshold the address is banned. */
    @Override
    public void recordHashFailure(InetAddress address) {
        if (bans.recordFailure(address)) {
            LOG.warn("banned {} until restart: it sent data failing {} hash checks", address, settings.banThreshold());
            torrents.all().forEach(session -> session.closePeersAt(address));
        }
    }

    @Override
    public void saveRecord(TorrentRecord record) {
        recordWriter.execute(() -> {
            if (torrents.contains(record.id())) {
                store.save(record);
            }
        });
    }

    // ---- shutdown ----

    /** Stops every torrent (keeping whether each was running), checkpoints them and waits for the records. */
    @Override
    public void close() {
        setBlocklist(null);
        List<CompletableFuture<Void>> closing = torrents.all().stream().map(TorrentRuntime::shutdown).toList();
        try {
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(SHUTDOWN_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            LOG.warn("torrents did not all close within {} s", SHUTDOWN_SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timer.shutdownNow();
        pool.shutdown();
        recordWriter.shutdown();
        events.shutdown();
        try {
            recordWriter.awaitTermination(SHUTDOWN_SECONDS, TimeUnit.SECONDS);
            events.awaitTermination(SHUTDOWN_SECONDS, TimeUnit.SECONDS);
            pool.awaitTermination(SHUTDOWN_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static InetSocketAddress resolve(InetSocketAddress address) {
        return address.isUnresolved() ? new InetSocketAddress(address.getHostString(), address.getPort()) : address;
    }

    private static ThreadFactory daemonThreads(String name) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
