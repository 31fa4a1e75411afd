package io.graytorrent.distribution;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.graytorrent.metainfo.MetainfoParser;
import io.graytorrent.testkit.Await;
import io.graytorrent.testkit.Interop;
import io.graytorrent.testkit.LibtorrentPeer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trackerless torrents through the DHT alone, against libtorrent DHT nodes each on its own
 * loopback address (127.0.N.1): the real {@code gray get} fetches a magnet link that libtorrent
 * seeds and announced, joining only through {@code --dht-node}; and a graytorrent seeder
 * announces, so that a libtorrent magnet leecher that knows nothing but a DHT node finds it.
 */
@Interop
class DhtIT {
    private static final Duration LIMIT = Duration.ofSeconds(30);

    @TempDir
    Path work;
    private GrayCommand gray;
    private final List<LibtorrentPeer> libtorrent = new ArrayList<>();
    /** The node everyone joins through, and two more. */
    private String router;
    private LibtorrentPeer otherNode;
    private String infoHash;
    private byte[] data;

    @BeforeEach
    void dhtNetworkAndTorrent() throws Exception {
        gray = new GrayCommand(work.resolve("home"), work);
        LibtorrentPeer first = node("dht", "-", "127.0.3.1");
        router = "127.0.3.1:" + first.port;
        otherNode = node("dht", "-", "127.0.4.1", "--dht-node", router);
        node("dht", "-", "127.0.5.1", "--dht-node", router);
        Await.until("the libtorrent nodes joined", LIMIT, () -> nodes(first) >= 2);

        data = new byte[(2 << 20) + 12_345];
        new Random(16).nextBytes(data);
        Files.createDirectories(work.resolve("seed"));
        Files.write(work.resolve("seed/data.bin"), data);
        GrayCommand.assertSucceeds(gray.run("create", "seed/data.bin", "--piece-size", "64k", "-o", "data.torrent"));
        infoHash = new MetainfoParser().parse(Files.readAllBytes(work.resolve("data.torrent"))).infoHash().toHex();
    }

    @AfterEach
    void stopAll() throws InterruptedException {
        for (LibtorrentPeer peer : libtorrent) {
            peer.close();
        }
    }

    @Test
    void getFetchesAMagnetLinkThatLibtorrentAnnouncedThroughTheDhtAlone() throws Exception {
        LibtorrentPeer seeder = node("seed", work.resolve("data.torrent").toString(), "127.0.2.1",
                "--dht-node", router);
        seeder.command("dht-announce", "ok");
        Await.until("the seeder's announce reached the DHT", LIMIT,
                () -> peersOf(otherNode).contains("127.0.2.1:" + seeder.port));

        long started = System.nanoTime();
        GrayCommand.Result got = gray.run("get", "magnet:?xt=urn:btih:" + infoHash, "-d", "out",
                "--dht-node", router, "--timeout", "30s");
        System.out.printf("gray get of a magnet link through the DHT alone: %.2f s%n",
                (System.nanoTime() - started) / 1e9);
        assertEquals(0, got.exit(), got.toString());
        assertArrayEquals(data, Files.readAllBytes(work.resolve("out/data.bin")));
    }

    @Test
    void libtorrentFindsAGraySeederThroughTheDhtAndItsNodeStaysInLibtorrentsTable() throws Exception {
        int port = freePort();
        Path out = work.resolve("seed.out");
        Path err = work.resolve("seed.err");
        Process seeder = gray.start(out, err, "get", "data.torrent", "-d", "seed", "--seed", "--port",
                Integer.toString(port), "--dht-node", router);
        try {
            Await.until("gray get --seed seeding", LIMIT, () -> {
                if (!seeder.isAlive()) {
                    throw new AssertionError("gray get ended: " + read(out) + read(err));
                }
                return read(out).contains("seeding until interrupted");
            });
            // each libtorrent lookup that finds nobody takes 8 s: asked once gray has had time to announce
            Await.until("gray announced itself to the libtorrent nodes", LIMIT,
                    () -> peersOf(otherNode).contains("127.0.0.1:" + port));
            // without us it could know two: the other libtorrent nodes
            assertEquals(3, nodes(otherNode), "libtorrent keeps our node in its routing table");

            Files.createDirectories(work.resolve("leech"));
            LibtorrentPeer leecher = node("magnet", "magnet:?xt=urn:btih:" + infoHash, "127.0.6.1",
                    "--dht-node", router);
            Await.until("the leecher joined the DHT", LIMIT, () -> nodes(leecher) >= 1);
            leecher.command("dht-announce", "ok"); // its lookup, now that it knows nodes
            Await.until("libtorrent's magnet leecher completed from gray", Duration.ofSeconds(60),
                    () -> leecher.status().contains("seeding=True"));
            assertArrayEquals(data, Files.readAllBytes(work.resolve("leech/data.bin")));
        } finally {
            seeder.destroy();
            if (!seeder.waitFor(30, TimeUnit.SECONDS)) {
                seeder.destroyForcibly();
            }
        }
    }

    /** A libtorrent session on {@code ip}; mode dht takes no source, magnet saves into work/leech. */
    private LibtorrentPeer node(String mode, String source, String ip, String... options) throws Exception {
        List<String> arguments = new ArrayList<>(List.of("--address", ip));
        arguments.addAll(List.of(options));
        Path save = mode.equals("dht") ? Path.of("-") : mode.equals("magnet") ? work.resolve("leech") : work.resolve("seed");
        LibtorrentPeer peer = new LibtorrentPeer(mode, source, save, work.resolve("libtorrent-" + ip + ".log"),
                arguments.toArray(String[]::new));
        libtorrent.add(peer);
        return peer;
    }

    private static int nodes(LibtorrentPeer node) throws Exception {
        return Integer.parseInt(node.command("dht-nodes", null).get(0).split(" ")[1]);
    }

    private String peersOf(LibtorrentPeer node) throws Exception {
        return node.command("dht-peers " + infoHash, null).get(0);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
