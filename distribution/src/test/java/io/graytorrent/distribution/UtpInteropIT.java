package io.graytorrent.distribution;

import static io.graytorrent.distribution.GrayCommand.assertSucceeds;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.testkit.Await;
import io.graytorrent.testkit.Interop;
import io.graytorrent.testkit.LibtorrentPeer;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * uTP against libtorrent with TCP turned off on libtorrent's side, so only uTP can carry the
 * torrent: the real {@code gray get} (dialling over uTP, {@code transports=utp}) downloads from a
 * libtorrent seeder, and a libtorrent leecher downloads from {@code gray get --seed}, which accepts
 * its uTP connection on the listen port's UDP socket; both with the data compared byte for byte.
 * The download once more with RC4 (MSE) required on both sides, the encryption stage over uTP; and
 * with the default {@code transports} (utp,tcp) from a TCP-only libtorrent, reached over TCP once uTP gets no answer.
 */
@Timeout(300)
@Interop
class UtpInteropIT {
    private static final int SIZE = 16 << 20;

    @TempDir
    Path work;
    private GrayCommand gray;
    private byte[] payload;
    private Path torrent;

    @BeforeEach
    void createTorrent() throws Exception {
        gray = GrayCommand.configured(work, "io.graytorrent.peerwire.cfg", "transports=utp\n");
        payload = new byte[SIZE];
        new Random(19).nextBytes(payload);
        Files.createDirectories(work.resolve("seed/data"));
        Files.write(work.resolve("seed/data/payload.bin"), payload);
        assertSucceeds(gray.run("create", "seed/data", "--piece-size", "256k", "-o", "data.torrent"));
        torrent = work.resolve("data.torrent");
    }

    @Test
    void grayGetDownloadsFromAUtpOnlyLibtorrentSeeder() throws Exception {
        try (LibtorrentPeer seeder = new LibtorrentPeer("seed", torrent, work.resolve("seed"),
                work.resolve("libtorrent-seed.log"), "--transport", "utp")) {
            long start = System.nanoTime();
            GrayCommand.Result got = assertSucceeds(gray.run("get", "data.torrent", "-d", "out", "--peer",
                    seeder.address()));
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("gray get of %d MiB over uTP from libtorrent: %.2f s (%.1f MiB/s, start-up included)%n",
                    SIZE >> 20, seconds, (SIZE >> 20) / seconds);
            assertArrayEquals(payload, Files.readAllBytes(work.resolve("out/data/payload.bin")), got.toString());
            assertTrue(uploadedAtLeast(seeder, SIZE), "libtorrent sent it all: " + seeder.status());
        }
    }

    @Test
    void grayGetDownloadsOverUtpWithEncryptionRequired() throws Exception {
        try (LibtorrentPeer seeder = new LibtorrentPeer("seed", torrent, work.resolve("seed"),
                work.resolve("libtorrent-seed.log"), "--transport", "utp", "--encryption", "rc4")) {
            GrayCommand.Result got = assertSucceeds(gray.run("get", "data.torrent", "-d", "out", "--peer",
                    seeder.address(), "--encryption", "required"));
            assertArrayEquals(payload, Files.readAllBytes(work.resolve("out/data/payload.bin")), got.toString());
            assertTrue(uploadedAtLeast(seeder, SIZE), "libtorrent sent it all, RC4 over uTP: " + seeder.status());
        }
    }

    @Test
    void utpFirstFallsBackToTcpForAPeerWithoutUtp() throws Exception {
        Files.delete(gray.configuration("io.graytorrent.peerwire.cfg")); // the default: utp,tcp
        try (LibtorrentPeer seeder = new LibtorrentPeer("seed", torrent, work.resolve("seed"),
                work.resolve("libtorrent-seed.log"))) { // the fixture's default: TCP only
            long start = System.nanoTime();
            GrayCommand.Result got = assertSucceeds(gray.run("get", "data.torrent", "-d", "out", "--peer",
                    seeder.address()));
            System.out.printf("gray get of %d MiB, uTP then TCP, from a TCP-only libtorrent: %.2f s%n", SIZE >> 20,
                    (System.nanoTime() - start) / 1e9);
            assertArrayEquals(payload, Files.readAllBytes(work.resolve("out/data/payload.bin")), got.toString());
        }
    }

    private static boolean uploadedAtLeast(LibtorrentPeer peer, long bytes) throws Exception {
        String status = peer.status();
        int at = status.indexOf("uploaded=");
        return at >= 0 && Long.parseLong(status.substring(at + 9).trim()) >= bytes;
    }

