package io.graytorrent.core.internal.engine;

import io.graytorrent.core.internal.config.EngineSettings;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.PeerStatus;
import io.graytorrent.api.SessionSettings;
import io.graytorrent.api.TorrentState;
import io.graytorrent.api.TorrentStatus;
import io.graytorrent.core.internal.tracker.TrackerClients;
import io.graytorrent.metainfo.Metainfo;
import io.graytorrent.metainfo.MetainfoParser;
import io.graytorrent.peerwire.PeerWireSettings;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * The stage of the malicious peer suite: an engine seeding a torrent and an honest engine
 * downloading it from the seeder at a limited rate, so that the download is still running while a
 * test attacks either of them. Measures the memory the attack leaves behind.
 */
final class AttackedSwarm implements AutoCloseable {
    static final int PIECE_LENGTH = 32 * 1024;
    static final long SIZE = 3_000_000;
    /**
     * While attacked, the honest download is held to this global rate: SIZE / RATE = 46 s, far longer
     * than any attack here even on a loaded machine; then the limit is lifted so it completes at once.
     */
    static final long HONEST_RATE = 64 << 10;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final long MEMORY_GROWTH_BOUND = 48L << 20;

    private final Path dir;
    final byte[] torrent;
    final Metainfo metainfo;
    final EngineFixture seeder;
    private EngineFixture honest;
    private long memoryBefore;

    AttackedSwarm(Path dir, EngineSettings seederSettings, PeerWireSettings seederWire) throws Exception {
        this.dir = dir;
        this.torrent = TestData.multiFileTorrent(dir.resolve("seed"), "target", PIECE_LENGTH, 11, 2_000_000,
                1_000_000);
        this.metainfo = new MetainfoParser().parse(torrent);
        this.seeder = new EngineFixture(dir.resolve("seeder"), seederSettings, new TrackerClients(),
                seederWire);
        seeder.await(seeder.add(torrent, dir.resolve("seed")).id(), EngineFixture.seeding(), WAIT);
    }

    AttackedSwarm(Path dir) throws Exception {
        this(dir, EngineSettings.defaults(dir.resolve("downloads")),
                PeerWireSettings.defaults().listeningOn("127.0.0.1", 0));
    }

    /** Starts the honest download from the seeder (and {@code alsoFrom}); measures memory first. */
    EngineFixture startHonestDownload(InetSocketAddress... alsoFrom) throws Exception {
        memoryBefore = usedMemoryAfterGc();
        EngineSettings settings = TestSettings.with(dir.resolve("downloads"), 5, 0, 0, Duration.ofSeconds(30));
        honest = new EngineFixture(dir.resolve("honest"), settings.with(limitedTo(HONEST_RATE, settings.session())));
        honest.add(torrent, dir.resolve("honest-data"),
                Stream.concat(Stream.of(seeder.address()), Stream.of(alsoFrom)).toArray(InetSocketAddress[]::new));
        // an attacker that connects while the torrent still checks its (empty) data is refused as for an
        // unknown torrent: the attacks are against a running download
        honest.await(1, status -> status.state() == TorrentState.DOWNLOADING, WAIT);
        return honest;
    }

    /** Fails unless the honest download is still running: the attack must overlap it. */
    void assertHonestStillDownloading() throws Exception {
        TorrentStatus status = honest.engine.status("1");
        assertTrue(status.verifiedBytes() < status.wantedBytes(), "the attack overlapped the honest download: " + status);
    }

    /**
     * Waits for the honest download to complete with the seeder's bytes, then fails if the memory in
     * use (heap and Netty's pooled buffers, after GC) grew by more than a generous bound.
     */
    void assertHonestCompletesAndMemoryBounded(String attack) throws Exception {
        honest.engine.updateSessionSettings(limitedTo(0, honest.engine.sessionSettings()));
        honest.await(1, EngineFixture.seeding(), WAIT);
        TestData.assertSameTree(dir.resolve("seed/target"), dir.resolve("honest-data/target"));
        long growth = usedMemoryAfterGc() - memoryBefore;
        System.out.printf("%s: honest download complete and correct; memory growth %.1f MiB%n", attack,
                growth / (double) (1 << 20));
        assertTrue(growth < MEMORY_GROWTH_BOUND, attack + ": memory grew by " + growth + " bytes");
    }

    /** {@code session} with its global download limit at {@code rate} (0: none). */
    private static SessionSettings limitedTo(long rate, SessionSettings session) {
        return new SessionSettings(rate, session.uploadRateLimit(), session.maxConnections(),
                session.maxConnectionsPerTorrent(), session.defaultSaveDirectory());
    }

    List<PeerStatus> seederPeers() throws Exception {
        return seeder.engine.peers("1");
    }

    /** True if {@code engine} lists a peer connected from {@code port} on 127.0.0.1. */
    static boolean lists(EngineFixture engine, int port) throws Exception {
        return engine.engine.peers("1").stream().anyMatch(peer -> peer.address().getPort() == port);
    }

    static long usedMemoryAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        var metric = ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric();
        return heap + metric.usedHeapMemory() + metric.usedDirectMemory();
    }

    /** Descriptors this JVM holds open (Linux). */
    static long openFileDescriptors() throws IOException {
        try (Stream<Path> fds = java.nio.file.Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @Override
    public void close() {
        if (honest != null) {
            honest.close();
        }
        seeder.close();
    }
}
