package io.graytorrent.api.util;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.graytorrent.api.util.TorrentUrlFetch.FetchException;
import io.graytorrent.testkit.Unit;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The server's fetch of a .torrent URL against the JDK's HTTP server on 127.0.0.1. */
@Timeout(30)
@Unit
class TorrentUrlFetchTest {
    private static final byte[] TORRENT = "d4:infod6:lengthi1e4:name1:a12:piece lengthi16384e6:pieces20:aaaaaaaaaaaaaaaaaaaaee"
            .getBytes(StandardCharsets.US_ASCII);

    private HttpServer server;
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/a.torrent", exchange -> answer(exchange, 200, TORRENT));
        server.createContext("/moved", exchange -> redirect(exchange, "/a.torrent"));
        server.createContext("/to-ftp", exchange -> redirect(exchange, "ftp://127.0.0.1/a.torrent"));
        server.createContext("/to-file", exchange -> redirect(exchange, "file:///etc/passwd"));
        server.createContext("/loop", exchange -> redirect(exchange, "/loop"));
        server.createContext("/missing", exchange -> answer(exchange, 404, new byte[0]));
        server.createContext("/huge", exchange -> answer(exchange, 200, new byte[70_000]));
        server.createContext("/endless", exchange -> {
            exchange.sendResponseHeaders(200, 0); // chunked, no length announced
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 100; i++) {
                    out.write(new byte[8192]);
                }
            } catch (IOException e) {
                // the client hung up, as it should
            }
        });
        server.createContext("/silent", exchange -> {
            exchange.sendResponseHeaders(200, 100);
            exchange.getResponseBody().write(new byte[10]);
            exchange.getResponseBody().flush();
            await();
            exchange.close();
        });
        server.createContext("/no-headers", exchange -> {
            await();
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    private void await() {
        try {
            release.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void answer(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static void redirect(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().set("Location", location);
        answer(exchange, 302, new byte[0]);
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** Patient where a wait is not what is tested: a loaded machine's first HTTP exchange may take seconds. */
    private final TorrentUrlFetch fetch = new TorrentUrlFetch(64 * 1024, Duration.ofSeconds(30));
    private final TorrentUrlFetch impatient = new TorrentUrlFetch(64 * 1024, Duration.ofSeconds(2));

    @Test
    void fetchesTheBodyAndFollowsAnHttpRedirect() throws FetchException {
        assertArrayEquals(TORRENT, fetch.fetch(url("/a.torrent")));
        assertArrayEquals(TORRENT, fetch.fetch(url("/moved")));
    }

    @Test
    void refusesRedirectsAwayFromHttpAndEndlessRedirects() {
        assertFails("/to-ftp", "a redirect must be http or https, not ftp:");
        assertFails("/to-file", "a redirect must be http or https, not file:");
        assertFails("/loop", "more than 5 redirects");
    }

    @Test
    void saysWhatTheServerAnswered() {
        assertFails("/missing", "the server answered HTTP 404");
    }

    @Test
    void readsAtMostTheLimitWhetherAnnouncedOrNot() {
        assertFails("/huge", "larger than 65536 bytes");
        assertFails("/endless", "larger than 65536 bytes");
    }

    @Test
    void aServerThatStopsSendingIsGivenUpAtTheTimeLimit() {
        long started = System.nanoTime();
        assertFails(impatient, "/silent", "the body did not arrive within 2 s");
        assertFails(impatient, "/no-headers", "no answer within 2 s");
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        assertTrue(seconds < 8, "both gave up within their 2 s each, took " + seconds + " s");
    }

    @Test
    void onlyHttpAndHttpsUrlsAreTaken() throws FetchException {
        assertEquals(URI.create("https://example.org/x.torrent"), TorrentUrlFetch.parse("https://example.org/x.torrent"));
        for (String bad : new String[] {"file:///etc/passwd", "ftp://example.org/x", "gopher://x/", "/relative", "http:///nohost",
                "http://exa mple.org/", "", "http://x/" + "a".repeat(TorrentUrlFetch.MAX_URL_LENGTH)}) {
            FetchException refused = assertThrows(FetchException.class, () -> TorrentUrlFetch.parse(bad), bad);
            assertTrue(refused.badUrl(), bad);
        }
    }

    @Test
    void aClosedPortIsABadGatewayWithTheReason() throws IOException {
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        FetchException refused = assertThrows(FetchException.class,
                () -> fetch.fetch(URI.create("http://127.0.0.1:" + closed + "/a.torrent")));
        assertFalse(refused.badUrl());
        assertTrue(refused.getMessage().startsWith("fetching http://127.0.0.1:" + closed + "/a.torrent failed: "), refused.getMessage());
    }

    @Test
    void makingOneStartsNoHttpClientUntilItFetches() throws FetchException {
        Set<Thread> before = selectorThreads();
        TorrentUrlFetch lazy = new TorrentUrlFetch(64 * 1024, Duration.ofSeconds(30));
        assertTrue(before.containsAll(selectorThreads()), "no HttpClient (its selector thread) for a fetch not made");
        assertArrayEquals(TORRENT, lazy.fetch(url("/a.torrent")));
        assertFalse(before.containsAll(selectorThreads()), "the first fetch built the client");
    }

    /** An HttpClient's selector thread lives as long as the client. */
    private static Set<Thread> selectorThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().contains("SelectorManager"))
                .collect(Collectors.toSet());
    }

    private void assertFails(String path, String reason) {
        assertFails(fetch, path, reason);
    }

    private void assertFails(TorrentUrlFetch fetcher, String path, String reason) {
        FetchException refused = assertThrows(FetchException.class, () -> fetcher.fetch(url(path)), path);
        assertFalse(refused.badUrl(), path);
        assertTrue(refused.getMessage().endsWith("failed: " + reason), path + ": " + refused.getMessage());
    }
}