    @Test
    void aUtpOnlyLibtorrentLeecherDownloadsFromGraySeeding() throws Exception {
        int port = freePort();
        Process seeding = startSeeding(port);
        Files.createDirectories(work.resolve("leech"));
        try (LibtorrentPeer leecher = new LibtorrentPeer("leech", torrent, work.resolve("leech"),
                work.resolve("libtorrent-leech.log"), "--transport", "utp")) {
            long start = System.nanoTime();
            leecher.connect(port);
            awaitUtpConnection(leecher);
            Await.until("libtorrent has every piece", Duration.ofSeconds(120),
                    () -> leecher.status().contains("seeding=True"));
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("libtorrent leech of %d MiB over uTP from gray: %.2f s (%.1f MiB/s)%n",
                    SIZE >> 20, seconds, (SIZE >> 20) / seconds);
            assertArrayEquals(payload, Files.readAllBytes(work.resolve("leech/data/payload.bin")));
        } finally {
            stop(seeding);
        }
    }

    /**
     * uTP connections take the same slots and tokens as TCP ones: with one connection a torrent and
     * 2 MiB/s of upload, a second uTP leecher gets nothing while the first downloads, and the first
     * takes at least 6 s for 16 MiB (unlimited it takes under 2 s here).
     */
    @Test
    void utpConnectionsCountAgainstTheConnectionAndUploadRateLimits() throws Exception {
        Files.writeString(gray.configuration("io.graytorrent.core.cfg"),
                "maxConnectionsPerTorrent=1\nuploadRateLimit=" + (2 << 20) + "\n");
        int port = freePort();
        Process seeding = startSeeding(port);
        Files.createDirectories(work.resolve("first"));
        Files.createDirectories(work.resolve("second"));
        try (LibtorrentPeer first = new LibtorrentPeer("leech", torrent, work.resolve("first"),
                work.resolve("libtorrent-first.log"), "--transport", "utp");
                LibtorrentPeer second = new LibtorrentPeer("leech", torrent, work.resolve("second"),
                        work.resolve("libtorrent-second.log"), "--transport", "utp")) {
            long start = System.nanoTime();
            first.connect(port);
            awaitUtpConnection(first);
            second.connect(port);
            Await.until("the first leecher has every piece", Duration.ofSeconds(120),
                    () -> first.status().contains("seeding=True"));
            double seconds = (System.nanoTime() - start) / 1e9;
            String refused = second.status();
            System.out.printf("libtorrent leech of %d MiB over uTP from gray at 2 MiB/s: %.2f s; the second leecher "
                    + "meanwhile: %s, peers %s%n", SIZE >> 20, seconds, refused, second.peers());
            assertTrue(refused.contains("pieces=0 "), "the second uTP leecher got no slot: " + refused);
            assertTrue(seconds >= 6, "16 MiB at 2 MiB/s took " + seconds + " s");
            assertArrayEquals(payload, Files.readAllBytes(work.resolve("first/data/payload.bin")));
        } finally {
            stop(seeding);
        }
    }

    private Process startSeeding(int port) throws Exception {
        Path out = work.resolve("seed.out");
        Path err = work.resolve("seed.err");
        Process seeding = gray.start(out, err, "get", "data.torrent", "--seed", "--port", Integer.toString(port),
                "-d", "seed");
        Await.until("gray get --seed seeding", Duration.ofSeconds(60), () -> {
            if (!seeding.isAlive()) {
                throw new AssertionError("gray get ended: " + Files.readString(out) + Files.readString(err));
            }
            return Files.readString(out).contains("seeding until interrupted");
        });
        return seeding;
    }

    private static void awaitUtpConnection(LibtorrentPeer leecher) throws Exception {
        List<String> peers = Await.value("libtorrent connected over uTP", Duration.ofSeconds(30),
                leecher::peers, lines -> lines.stream().anyMatch(line -> line.contains("transport=utp")));
        assertTrue(peers.stream().noneMatch(line -> line.contains("transport=tcp")), peers.toString());
    }

    private static void stop(Process seeding) throws InterruptedException {
        seeding.destroy();
        if (!seeding.waitFor(30, TimeUnit.SECONDS)) {
            seeding.destroyForcibly();
        }
    }

    /** A port free for both TCP and UDP on 127.0.0.1 (the peer wire listens on both). */
    private static int freePort() throws IOException {
        for (int attempt = 0; ; attempt++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int port = tcp.getLocalPort();
                try (DatagramSocket udp = new DatagramSocket(port, InetAddress.getLoopbackAddress())) {
                    return port;
                } catch (IOException taken) {
                    if (attempt > 20) {
                        throw taken;
                    }
                }
            }
        }
    }
}
