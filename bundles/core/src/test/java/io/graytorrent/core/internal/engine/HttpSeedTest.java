package io.graytorrent.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.graytorrent.api.WebSeedStatus;
import io.graytorrent.metainfo.Metainfo;
import io.graytorrent.metainfo.MetainfoParser;
import io.graytorrent.metainfo.TorrentCreator;
import io.graytorrent.testkit.Unit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Torrents whose only source is a BEP 17 HTTP seed ({@code httpseeds}), against a BEP 17 server written here
 * on the JDK's {@code com.sun.net.httpserver}: no real BEP 17 server is packaged in Debian (BEP 17 was served
 * by PHP scripts next to the files, and nginx or lighttpd know nothing of {@code ?info_hash=&piece=&ranges=}),
 * so this server implements the protocol as the BEP and libtorrent's client read it: the torrent named by
 * {@code info_hash} (20 raw bytes, percent-encoded), piece {@code piece}, the inclusive byte ranges
 * {@code ranges} of that piece concatenated, in a 200; or a 503 whose body is the seconds to wait.
 */
@Timeout(60)
@Unit
class HttpSeedTest {
    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final int PIECE = 32 * 1024;

    @TempDir
    Path dir;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private HttpServer server;
    private byte[] data;
    private Metainfo metainfo;
    /** When each request came, in nanoseconds, and its query. */
    private final List<Long> times = new CopyOnWriteArrayList<>();
    private final List<String> queries = new CopyOnWriteArrayList<>();
    /** How many of the first requests are answered 503 with {@link #waitBody}. */
    private final AtomicInteger busyFor = new AtomicInteger();
    private volatile String waitBody = "";

    @BeforeEach
    void setUp() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/seed", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    @AfterEach
    void tearDown() {
        server.stop(0);
        threads.shutdownNow();
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/seed?torrent=any";
    }

    /** A multi-file torrent whose files end mid-piece (so a piece spans two files) and the bytes it holds. */
    private byte[] torrent() throws Exception {
        Path root = dir.resolve("seed/multi");
        Files.createDirectories(root.resolve("sub"));
        Random random = new Random(17);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (var file : Map.of("a.bin", 100_000, "sub/b.bin", 70_001).entrySet().stream()
                .sorted(Map.Entry.comparingByKey()).toList()) {
            byte[] bytes = new byte[file.getValue()];
            random.nextBytes(bytes);
            Files.write(root.resolve(file.getKey()), bytes);
        }
        byte[] torrent = TorrentCreator.forPath(root).pieceLength(PIECE).httpSeed(url()).create();
        metainfo = new MetainfoParser().parse(torrent);
        for (var file : metainfo.files()) {
            all.write(Files.readAllBytes(root.resolve(String.join("/", file.path()))));
        }
        data = all.toByteArray();
        return torrent;
    }

    private void handle(HttpExchange exchange) throws IOException {
        times.add(System.nanoTime());
        String query = exchange.getRequestURI().getRawQuery();
        queries.add(query);
        try (exchange) {
            if (busyFor.getAndDecrement() > 0) {
                reply(exchange, 503, waitBody.getBytes(StandardCharsets.US_ASCII));
                return;
            }
            Map<String, String> params = new HashMap<>();
            for (String pair : query.split("&")) {
                int equals = pair.indexOf('=');
                params.put(pair.substring(0, equals), pair.substring(equals + 1));
            }
            if (!"any".equals(params.get("torrent"))
                    || !Arrays.equals(decode(params.get("info_hash")), metainfo.infoHash().toBytes())) {
                reply(exchange, 404, "unknown torrent".getBytes(StandardCharsets.US_ASCII));
                return;
            }
            int piece = Integer.parseInt(params.get("piece"));
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (String range : params.get("ranges").split(",")) {
                String[] ends = range.split("-");
                int first = Integer.parseInt(ends[0]);
                int last = Integer.parseInt(ends[1]);
                if (first > last || last >= metainfo.pieceLength(piece)) {
                    reply(exchange, 400, "bad range".getBytes(StandardCharsets.US_ASCII));
                    return;
                }
                body.write(data, piece * PIECE + first, last - first + 1);
            }
            reply(exchange, 200, body.toByteArray());
        }
    }

    private static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** Percent-decoding to raw bytes (an infohash is not text). */
    private static byte[] decode(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                out.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }

    private void download(byte[] torrent, EngineFixture fixture) throws Exception {
        int id = fixture.add(torrent, dir.resolve("down")).id();
        fixture.await(id, EngineFixture.seeding(), WAIT);
        TestData.assertSameTree(dir.resolve("seed/multi"), dir.resolve("down/multi"));
    }

    @Test
    void aTorrentCompletesFromItsHttpSeedAlonePieceByPiece() throws Exception {
        byte[] torrent = torrent();
        try (EngineFixture fixture = new EngineFixture(dir.resolve("state"))) {
            download(torrent, fixture);
            WebSeedStatus seed = fixture.engine.webSeeds("1").get(0);
            assertEquals(WebSeedStatus.HTTP_SEED, seed.kind());
            assertEquals(url(), seed.url());
            assertEquals(170_001, seed.downloaded());
            assertEquals(metainfo.pieceCount(), queries.size(), "one request per piece: " + queries);
            assertTrue(queries.stream().allMatch(q -> q.matches("torrent=any&info_hash=[^&]+&piece=\\d+&ranges=\\d+-\\d+")),
                    queries.toString());
            assertTrue(queries.contains("torrent=any&info_hash=" + encoded() + "&piece=5&ranges=0-6160"),
                    "the short last piece asked to its last byte, inclusive: " + queries);
        }
    }

    @Test
    void a503WaitsTheSecondsItsBodySaysThenTheSeedServes() throws Exception {
        byte[] torrent = torrent();
        busyFor.set(1);
        waitBody = "2\n";
        try (EngineFixture fixture = new EngineFixture(dir.resolve("state"))) {
            download(torrent, fixture);
            long waited = times.get(1) - times.get(0);
            assertTrue(waited >= Duration.ofMillis(1900).toNanos(), "asked again after " + waited / 1_000_000 + " ms");
            assertTrue(waited < Duration.ofSeconds(5).toNanos(), "not the 5 s default back-off: " + waited / 1_000_000 + " ms");
            WebSeedStatus seed = fixture.engine.webSeeds("1").get(0);
            assertTrue(seed.lastError().orElseThrow().endsWith("HTTP 503, retry in 2 s"), seed.toString());
            assertEquals(170_001, seed.downloaded());
        }
    }

    private String encoded() {
        StringBuilder out = new StringBuilder();
        for (byte b : metainfo.infoHash().toBytes()) {
            char c = (char) (b & 0xff);
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || "-._~".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append(String.format("%%%02X", (int) c));
            }
        }
        return out.toString();
    }
}
