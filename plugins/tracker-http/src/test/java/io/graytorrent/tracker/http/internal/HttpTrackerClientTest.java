package io.graytorrent.tracker.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.graytorrent.api.AnnounceEvent;
import io.graytorrent.api.AnnounceRequest;
import io.graytorrent.api.AnnounceResponse;
import io.graytorrent.api.InfoHash;
import io.graytorrent.api.ScrapeResponse;
import io.graytorrent.api.TrackerException;
import io.graytorrent.testkit.Configurations;
import io.graytorrent.testkit.Unit;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client against a real HTTP server on 127.0.0.1 playing a tracker, with the JDK's HttpClient;
 * {@link HttpTrackerClientBoundTest} runs every case again on the Netty client a bound source address calls for.
 */
@Unit
class HttpTrackerClientTest {
    static final InfoHash HASH = InfoHash.parse("0123456789abcdef0123456789abcdef01234567");
    private final HttpTrackerClient client = client(Duration.ofSeconds(5));
    final List<String> queries = new CopyOnWriteArrayList<>();
    /** Where each request came from. */
    final List<InetSocketAddress> sources = new CopyOnWriteArrayList<>();
    HttpServer server;

    /** The client under test, with a 4096-byte reply limit and 2 redirects. */
    HttpTrackerClient client(Duration timeout) {
        return new HttpTrackerClient(timeout, 4096, 2);
    }

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/announce", exchange -> {
            queries.add(exchange.getRequestURI().getRawQuery());
            sources.add(exchange.getRemoteAddress());
            reply(exchange, 200, HttpTrackerRepliesTest.bytes("d8:intervali60e5:peers6:\\x7f\\x00\\x00\\x01\\x1a\\xe1e"));
        });
        server.createContext("/scrape", exchange -> reply(exchange, 200, HttpTrackerRepliesTest.bytes(
                "d5:filesd20:\\x01\\x23\\x45\\x67\\x89\\xab\\xcd\\xef\\x01\\x23\\x45\\x67\\x89\\xab\\xcd\\xef\\x01\\x23\\x45\\x67"
                        + "d8:completei3e10:downloadedi7e10:incompletei1eeee")));
        server.createContext("/moved/announce", exchange -> redirect(exchange, "/announce"));
        server.createContext("/loop/announce", exchange -> redirect(exchange, "/loop/announce"));
        server.createContext("/ftp/announce", exchange -> redirect(exchange, "ftp://127.0.0.1/announce"));
        server.createContext("/broken/announce", exchange -> reply(exchange, 500, new byte[0]));
        server.createContext("/huge/announce", exchange -> {
            exchange.sendResponseHeaders(200, 0); // chunked: the size is not known up front
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 1000; i++) {
                    out.write(new byte[1024]);
                }
            } catch (IOException expected) {
                // the client hangs up once it has seen too much
            }
        });
        server.createContext("/slow/announce", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            exchange.getResponseBody().write('d');
            exchange.getResponseBody().flush(); // and never the rest
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static void redirect(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().add("Location", location);
        reply(exchange, 302, new byte[0]);
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    AnnounceRequest request(String path) {
        return new AnnounceRequest(url(path), HASH, "-GT0100-123456789012".getBytes(), 6881, 1, 2, 3,
                AnnounceEvent.COMPLETED, 20, 7, Optional.empty());
    }

    static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    static String failure(CompletableFuture<?> future) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
        return assertInstanceOf(TrackerException.class, e.getCause()).getMessage();
    }

    @Test
    void announcesAndReadsThePeers() throws Exception {
        AnnounceResponse reply = await(client.announce(request("/announce")));
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 6881)), reply.peers());
        assertEquals(Duration.ofSeconds(60), reply.interval());
        assertEquals(List.of("info_hash=%01%23Eg%89%AB%CD%EF%01%23Eg%89%AB%CD%EF%01%23Eg&peer_id=-GT0100-123456789012"
                + "&port=6881&uploaded=1&downloaded=2&left=3&compact=1&numwant=20&key=7&event=completed"), queries);
    }

    @Test
    void followsARedirectButNotALoopOrAnotherScheme() throws Exception {
        assertEquals(1, await(client.announce(request("/moved/announce"))).peers().size());
        assertTrue(failure(client.announce(request("/loop/announce"))).startsWith("more than 2 redirects"));
        assertTrue(failure(client.announce(request("/ftp/announce"))).startsWith("not an http(s) URL"));
    }

    @Test
    void anHttpErrorOrAHugeBodyOrNoServerIsATrackerError() {
        assertTrue(failure(client.announce(request("/broken/announce"))).startsWith("HTTP 500"));
        assertEquals("the tracker's reply exceeds 4096 bytes", failure(client.announce(request("/huge/announce"))));
        URI nowhere = url("/announce");
        server.stop(0);
        assertTrue(failure(client.announce(new AnnounceRequest(nowhere, HASH, new byte[20], 1, 0, 0, 0, AnnounceEvent.NONE,
                -1, 0, Optional.empty()))).startsWith("cannot reach 127.0.0.1"));
    }

    @Test
    void aBodyThatNeverEndsTimesOut() {
        HttpTrackerClient impatient = client(Duration.ofMillis(500));
        assertEquals("no whole reply from 127.0.0.1 within 500 ms", failure(impatient.announce(request("/slow/announce"))));
    }

    @Test
    void aChangedConfigurationAppliesToTheNextRequests() throws Exception {
        assertEquals(1, await(client.announce(request("/moved/announce"))).peers().size());
        client.modified(Configurations.of(HttpTrackerConfiguration.class, Map.of("timeoutSeconds", 1, "maxRedirects", 0)));
        assertTrue(failure(client.announce(request("/moved/announce"))).startsWith("more than 0 redirects"));
        assertEquals("no whole reply from 127.0.0.1 within 1000 ms", failure(client.announce(request("/slow/announce"))));
    }

    @Test
    void scrapesThroughTheDerivedUrl() throws Exception {
        assertEquals(new ScrapeResponse(3, 7, 1), await(client.scrape(url("/announce"), HASH)));
        assertTrue(failure(client.scrape(url("/tracker"), HASH)).startsWith("no scrape URL"));
    }
}
