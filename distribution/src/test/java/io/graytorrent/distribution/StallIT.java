package io.graytorrent.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graytorrent.testkit.Interop;
import io.graytorrent.testkit.Nginx;
import io.graytorrent.testkit.Slow;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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
@Slow
class StallIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LONELY_MAGNET = "magnet:?xt=urn:btih:" + "cd".repeat(20) + "&dn=lonely";
    /** The distribution's DHT runs, but the tests give it no bootstrap node. */
    private static final String NO_SOURCE = "no way to find peers: no trackers, no peers given (--peer, x.pe), and the DHT"
            + " has no nodes: no bootstrap node answered";
    private static final String HUNG_UP = "1 peer known, none connects (1 closed after our handshake):"
            + " they hang up on our plaintext handshake, they may require encryption";

    /** The distribution (copied once: a copy makes its own class-data archive) and the data; a GRAY_HOME per test. */
    @TempDir
    static Path work;
    /** The command of that copy; each test's runs it in a home of its own. */
    private static GrayCommand configured;
    /** A tracker URL on a port nothing listens on. */
    private static String tracker;
    private GrayCommand gray;
    private Path home;

    @BeforeAll
    static void configure() throws Exception {
        configured = GrayCommand.configured(work, "io.graytorrent.core.cfg", "stallSeconds=2\n");
        try (ServerSocket socket = new ServerSocket(0)) {
            tracker = "http://127.0.0.1:" + socket.getLocalPort() + "/announce";
        }
        byte[] bytes = new byte[1 << 20];
        new Random(25).nextBytes(bytes);
        Files.createDirectories(work.resolve("data"));
        Files.write(work.resolve("data/payload.bin"), bytes);
    }

    @BeforeEach
    void setUp(TestInfo test) throws Exception {
        home = work.resolve("home-" + test.getTestMethod().orElseThrow().getName());
        gray = configured.withHome(home, Files.createDirectories(home.resolve("cwd")));
    }

    @Test
    void aMagnetLinkWithNoWayToFindPeers() throws Exception {
        GrayCommand.Result got = gray.run("get", LONELY_MAGNET, "--timeout", "5s");
        assertGaveUpSaying(got, "5s", NO_SOURCE);
    }

    @Test
    void peersThatCloseAfterOurHandshake() throws Exception {
        try (HangUpPeer peer = HangUpPeer.start()) {
            // 9 s: the first 3 go to dialling uTP, which this TCP-only peer never answers (default transports)
            GrayCommand.Result got = gray.run("--debug", "get", torrent("hang-up.torrent", null), "-d", "out",
                    "--timeout", "9s", "--peer", peer.address());
            assertGaveUpSaying(got, "9s", HUNG_UP);
            assertTrue(peer.handshakesRead() >= 1, "the peer read our handshake before it hung up");
        }
        String log = Files.readString(home.resolve("logs/gray-cli.log"));
        assertTrue(log.contains("handshake failed: peer closed the connection (CLOSED)"), "the debug log says how: " + log);
        assertFalse(log.contains(" ERROR "), log);
    }

    @Test
    void aFailingTracker() throws Exception {
        GrayCommand.Result got = gray.run("get", torrent("tracked.torrent", tracker), "-d", "out", "--timeout", "5s");
        assertGaveUpSaying(got, "5s", "the tracker fails: " + tracker + ": ");
    }

    /** The JDK's trust store does not trust nginx's self-signed certificate: the web seed backs off, and says why. */
    @Test
    @Interop
    void anHttpsWebSeedWhoseCertificateIsNotTrusted() throws Exception {
        try (Nginx tls = new Nginx(work.resolve("data"), home.resolve("nginx"), true)) {
            String url = tls.url("/payload.bin");
            GrayCommand.assertSucceeds(gray.run("create", work.resolve("data/payload.bin").toString(), "-o",
                    home.resolve("tls.torrent").toString(), "--piece-size", "64k", "--web-seed", url));
            GrayCommand.Result got = gray.run("get", home.resolve("tls.torrent").toString(), "-d", "out",
                    "--timeout", "5s");
            // backing off, or retrying once the back-off ended: the same diagnosis either way
            assertGaveUpSaying(got, "5s", "the web seed fails: " + url + " ");
            assertTrue(got.err().lines().allMatch(line -> !line.contains("web seed") || line.contains(
                    "(SSLHandshakeException: PKIX path building failed")), got.toString());
            assertEquals(0, tls.requests(), "no request got past the refused handshake");
        }
    }

    @Test
    void theServerGivesEachDiagnosisInInfoAndTheApi() throws Exception {
        try (HangUpPeer peer = HangUpPeer.start()) {
            GrayCommand.assertSucceeds(gray.run("server", "start"));
            try (ApiServer api = ApiServer.attach(gray, home)) {
                // three torrents, three ids in this order
                GrayCommand.assertSucceeds(gray.run("add", LONELY_MAGNET, "-d", "served"));
                GrayCommand.assertSucceeds(gray.run("add", torrent("hang-up.torrent", null), "-d", "served",
                        "--peer", peer.address()));
                GrayCommand.assertSucceeds(gray.run("add", torrent("tracked.torrent", tracker), "-d", "served"));
                assertStall(api, 1, "no_peer_source", NO_SOURCE);
                assertStall(api, 2, "peers_refused", HUNG_UP);
                assertStall(api, 3, "trackers_failing", "the tracker fails: " + tracker + ": ");
                GrayCommand.Result info = GrayCommand.assertSucceeds(gray.run("info", "3"));
                assertTrue(info.out().contains("stalled:   the tracker fails: " + tracker), info.toString());
            }
        }
    }

    /** A torrent of the test's data, made once; the hang-up one differs in piece size, hence infohash. */
    private String torrent(String name, String trackerUrl) throws Exception {
        Path file = work.resolve(name);
        if (!Files.exists(file)) {
            List<String> args = new ArrayList<>(List.of("create", work.resolve("data/payload.bin").toString(), "-o",
                    file.toString(), "--piece-size", name.startsWith("hang") ? "32k" : "64k"));
            if (trackerUrl != null) {
                args.addAll(List.of("-t", trackerUrl));
            }
            GrayCommand.assertSucceeds(gray.run(args.toArray(String[]::new)));
        }
        return file.toString();
    }

    /**
     * Waits until the API gives torrent {@code id} a stall of that kind, then checks it. A diagnosis
     * may pass through another first: a peer dialled over uTP, then TCP (the default transports),
     * is "known, none connected yet" for the 3 s uTP waits before it is refused over TCP.
     */
    private static void assertStall(ApiServer api, int id, String kind, String messageStart) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        JsonNode torrent = JSON.readTree(api.send(api.authorised("/api/v1/torrents/" + id)).body());
        while (!torrent.path("stall").path("kind").asText().equals(kind) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            torrent = JSON.readTree(api.send(api.authorised("/api/v1/torrents/" + id)).body());
        }
        JsonNode stall = torrent.path("stall");
        assertEquals(kind, stall.path("kind").asText(), torrent.toString());
        assertTrue(stall.path("message").asText().startsWith(messageStart), torrent.toString());
        assertTrue(Instant.parse(stall.path("since").asText()).isBefore(Instant.now()), torrent.toString());
    }

    /** Exit 1; the hint printed once while it kept trying, then the same diagnosis as the error. */
    private static void assertGaveUpSaying(GrayCommand.Result got, String timeout, String diagnosis) {
        assertEquals(1, got.exit(), got.toString());
        List<String> hints = got.err().lines().filter(line -> line.startsWith("no progress for ")).toList();
        // each diagnosis hinted once; an earlier one may come first (a TCP-only peer is "known, none
        // connected yet" for the 3 s the default transports spend dialling it over uTP)
        List<String> diagnoses = hints.stream().map(hint -> hint.replaceFirst("^no progress for \\S+: ", "")).toList();
        assertTrue(!hints.isEmpty() && diagnoses.stream().distinct().count() == hints.size(), got.toString());
        String hint = hints.get(hints.size() - 1);
        assertTrue(hint.contains(diagnosis) && hint.endsWith("(still trying)"), got.toString());
        String last = got.err().lines().reduce((first, second) -> second).orElse("");
        assertTrue(last.startsWith("error: gave up: no progress for " + timeout + ": " + diagnosis), got.toString());
    }
}
