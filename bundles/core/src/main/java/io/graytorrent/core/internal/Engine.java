package io.graytorrent.core.internal;

import io.graytorrent.api.AddTorrent;
import io.graytorrent.api.FilePriority;
import io.graytorrent.api.FileStatus;
import io.graytorrent.api.InfoHash;
import io.graytorrent.api.PeerStatus;
import io.graytorrent.api.PieceMap;
import io.graytorrent.api.SessionSettings;
import io.graytorrent.api.TorrentException;
import io.graytorrent.api.TorrentService;
import io.graytorrent.api.TorrentStatus;
import io.graytorrent.api.TrackerStatus;
import io.graytorrent.core.internal.tracker.TrackerClients;
import io.graytorrent.core.internal.limit.RateLimits;
import io.graytorrent.core.internal.limit.TokenBucket;
import io.graytorrent.core.internal.peer.BanList;
import io.graytorrent.metainfo.Metainfo;
import io.graytorrent.metainfo.MetainfoException;
import io.graytorrent.metainfo.MetainfoParser;
import io.graytorrent.peerwire.PeerWire;
import io.graytorrent.peerwire.TorrentEndpoint;
import io.graytorrent.peerwire.TorrentLookup;
import io.graytorrent.storage.StorageService;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The torrent engine as plain Java: the managed torrents, their records in the state directory, and
 * what they share (thread pool, timer, connection count, global rate limits, ban list, active slots).
 * Usable without OSGi: construct it, start a {@link PeerWire} with it as the lookup, then {@link #start}.
 */
final class Engine implements TorrentService, TorrentLookup, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,9}");
    private static final Pattern HEX_PREFIX = Pattern.compile("[0-9a-fA-F]{4,40}");
    private static final long SHUTDOWN_SECONDS = 10;

    /** Replaced whole when the session settings change; readers take one consistent snapshot. */
    private volatile EngineSettings settings;
    private final SessionSettingsFile sessionSettingsFile;
    private final StateStore store;
    private final StorageService storage;
    private final MetainfoParser parser = new MetainfoParser();
    private final ExecutorService pool = Executors.newFixedThreadPool(2, daemonThreads("graytorrent-torrent"));
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemonThreads("graytorrent-timer"));
    private final ExecutorService recordWriter = Executors.newSingleThreadExecutor(daemonThreads("graytorrent-records"));
    private final AtomicInteger connections = new AtomicInteger();
    private final TokenBucket globalDownload;
    private final TokenBucket globalUpload;
    private final BanList bans;
    private final ActiveSlots<TorrentSession> slots;
    private final Map<Integer, TorrentSession> byId = new ConcurrentHashMap<>();
    private final Map<InfoHash, TorrentSession> byHash = new ConcurrentHashMap<>();
    private final TrackerClients trackerClients;
    private volatile PeerWire wire;

    Engine(EngineSettings settings, Path stateDirectory, StorageService storage) throws IOException {
        this(settings, stateDirectory, storage, new TrackerClients());
    }

    /** With {@code trackerClients} that the caller keeps up to date as tracker plugins come and go. */
    Engine(EngineSettings settings, Path stateDirectory, StorageService storage, TrackerClients trackerClients)
            throws IOException {
        this.trackerClients = trackerClients;
        trackerClients.onArrival(() -> byId.values().forEach(TorrentSession::trackerClientArrived));
        this.store = new StateStore(stateDirectory);
        this.sessionSettingsFile = new SessionSettingsFile(stateDirectory);
        this.settings = sessionSettingsFile.load().map(settings::with).orElse(settings);
        this.storage = storage;
        this.globalDownload = new TokenBucket(this.settings.downloadRateLimit(), System::nanoTime);
        this.globalUpload = new TokenBucket(this.settings.uploadRateLimit(), System::nanoTime);
        this.bans = new BanList(settings.banThreshold(), BanList.DEFAULT_MAX_TRACKED);
        this.slots = new ActiveSlots<>(settings.maxActiveDownloads(), settings.maxActiveSeeds());
    }

    /** Attaches the peer network and resumes every torrent recorded in the state directory. */
    void start(PeerWire peerWire) throws IOException {
        this.wire = peerWire;
        for (TorrentRecord record : store.loadAll()) {
            try {
                Metainfo metainfo = parser.parse(record.torrentFile());
                List<InetSocketAddress> peers = record.peers().stream().map(Engine::resolve).toList();
                manage(record.withProgress(record.running(), record.uploaded(), record.downloaded(), peers), metainfo);
            } catch (MetainfoException e) {
                LOG.warn("torrent record {} holds a .torrent that no longer parses: {}", record.id(), e.getMessage());
            }
        }
        LOG.info("engine started with {} torrents, state in {}", byId.size(), store.directory());
    }

    private TorrentSession manage(TorrentRecord record, Metainfo metainfo) {
        TorrentSession session = new TorrentSession(this, record, metainfo,
                new RateLimits(globalDownload, new TokenBucket(settings.torrentDownloadRateLimit(), System::nanoTime)),
                new RateLimits(globalUpload, new TokenBucket(settings.torrentUploadRateLimit(), System::nanoTime)));
        byId.put(record.id(), session);
        byHash.put(metainfo.infoHash(), session);
        session.open();
        return session;
    }

    // ---- TorrentService ----

    @Override
    public TorrentStatus add(AddTorrent request) throws TorrentException {
        if (request.magnetUri() != null) {
            throw new TorrentException("magnet links are not supported yet");
        }
        Metainfo metainfo;
        try {
            metainfo = parser.parse(request.torrentFile());
        } catch (MetainfoException e) {
            throw new TorrentException("not a valid .torrent: " + e.getMessage(), e);
        }
        Path saveDirectory = (request.saveDirectory() == null ? settings.defaultSaveDirectory() : request.saveDirectory())
                .toAbsolutePath().normalize();
        TorrentSession session;
        synchronized (this) {
            TorrentSession existing = byHash.get(metainfo.infoHash());
            if (existing != null) {
                throw new TorrentException("torrent " + metainfo.infoHash() + " is already managed as id " + existing.id);
            }
            TorrentRecord record;
            try {
                record = new TorrentRecord(store.allocateId(), metainfo.infoHash(), request.torrentFile(), saveDirectory,
                        !request.paused(), 0, 0, request.peers().stream().map(Engine::resolve).toList());
                store.save(record);
            } catch (IOException | java.io.UncheckedIOException e) {
                throw new TorrentException("cannot record the torrent in " + store.directory() + ": " + e.getMessage(), e);
            }
            session = manage(record, metainfo);
        }
        LOG.info("added torrent {} ({}) saving to {}", session.id, metainfo.name(), saveDirectory);
        return session.status();
    }

    @Override
    public List<TorrentStatus> list() {
        return sessions().stream().map(TorrentSession::status).toList();
    }

    @Override
    public TorrentStatus status(String ref) throws TorrentException {
        return torrent(ref).status();
    }

    @Override
    public void start(String ref) throws TorrentException {
        torrent(ref).start();
    }

    @Override
    public void stop(String ref) throws TorrentException {
        torrent(ref).stop();
    }

    @Override
    public void remove(String ref, boolean deleteData) throws TorrentException {
        TorrentSession session = torrent(ref);
        synchronized (this) {
            byId.remove(session.id);
            byHash.remove(session.metainfo.infoHash());
        }
        try {
            // through the record writer, so a save of this torrent already queued cannot resurrect it
            recordWriter.submit(() -> {
                store.delete(session.id);
                return null;
            }).get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new TorrentException("cannot delete the record of torrent " + session.id + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TorrentException("interrupted while removing torrent " + session.id, e);
        }
        session.shutdown().thenRunAsync(() -> {
            if (deleteData) {
                DataFiles.delete(session.metainfo, session.record().saveDirectory());
            }
        }, recordWriter);
        LOG.info("removed torrent {} ({}){}", session.id, session.metainfo.name(), deleteData ? " and its data" : "");
    }

    @Override
    public void verify(String ref) throws TorrentException {
        torrent(ref).verify();
    }

    @Override
    public List<FileStatus> files(String ref) throws TorrentException {
        return torrent(ref).files();
    }

    @Override
    public void setFilePriority(String ref, List<Integer> fileIndexes, FilePriority priority) throws TorrentException {
        TorrentSession session = torrent(ref);
        int fileCount = session.metainfo.files().size();
        for (int index : fileIndexes) {
            if (index < 0 || index >= fileCount || session.metainfo.files().get(index).isPadding()) {
                throw new TorrentException("torrent " + session.id + " has no file " + index);
            }
        }
        session.setFilePriority(List.copyOf(fileIndexes), priority);
    }

    @Override
    public List<PeerStatus> peers(String ref) throws TorrentException {
        return torrent(ref).peerStatuses();
    }

    @Override
    public List<TrackerStatus> trackers(String ref) throws TorrentException {
        return torrent(ref).trackers();
    }

    @Override
    public PieceMap pieces(String ref) throws TorrentException {
        TorrentSession session = torrent(ref);
        try {
            return session.pieceMap().get(SHUTDOWN_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            throw new TorrentException("torrent " + session.id + " did not answer for its piece map", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TorrentException("interrupted while reading the piece map of torrent " + session.id, e);
        }
    }

    @Override
    public SessionSettings sessionSettings() {
        return settings.session();
    }

    @Override
    public synchronized SessionSettings updateSessionSettings(SessionSettings session) throws TorrentException {
        try {
            sessionSettingsFile.save(session);
        } catch (IOException e) {
            throw new TorrentException("cannot save the settings in " + store.directory() + ": " + e.getMessage(), e);
        }
        settings = settings.with(session);
        globalDownload.setRate(session.downloadRateLimit());
        globalUpload.setRate(session.uploadRateLimit());
        LOG.info("session settings now {}", session);
        return settings.session();
    }

    @Override
    public void connect(String ref, InetSocketAddress peer) throws TorrentException {
        TorrentSession session = torrent(ref);
        InetSocketAddress resolved = resolve(peer);
        if (resolved.isUnresolved()) {
            throw new TorrentException("cannot resolve " + peer.getHostString());
        }
        session.connect(resolved);
    }

    private List<TorrentSession> sessions() {
        return byId.values().stream().sorted(Comparator.comparingInt(s -> s.id)).toList();
    }

    /** A torrent by id, full infohash, or a unique infohash prefix of at least 4 hex digits. */
    private TorrentSession torrent(String ref) throws TorrentException {
        String text = ref.trim();
        if (DIGITS.matcher(text).matches()) {
            TorrentSession byNumber = byId.get(Integer.parseInt(text));
            if (byNumber != null || text.length() < 4) {
                return orUnknown(byNumber, ref);
            }
        }
        if (!HEX_PREFIX.matcher(text).matches()) {
            throw new TorrentException("not a torrent id or infohash: " + ref);
        }
        String prefix = text.toLowerCase(java.util.Locale.ROOT);
        List<TorrentSession> matching = byHash.entrySet().stream()
                .filter(e -> e.getKey().toHex().startsWith(prefix)).map(Map.Entry::getValue).toList();
        if (matching.size() > 1) {
            throw new TorrentException("infohash prefix " + ref + " matches " + matching.size() + " torrents");
        }
        return orUnknown(matching.isEmpty() ? null : matching.get(0), ref);
    }

    private static TorrentSession orUnknown(TorrentSession session, String ref) throws TorrentException {
        if (session == null) {
            throw new TorrentException("no torrent " + ref);
        }
        return session;
    }

    // ---- TorrentLookup: incoming connections reach running torrents only ----

    @Override
    public Optional<TorrentEndpoint> find(InfoHash infoHash) {
        TorrentSession session = byHash.get(infoHash);
        return session != null && session.isActive() ? Optional.of(session.endpoint) : Optional.empty();
    }

    // ---- shared by sessions ----

    EngineSettings settings() {
        return settings;
    }

    StorageService storage() {
        return storage;
    }

    PeerWire wire() {
        return wire;
    }

    ExecutorService pool() {
        return pool;
    }

    TrackerClients trackerClients() {
        return trackerClients;
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    ActiveSlots<TorrentSession> slots() {
        return slots;
    }

    void promote(Collection<TorrentSession> promoted) {
        promoted.forEach(TorrentSession::promoted);
    }

    boolean admitConnection() {
        return connections.getAndUpdate(n -> n < settings.maxConnections() ? n + 1 : n) < settings.maxConnections();
    }

    void releaseConnection() {
        connections.decrementAndGet();
    }

    boolean hasConnectionRoom() {
        return connections.get() < settings.maxConnections();
    }

    boolean isBanned(InetAddress address) {
        return address != null && bans.isBanned(address);
    }

    boolean isOurself(InetSocketAddress address) {
        InetSocketAddress listening = wire.listenAddress();
        return address.getPort() == listening.getPort()
                && (address.getAddress().isLoopbackAddress() || address.getAddress().equals(listening.getAddress()));
    }

    /** A piece with data from {@code address} failed its hash check; past the threshold the address is banned. */
    void recordHashFailure(InetAddress address) {
        if (bans.recordFailure(address)) {
            LOG.warn("banned {} until restart: it sent data failing {} hash checks", address, settings.banThreshold());
            byId.values().forEach(session -> session.closePeersAt(address));
        }
    }

    void saveRecord(TorrentRecord record) {
        recordWriter.execute(() -> {
            if (byId.containsKey(record.id())) {
                store.save(record);
            }
        });
    }

    // ---- shutdown ----

    /** Stops every torrent (keeping whether each was running), checkpoints them and waits for the records. */
    @Override
    public void close() {
        List<CompletableFuture<Void>> closing = byId.values().stream().map(TorrentSession::shutdown).toList();
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
        try {
            recordWriter.awaitTermination(SHUTDOWN_SECONDS, TimeUnit.SECONDS);
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
