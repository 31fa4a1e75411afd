package io.graytorrent.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A download that cannot progress says why, from real situations: no way to find peers, peers that
 * hang up on our handshake, a failing tracker. {@code gray get} prints the hint and, with
 * {@code --timeout}, gives up with it; {@code gray info} and the JSON API carry it. The engine here
 * diagnoses after 2 s without progress (stallSeconds in plugins/io.graytorrent.core.cfg).
 */
@Timeout(240)
class StallIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The distribution (copied once: a copy makes its own class-data archive) and the data; a GRAY_HOME per test. */
    @TempDir
    static Path work;
    private static Path dist;
    private GrayCommand gray;
    private Path home;

    @BeforeAll
    static void configure() throws Exception {
        dist = GrayCommand.copyOfDistribution(work.resolve("dist"));
        Files.writeString(dist.resolve("plugins/io.graytorrent.core.cfg"), "stallSeconds=2\n");
        byte[] bytes = new byte[1 << 20];
        new Random(25).nextBytes(bytes);
        Files.createDirectories(work.resolve("data"));
        Files.write(work.resolve("data/payload.bin"), bytes);
    }

    @BeforeEach
    void setUp(TestInfo test) throws Exception {
        home = work.resolve("home-" + test.getTestMethod().orElseThrow().getName());
        gray = new GrayCommand(dist, home, Files.createDirectories(home.resolve("cwd")));
    }

    @Test
    void aMagnetLinkWithNoWayToFindPeers() throws Exception {
        GrayCommand.Result got = gray.run("get", "magnet:?xt=urn:btih:" + "cd".repeat(20) + "&dn=lonely", "--timeout", "5s");
        assertGaveUpSaying(got, "5s", "no way to find peers: no trackers, no peers given (--peer, x.pe), and no DHT");
    }

    @Test
    void peersThatCloseAfterOurHandshake() throws Exception {
        GrayCommand.assertSucceeds(gray.run("create", work.resolve("data/payload.bin").toString(), "-o", "payload.torrent"));
        AtomicInteger handshakesRead = new AtomicInteger();
        try (ServerSocket hangUp = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> acceptAndHangUp(hangUp, handshakesRead), "hang-up-peer");
            server.setDaemon(true);
            server.start();
            GrayCommand.Result got = gray.run("get", "payload.torrent", "-d", "out", "--timeout", "6s",
                    "--peer", "127.0.0.1:" + hangUp.getLocalPort());
            assertGaveUpSaying(got, "6s", "1 peer known, none connects (1 closed after our handshake):"
                    + " they hang up on our plaintext handshake, they may require encryption");
        }
        assertTrue(handshakesRead.get() >= 1, "the peer read our handshake before it hung up");
        String debug = Files.readString(home.resolve("logs/gray-cli.log"));
        assertTrue(!debug.contains(" ERROR "), debug);
    }

    @Test
    void aFailingTrackerInGetInfoAndTheApi() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        String tracker = "http://127.0.0.1:" + closed + "/announce";
        GrayCommand.assertSucceeds(gray.run("create", work.resolve("data/payload.bin").toString(), "-t", tracker, "-o", "payload.torrent"));
        GrayCommand.Result got = gray.run("get", "payload.torrent", "-d", "out", "--timeout", "5s");
        assertGaveUpSaying(got, "5s", "the tracker fails: " + tracker + ": ");

        GrayCommand.assertSucceeds(gray.run("server", "start"));
        try {
            GrayCommand.assertSucceeds(gray.run("add", "payload.torrent", "-d", "served"));
            JsonNode stall = awaitStall();
            assertEquals("trackers_failing", stall.get("kind").asText(), stall.toString());
            assertTrue(stall.get("message").asText().startsWith("the tracker fails: " + tracker + ": "), stall.toString());
            GrayCommand.Result info = GrayCommand.assertSucceeds(gray.run("info", "1"));
            assertTrue(info.out().contains("stalled") && info.out().contains("the tracker fails: " + tracker), info.toString());
        } finally {
            gray.run("server", "stop");
            gray.killServer();
        }
    }

    /** The one torrent's stall as the JSON API gives it, once the engine has one. */
    private JsonNode awaitStall() throws Exception {
        int port = Integer.parseInt(Files.readString(home.resolve("control.port")).trim());
        String token = Files.readString(home.resolve("control.token")).trim();
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            HttpResponse<String> reply = http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + port + "/api/v1/torrents/1"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, reply.statusCode(), reply.body());
            JsonNode stall = JSON.readTree(reply.body()).get("stall");
            if (stall != null && !stall.isNull()) {
                return stall;
            }
            assertTrue(System.nanoTime() < deadline, "no stall diagnosis: " + reply.body());
            Thread.sleep(200);
        }
    }

    /** Exit 1; the hint printed once while it kept trying, then the same diagnosis as the error. */
    private static void assertGaveUpSaying(GrayCommand.Result got, String timeout, String diagnosis) {
        assertEquals(1, got.exit(), got.toString());
        List<String> hints = got.err().lines().filter(line -> line.startsWith("no progress for ")).toList();
        assertEquals(1, hints.size(), got.toString());
        assertTrue(hints.get(0).contains(diagnosis) && hints.get(0).endsWith("(still trying)"), got.toString());
        String last = got.err().lines().reduce((first, second) -> second).orElse("");
        assertTrue(last.startsWith("error: gave up: no progress for " + timeout + ": " + diagnosis), got.toString());
    }

    /** A listener that reads the 68-byte handshake of each connection and closes it without a word. */
    private static void acceptAndHangUp(ServerSocket server, AtomicInteger handshakesRead) {
        while (!server.isClosed()) {
            try (Socket socket = server.accept(); InputStream in = socket.getInputStream()) {
                if (in.readNBytes(68).length == 68) {
                    handshakesRead.incrementAndGet();
                }
            } catch (IOException e) {
                return; // closed by the test
            }
        }
    }
}
