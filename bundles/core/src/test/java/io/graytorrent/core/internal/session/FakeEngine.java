package io.graytorrent.core.internal.session;

import io.graytorrent.api.TorrentStatus;
import io.graytorrent.core.internal.concurrent.Clock;
import io.graytorrent.core.internal.concurrent.FakeClock;
import io.graytorrent.core.internal.config.EngineSettings;
import io.graytorrent.core.internal.connect.Admission;
import io.graytorrent.core.internal.connect.OwnAddresses;
import io.graytorrent.core.internal.limit.ActiveSlots;
import io.graytorrent.core.internal.limit.PieceBudget;
import io.graytorrent.core.internal.peer.BanList;
import io.graytorrent.core.internal.source.PeerSources;
import io.graytorrent.core.internal.state.TorrentRecord;
import io.graytorrent.core.internal.swarm.IdleDisk;
import io.graytorrent.core.internal.tracker.TrackerClients;
import io.graytorrent.metainfo.Metainfo;
import io.graytorrent.peerwire.PeerConnection;
import io.graytorrent.peerwire.PeerId;
import io.graytorrent.peerwire.PeerTransport;
import io.graytorrent.peerwire.PeerWire;
import io.graytorrent.peerwire.TorrentEndpoint;
import io.graytorrent.storage.DiskPool;
import io.graytorrent.storage.StorageService;
import io.graytorrent.storage.TorrentStorage;
import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * An engine for one torrent's runtime without sockets or disk: a pool that runs tasks only when the
 * test {@link #runTasks() says}, a fake clock, a peer wire that records dials (the test completes
 * them), and a storage service whose opening the test completes. Timer tasks only queue work on the
 * pool, so nothing runs behind the test's back.
 */
final class FakeEngine implements EngineContext {
    final FakeClock clock = new FakeClock();
    final EngineSettings settings;
    final ManualPool pool = new ManualPool();
    final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
    final FakeWire wire = new FakeWire();
    final FakeStorageService storage = new FakeStorageService();
    final TrackerClients trackerClients = new TrackerClients();
    final PeerSources peerSources = new PeerSources();
    final BanList bans = new BanList();
    final Admission admission;
    final PieceBudget pieceBudget = new PieceBudget(64 << 20);
    final ActiveSlots<TorrentRuntime> slots;
    final List<TorrentRecord> saved = new ArrayList<>();
    final List<TorrentStatus> published = new ArrayList<>();

    FakeEngine(Path saveDirectory, int maxActiveDownloads) {
        settings = EngineSettings.defaults(saveDirectory);
        admission = new Admission(() -> settings, bans, wire::localPeerId, new OwnAddresses(wire::listenAddress));
        slots = new ActiveSlots<>(maxActiveDownloads, 8);
    }

    /** Runs what the torrent queued (and what that queues) until nothing is left. */
    void runTasks() {
        for (Runnable task = pool.tasks.poll(); task != null; task = pool.tasks.poll()) {
            task.run();
        }
    }

    void close() {
        timer.shutdownNow();
    }

    @Override
    public EngineSettings settings() {
        return settings;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public ExecutorService pool() {
        return pool;
    }

    @Override
    public ScheduledExecutorService timer() {
        return timer;
    }

    @Override
    public StorageService storage() {
        return storage;
    }

    @Override
    public PeerWire wire() {
        return wire;
    }

    @Override
    public TrackerClients trackerClients() {
        return trackerClients;
    }

    @Override
    public PeerSources peerSources() {
        return peerSources;
    }

    @Override
    public Admission admission() {
        return admission;
    }

    @Override
    public void seenAs(InetAddress ip) {
    }

    @Override
    public PieceBudget pieceBudget() {
        return pieceBudget;
    }

    @Override
    public void recordHashFailure(InetAddress address) {
        bans.recordFailure(address);
    }

    @Override
    public void saveRecord(TorrentRecord record) {
        saved.add(record);
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
        // no peer wire routes by infohash here
    }

    @Override
    public void published(TorrentRuntime torrent, TorrentStatus status) {
        published.add(status);
    }

    /** The global seeding goals the torrents read; the test may change them. */
    volatile io.graytorrent.api.SeedingGoals seedingGoals = io.graytorrent.api.SeedingGoals.UNLIMITED;
    /** Torrents that asked to be removed for a seeding goal. */
    final List<TorrentRuntime> removedForGoals = new ArrayList<>();

    @Override
    public io.graytorrent.api.SeedingGoals seedingGoals() {
        return seedingGoals;
    }

    @Override
    public void seedingGoalReached(TorrentRuntime torrent) {
        removedForGoals.add(torrent);
    }

    /** Runs tasks when the test drains it, on the test's thread. */
    static final class ManualPool extends AbstractExecutorService {
        final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        @Override
        public void shutdown() {
        }

        @Override
        public List<Runnable> shutdownNow() {
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return false;
        }

        @Override
        public boolean isTerminated() {
            return false;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return true;
        }
    }

    /** One dial the torrent made: where to, for which endpoint (its piece count and listener), and its outcome. */
    record Dial(InetSocketAddress address, TorrentEndpoint endpoint, CompletableFuture<PeerConnection> outcome) {
    }

    static final class FakeWire implements PeerWire {
        final PeerId peerId = PeerId.generate();
        final List<Dial> dials = new ArrayList<>();

        @Override
        public PeerId localPeerId() {
            return peerId;
        }

        @Override
        public InetSocketAddress listenAddress() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), 6881);
        }

        @Override
        public CompletableFuture<PeerConnection> connect(InetSocketAddress address, TorrentEndpoint torrent) {
            Dial dial = new Dial(address, torrent, new CompletableFuture<>());
            dials.add(dial);
            return dial.outcome();
        }

        @Override
        public void accept(PeerTransport transport, Channel channel, InetSocketAddress remote) {
            throw new UnsupportedOperationException("no transports here");
        }

        @Override
        public int requestQueueLength() {
            return 250;
        }

        @Override
        public int halfOpenConnections() {
            return 0;
        }

        @Override
        public void close() {
        }
    }

    /** Opens to a storage the test chose, when the test completes {@link #opening}. */
    static final class FakeStorageService implements StorageService {
        CompletableFuture<TorrentStorage> opening = new CompletableFuture<>();
        final List<Metainfo> opened = new ArrayList<>();

        @Override
        public CompletableFuture<TorrentStorage> open(Metainfo metainfo, Path saveDirectory,
                List<io.graytorrent.api.FilePriority> priorities) {
            opened.add(metainfo);
            return opening;
        }

        @Override
        public CompletableFuture<Void> move(Metainfo metainfo, Path from, Path to) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException("not moved in these tests"));
        }

        @Override
        public DiskPool diskPool() {
            return new IdleDisk();
        }

        @Override
        public void close() {
        }
    }
}
