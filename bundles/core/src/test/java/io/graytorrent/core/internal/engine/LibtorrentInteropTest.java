package io.graytorrent.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.graytorrent.api.TorrentStatus;
import io.graytorrent.testkit.Await;
import io.graytorrent.testkit.Interop;
import io.graytorrent.testkit.LibtorrentPeer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our engine and libtorrent on 127.0.0.1, both directions, with a 64 MiB multi-file torrent; data
 * compared byte for byte. Transfer times are printed, not asserted.
 */
@Interop
class LibtorrentInteropTest {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;
    private Path torrentFile;
    private long size;

    @BeforeEach
    void createTorrent() throws Exception {
        long[] sizes = {24 * MIB, 16 * MIB + 12345, 8 * MIB, 16 * MIB - 12345};
        size = java.util.Arrays.stream(sizes).sum();
        byte[] torrent = TestData.multiFileTorrent(dir.resolve("seed"), "interop", 256 * 1024, 3, sizes);
        torrentFile = Files.write(dir.resolve("interop.torrent"), torrent);
    }

    @Test
    @Timeout(240)
    void weDownloadFromALibtorrentSeeder() throws Exception {
        try (LibtorrentPeer seeder = new LibtorrentPeer("seed", torrentFile, dir.resolve("seed"), dir.resolve("lt.log"));
             EngineFixture engine = new EngineFixture(dir.resolve("state"))) {
            long start = System.nanoTime();
            int id = engine.add(Files.readAllBytes(torrentFile), dir.resolve("leech"),
                    new java.net.InetSocketAddress("127.0.0.1", seeder.port)).id();
            TorrentStatus done = engine.await(id, EngineFixture.seeding(), WAIT);
            report("libtorrent -> graytorrent", start);
            assertEquals(size, done.verifiedBytes());
            TestData.assertSameTree(dir.resolve("seed/interop"), dir.resolve("leech/interop"));
        }
    }

    @Test
    @Timeout(240)
    void aLibtorrentLeecherDownloadsFromUs() throws Exception {
        try (EngineFixture engine = new EngineFixture(dir.resolve("state"))) {
            int id = engine.add(Files.readAllBytes(torrentFile), dir.resolve("seed")).id();
            engine.await(id, EngineFixture.seeding(), WAIT);
            try (LibtorrentPeer leecher = new LibtorrentPeer("leech", torrentFile, dir.resolve("leech"), dir.resolve("lt.log"))) {
                long start = System.nanoTime();
                leecher.connect(engine.address().getPort());
                String status = Await.value("libtorrent seeding", WAIT, leecher::status, s -> s.contains("seeding=True"));
                report("graytorrent -> libtorrent", start);
                assertEquals(true, status.contains("seeding=True"), "libtorrent finished: " + status);
            }
            TestData.assertSameTree(dir.resolve("seed/interop"), dir.resolve("leech/interop"));
        }
    }

    private void report(String direction, long startNanos) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        System.out.printf("interop %s: %d MiB in %.2f s = %.1f MiB/s%n", direction, size / MIB, seconds,
                size / (double) MIB / seconds);
    }
}
