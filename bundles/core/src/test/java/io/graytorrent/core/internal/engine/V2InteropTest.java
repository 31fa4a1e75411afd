package io.graytorrent.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.TorrentStatus;
import io.graytorrent.testkit.Await;
import io.graytorrent.testkit.Interop;
import io.graytorrent.testkit.Libtorrent;
import io.graytorrent.testkit.LibtorrentPeer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * BEP 52 with libtorrent 2.0 on 127.0.0.1, both directions: v2-only and hybrid multi-file torrents
 * that libtorrent makes (files not piece multiples, a file smaller than a piece, a one-byte file; in
 * tree order the last, sub/file3.bin, ends mid-piece and mid-block, a tail libtorrent 2.0.8 pads to a
 * whole piece and asks us for in full),
 * downloaded by our engine from a libtorrent seeder and by a libtorrent leecher from our engine;
 * data compared byte for byte. A v2-only torrent is on the wire under the first 20 bytes of its v2
 * infohash: libtorrent knows it by no other.
 */
@Interop
class V2InteropTest {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final long MIB = 1 << 20;
    private static final long[] SIZES = {5 * MIB + 12_345, 3 * MIB - 777, 100_000, 5 * MIB + 1234, 1};

    @TempDir
    Path dir;

    /** Libtorrent makes a {@code mode} ("v2" or "hybrid") torrent of the files; returns its .torrent path. */
    private Path libtorrentTorrent(String mode) throws Exception {
        TestData.multiFileTorrent(dir.resolve("seed"), "album", 256 * 1024, 52, SIZES);
        Path torrent = dir.resolve(mode + ".torrent");
        Libtorrent.run(Duration.ofSeconds(60), "create", dir.resolve("seed/album").toString(), torrent.toString(), mode,
                Integer.toString(256 * 1024));
        return torrent;
    }

    @ParameterizedTest
    @ValueSource(strings = {"v2", "hybrid"})
    @Timeout(240)
    void weDownloadALibtorrentTorrentFromALibtorrentSeeder(String mode) throws Exception {
        Path torrent = libtorrentTorrent(mode);
        try (LibtorrentPeer seeder = new LibtorrentPeer("seed", torrent, dir.resolve("seed"), dir.resolve("lt.log"));
             EngineFixture engine = new EngineFixture(dir.resolve("state"))) {
            long start = System.nanoTime();
            TorrentStatus added = engine.add(Files.readAllBytes(torrent), dir.resolve("leech"),
                    new InetSocketAddress("127.0.0.1", seeder.port));
            TorrentStatus done = engine.await(added.id(), EngineFixture.seeding(), WAIT);
            report(mode + ": libtorrent -> graytorrent", start);
            assertEquals(Arrays.stream(SIZES).sum(), done.verifiedBytes());
            TestData.assertSameTree(dir.resolve("seed/album"), dir.resolve("leech/album"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"v2", "hybrid"})
    @Timeout(240)
    void aLibtorrentLeecherDownloadsALibtorrentTorrentFromUs(String mode) throws Exception {
        Path torrent = libtorrentTorrent(mode);
        try (EngineFixture engine = new EngineFixture(dir.resolve("state"))) {
            int id = engine.add(Files.readAllBytes(torrent), dir.resolve("seed")).id();
            engine.await(id, EngineFixture.seeding(), WAIT);
            try (LibtorrentPeer leecher = new LibtorrentPeer("leech", torrent, dir.resolve("leech"), dir.resolve("lt.log"))) {
                long start = System.nanoTime();
                leecher.connect(engine.address().getPort());
                String status = Await.value("libtorrent seeding", WAIT, leecher::status, s -> s.contains("seeding=True"));
                report(mode + ": graytorrent -> libtorrent", start);
                assertTrue(status.contains("seeding=True"), "libtorrent finished: " + status);
            }
            TestData.assertSameTree(dir.resolve("seed/album"), dir.resolve("leech/album"));
        }
    }

    private static void report(String direction, long startNanos) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        long size = Arrays.stream(SIZES).sum();
        System.out.printf("interop %s: %.1f MiB in %.2f s = %.1f MiB/s%n", direction, size / (double) MIB, seconds,
                size / (double) MIB / seconds);
    }
}
