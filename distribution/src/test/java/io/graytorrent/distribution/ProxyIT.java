package io.graytorrent.distribution;

import static io.graytorrent.distribution.GrayCommand.assertSucceeds;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.testkit.Interop;
import io.graytorrent.testkit.Microsocks;
import io.graytorrent.testkit.Nginx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The assembled server's {@code gray get} from a libtorrent seeder through a real SOCKS5 proxy
 * (Debian's microsocks, username/password, its outgoing side on 127.0.0.2), configured in
 * {@code plugins/io.graytorrent.peerwire.cfg}: the seeder's connections come from 127.0.0.2 only, and
 * the data is whole; a web seed's requests reach nginx from 127.0.0.2 only. Also proves the proxy bundles (netty-handler-proxy, codec-socks) resolve in Felix.
 */
@Timeout(180)
@Interop
class ProxyIT {
    private static final int SIZE = 6 << 20;

    @TempDir
    Path work;

    @Test
    void grayGetDownloadsThroughTheProxyAndTheSeederSeesOnlyTheProxy() throws Exception {
        GrayCommand gray = GrayCommand.ownCopy(work);
        byte[] payload = new byte[SIZE];
        new Random(24).nextBytes(payload);
        Files.createDirectories(work.resolve("seed/data"));
        Files.write(work.resolve("seed/data/payload.bin"), payload);
        assertSucceeds(gray.run("create", "seed/data", "--piece-size", "256k", "-o", "data.torrent"));
        try (Microsocks proxy = new Microsocks("gray", "s3cret", work.resolve("socks"));
                LibtorrentSeeder seeder = LibtorrentSeeder.start(work.resolve("data.torrent"), work.resolve("seed"),
                        2 << 20)) {
            Files.writeString(gray.configuration("io.graytorrent.peerwire.cfg"), String.join("\n",
                    "proxy=" + proxy.url(), "proxyUsername=gray", "proxyPassword=s3cret", ""));
            Set<String> seen = ConcurrentHashMap.newKeySet();
            Thread watcher = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        seen.addAll(seeder.peers());
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        seen.add("error: " + e);
                    }
                }
            }, "seeder-peers");
            watcher.start();
            GrayCommand.Result got;
            try {
                got = assertSucceeds(gray.run("get", "data.torrent", "-d", "out", "--peer", seeder.address()));
            } finally {
                watcher.interrupt();
                watcher.join();
            }
            assertArrayEquals(payload, Files.readAllBytes(work.resolve("out/data/payload.bin")), got.toString());
            assertFalse(seen.isEmpty(), "the seeder listed our connection while it downloaded");
            List<String> lines = List.copyOf(seen);
            assertTrue(lines.stream().allMatch(line -> line.contains(" address=" + Microsocks.EXTERNAL + ":")),
                    "every connection the seeder saw came from the proxy: " + lines);
        }
    }

    @Test
    void aWebSeedIsFetchedThroughTheProxy() throws Exception {
        GrayCommand gray = GrayCommand.ownCopy(work);
        byte[] payload = new byte[SIZE];
        new Random(25).nextBytes(payload);
        Files.createDirectories(work.resolve("www/data"));
        Files.write(work.resolve("www/data/payload.bin"), payload);
        try (Nginx nginx = new Nginx(work.resolve("www"), work.resolve("nginx"));
                Microsocks proxy = new Microsocks("gray", "s3cret", work.resolve("socks"))) {
            assertSucceeds(gray.run("create", "www/data", "--piece-size", "256k", "--web-seed", nginx.url("/"),
                    "-o", "web.torrent"));
            Files.writeString(gray.configuration("io.graytorrent.peerwire.cfg"), String.join("\n",
                    "proxy=" + proxy.url(), "proxyUsername=gray", "proxyPassword=s3cret", ""));
            GrayCommand.Result got = assertSucceeds(gray.run("get", "web.torrent", "-d", "out"));
            assertArrayEquals(payload, Files.readAllBytes(work.resolve("out/data/payload.bin")), got.toString());
            List<String> clients = nginx.clients();
            assertFalse(clients.isEmpty(), "the web seed was asked");
            assertTrue(clients.stream().allMatch(Microsocks.EXTERNAL::equals),
                    "every request nginx logged came from the proxy: " + clients);
        }
    }

    @Test
    void grayNetworkAndTheApiShowTheRouteAndWhatItKeepsOffLive() throws Exception {
        GrayCommand gray = GrayCommand.configured(work, "io.graytorrent.peerwire.cfg", String.join("\n",
                "proxy=socks5://127.0.0.1:1080", "proxyUsername=gray", "proxyPassword=s3cret",
                "proxyPeerConnectionsOnly=true", ""));
        Path cfg = gray.configuration("io.graytorrent.peerwire.cfg");
        assertSucceeds(gray.run("server", "start"));
        try (ApiServer server = ApiServer.attach(gray, work.resolve("home"))) {
            String shown = assertSucceeds(gray.run("network")).out();
            assertTrue(shown.contains("proxy:        SOCKS5 127.0.0.1:1080 as gray, peer connections only"), shown);
            assertTrue(shown.contains("uTP:          off: UDP cannot go through the SOCKS5 proxy"), shown);
            assertTrue(shown.contains("DHT:          on"), shown);
            assertFalse(shown.contains("s3cret"), shown);

            Files.writeString(cfg, "bindInterface=gt-missing0\n"); // File Install applies it within a second or two
            String json = io.graytorrent.testkit.Await.value("the new route in the API", java.time.Duration.ofSeconds(20),
                    () -> server.send(server.authorised("/api/v1/network")).body(), body -> body.contains("gt-missing0"));
            assertTrue(json.contains("\"problem\":\"interface gt-missing0 is missing; nothing is sent until it returns\""),
                    json);
            assertTrue(json.contains("\"proxy\":null"), json);
        }
    }
}
