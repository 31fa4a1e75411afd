package io.graytorrent.distribution;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.testkit.Await;
import io.graytorrent.testkit.Interop;
import io.graytorrent.testkit.Libtorrent;
import io.graytorrent.testkit.LibtorrentPeer;
import io.graytorrent.testkit.NetworkNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local service discovery (BEP 14) between the real {@code gray} and libtorrent, both inside a
 * network namespace of the test's own (only {@code lo}, so multicast reaches nobody else), with a
 * trackerless torrent and no {@code --peer}: multicast announces are the only way the two meet.
 */
@Interop
class LsdIT {
    private static final Duration LIMIT = Duration.ofSeconds(60);

    @TempDir
    Path work;
    private GrayCommand gray;
    private Path torrent;
    private byte[] data;

    @BeforeEach
    void createTrackerlessTorrent() throws Exception {
        gray = new GrayCommand(work.resolve("home"), work);
        data = new byte[3 << 20];
        new Random(14).nextBytes(data);
        Files.createDirectories(work.resolve("seed"));
        Files.write(work.resolve("seed/lan.bin"), data);
        torrent = work.resolve("lan.torrent");
        Libtorrent.run(Duration.ofSeconds(30), "create", work.resolve("seed/lan.bin").toString(), torrent.toString(), "v1", "65536");
    }

    /** libtorrent seeds first and hears our announce as {@code get} starts; it dials us. */
    @Test
    void getFindsALibtorrentSeederOnTheLan() throws Exception {
        try (NetworkNamespace lan = NetworkNamespace.create();
                LibtorrentPeer seeder = new LibtorrentPeer(lan, "seed", torrent.toString(), work.resolve("seed"),
                        work.resolve("libtorrent.log"), "--lsd", "on")) {
            long started = System.nanoTime();
            GrayCommand.Result got = gray.inside(lan).run("get", "lan.torrent", "-d", "out", "--timeout", "60s");
            System.out.printf("gray get by LSD alone: %.2f s%n", (System.nanoTime() - started) / 1e9);
            assertEquals(0, got.exit(), got + "\n--- libtorrent\n" + Files.readString(work.resolve("libtorrent.log")));
            assertTrue(got.out().contains("complete: lan.bin"), got.toString());
        }
        assertArrayEquals(data, Files.readAllBytes(work.resolve("out/lan.bin")));
    }

    /** We seed first; libtorrent's announce as it starts leeching reaches us and we dial it. */
    @Test
    void libtorrentFindsAGraySeederOnTheLan() throws Exception {
        Path out = work.resolve("seeder.out");
        try (NetworkNamespace lan = NetworkNamespace.create()) {
            Process seeder = gray.inside(lan).start(out, work.resolve("seeder.err"), "get", "lan.torrent", "-d", "seed", "--seed");
            try {
                Await.until("gray seeding", LIMIT, () -> Files.readString(out).contains("seeding until interrupted"));
                Files.createDirectories(work.resolve("leech"));
                long started = System.nanoTime();
                try (LibtorrentPeer leecher = new LibtorrentPeer(lan, "leech", torrent.toString(), work.resolve("leech"),
                        work.resolve("libtorrent.log"), "--lsd", "on")) {
                    Await.until("libtorrent complete", LIMIT, () -> leecher.status().contains("seeding=True"));
                    System.out.printf("libtorrent's download from gray by LSD alone: %.2f s%n", (System.nanoTime() - started) / 1e9);
                }
            } finally {
                seeder.destroyForcibly();
                seeder.waitFor(10, TimeUnit.SECONDS);
            }
        }
        assertArrayEquals(data, Files.readAllBytes(work.resolve("leech/lan.bin")));
    }
}
