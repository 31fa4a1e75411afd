package io.graytorrent.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.graytorrent.testkit.LeftoverProcesses;
import io.graytorrent.testkit.Slow;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The real {@code gray} command, as a user runs it: one-shot commands and the server's life. */
@Slow
@ExtendWith(LeftoverProcesses.class)
class GrayCliIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;
    private Path home;
    private GrayCommand gray;

    @BeforeEach
    void setUp() throws IOException {
        home = work.resolve("home");
        gray = new GrayCommand(home, work);
        Path data = Files.createDirectories(work.resolve("data/sub"));
        byte[] bytes = new byte[700_000];
        new Random(7).nextBytes(bytes);
        Files.write(work.resolve("data/big.bin"), bytes);
        Files.writeString(data.resolve("small.txt"), "hello\n");
    }

    @Test
    void getAndAddTakeATorrentsUrl() throws Exception {
        GrayCommand.assertSucceeds(gray.run("create", "data", "-o", "data.torrent"));
        byte[] torrent = Files.readAllBytes(work.resolve("data.torrent"));
        HttpServer web = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        web.createContext("/", exchange -> {
            boolean found = exchange.getRequestURI().getPath().equals("/data.torrent");
            exchange.sendResponseHeaders(found ? 200 : 404, found ? torrent.length : -1);
            try (OutputStream out = exchange.getResponseBody()) {
                if (found) {
                    out.write(torrent);
                }
            }
        });
        web.start();
        try {
            String base = "http://127.0.0.1:" + web.getAddress().getPort();
            // the data is complete in -d: gray get fetches the .torrent, verifies and is done
            GrayCommand.Result got = GrayCommand.assertSucceeds(gray.run("get", base + "/data.torrent", "-d", "."));
            assertTrue(got.out().contains("complete: data"), got.toString());

            GrayCommand.assertSucceeds(gray.run("server", "start"));
            GrayCommand.Result added = GrayCommand.assertSucceeds(
                    gray.run("add", base + "/data.torrent", "--paused", "-d", "elsewhere"));
            assertTrue(added.out().startsWith("added 1: data (") && added.out().contains(work.resolve("elsewhere").toString()),
                    added.toString());
            GrayCommand.Result missing = gray.run("add", base + "/missing.torrent");
            assertEquals(1, missing.exit(), missing.toString());
            assertTrue(missing.err().contains("error: fetching " + base + "/missing.torrent failed: the server answered HTTP 404"),
                    missing.toString());
            GrayCommand.Result ftp = gray.run("add", "ftp://127.0.0.1/data.torrent");
            assertEquals(1, ftp.exit(), "not a URL gray fetches, so a file name that does not exist: " + ftp);
        } finally {
            web.stop(0);
        }
    }

    @Test
    void createAndInfoWorkWithoutAServer() throws Exception {
        GrayCommand.Result created = gray.run("create", "data", "-t", "http://127.0.0.1:6969/announce",
                "-t", "udp://127.0.0.1:6969", "--comment", "made in a test", "--private", "-o", "data.torrent");
        assertEquals(0, created.exit(), created.toString());
        assertTrue(Files.exists(work.resolve("data.torrent")), "relative -o resolves in the caller's directory");

        GrayCommand.Result info = gray.run("info", "--json", "data.torrent");
        assertEquals(0, info.exit(), info.toString());
        JsonNode json = JSON.readTree(info.out());
        assertEquals("data", json.get("name").asText());
        assertEquals(700_006, json.get("totalSize").asLong());
        assertTrue(json.get("private").asBoolean());
        assertEquals("made in a test", json.get("comment").asText());
        assertEquals(2, json.get("trackerTiers").size(), "each -t is its own tier");
        assertEquals("big.bin", json.get("files").get(0).get("path").asText());
        assertEquals("sub/small.txt", json.get("files").get(1).get("path").asText());
        assertTrue(json.get("infoHash").asText().matches("[0-9a-f]{40}"));

        GrayCommand.Result again = gray.run("create", "data", "-o", "data.torrent");
        assertEquals(1, again.exit(), "an existing output is not replaced without --force");
        assertTrue(again.err().contains("exists"), again.toString());
    }

    @Test
    void v2AndHybridTorrentsAreCreatedAndShownWithBothHashes() throws Exception {
        assertEquals(0, gray.run("create", "data", "--hybrid", "-o", "hybrid.torrent").exit());
        JsonNode hybrid = JSON.readTree(gray.run("info", "--json", "hybrid.torrent").out());
        assertEquals("hybrid", hybrid.get("version").asText());
        assertTrue(hybrid.get("infoHash").asText().matches("[0-9a-f]{40}"), hybrid.toString());
        assertTrue(hybrid.get("infoHashV2").asText().matches("[0-9a-f]{64}"), hybrid.toString());
        assertTrue(hybrid.get("files").get(1).get("padding").asBoolean(), "the v1 view aligns files with padding");

        assertEquals(0, gray.run("create", "data", "--v2", "-o", "v2.torrent").exit());
        GrayCommand.Result v2 = gray.run("info", "v2.torrent");
        assertEquals(0, v2.exit(), v2.toString());
        assertTrue(v2.out().contains("version:     v2"), v2.toString());
        assertTrue(v2.out().lines().anyMatch(line -> line.matches("infohash v2: [0-9a-f]{64}")), v2.toString());
        assertTrue(v2.out().contains("sub/small.txt"), v2.toString());

        GrayCommand.Result both = gray.run("create", "data", "--v2", "--hybrid", "-o", "x.torrent");
        assertEquals(1, both.exit(), both.toString());
        assertTrue(both.err().contains("exclude each other"), both.toString());
    }

    @Test
    void badInputGivesOneReadableLineAndExitCodeOne() throws Exception {
        Files.write(work.resolve("garbage.torrent"), new byte[] {'d', '4', ':', 'i', 'n'});
        GrayCommand.Result garbage = gray.run("info", "garbage.torrent");
        assertEquals(1, garbage.exit(), garbage.toString());
        assertTrue(garbage.err().startsWith("error: "), garbage.toString());
        assertEquals(1, garbage.err().strip().lines().count(), garbage.toString());

        GrayCommand.Result usage = gray.run("info");
        assertEquals(1, usage.exit(), usage.toString());
        assertTrue(usage.err().contains("usage: info"), usage.toString());

        GrayCommand.Result needsServer = gray.run("ls");
        assertEquals(1, needsServer.exit(), needsServer.toString());
        assertTrue(needsServer.err().contains("gray server start"), needsServer.toString());
    }

    @Test
    void serverStartsAnswersThroughTheControlChannelAndStops() throws Exception {
        assertEquals(0, gray.run("create", "data", "-o", "data.torrent").exit());

        GrayCommand.Result started = gray.run("server", "start");
        assertEquals(0, started.exit(), started.toString());
        assertTrue(started.out().contains("graytorrent server started"), started.toString());

        GrayCommand.Result twice = gray.run("server", "start");
        assertEquals(1, twice.exit(), twice.toString());
        assertTrue(twice.err().contains("already running"), twice.toString());

        GrayCommand.Result running = gray.run("server", "status");
        assertEquals(0, running.exit(), running.toString());
        // the port mapping plugin runs, kept off by the tests' graytorrent.portmap=off: status says so
        assertTrue(running.out().contains("port mapping: none (off)"), running.toString());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("control.token"))));

        GrayCommand.Result info = gray.run("info", "data.torrent");
        assertEquals(0, info.exit(), info.toString());
        assertTrue(info.out().contains("name:       data"), info.toString());
        assertTrue(Files.readString(home.resolve("logs/gray.log")).contains("control endpoint listening"),
                "the server logged to GRAY_HOME/logs/gray.log");

        GrayCommand.Result unknown = gray.run("frobnicate");
        assertEquals(2, unknown.exit(), unknown.toString());
        for (String[] malformed : new String[][] {{"add", "data.torrent", "--bogus"}, {"add", "data.torrent", "-d"},
                {"add", "data.torrent", "--peer", "nowhere"}, {"add"}, {"add", "data.torrent", "data.torrent"}}) {
            GrayCommand.Result refused = gray.run(malformed);
            assertNotEquals(0, refused.exit(), refused.toString());
            assertTrue(refused.err().startsWith("error: ") && refused.err().strip().lines().count() == 1, refused.toString());
        }
        GrayCommand.Result none = gray.run("ls", "--json");
        assertEquals("[]", none.out().replaceAll("\\s", ""), "no malformed command line added anything: " + none);

        GrayCommand.Result magnet = gray.run("add", "magnet:?xt=urn:btih:" + "ab".repeat(20) + "&dn=Waiting+Room", "-d", "out");
        assertEquals(0, magnet.exit(), magnet.toString());
        assertTrue(magnet.out().contains("fetching metadata"), magnet.toString());
        GrayCommand.Result listed = gray.run("ls");
        assertTrue(listed.out().contains("Waiting Room") && listed.out().contains("fetching metadata"), listed.toString());
        GrayCommand.Result badMagnet = gray.run("add", "magnet:?xt=urn:btih:1234");
        assertEquals(1, badMagnet.exit(), badMagnet.toString());
        assertTrue(badMagnet.err().contains("not a valid magnet link: bad xt"), badMagnet.toString());

        int port = Integer.parseInt(Files.readString(home.resolve("control.port")).trim());
        assertEquals(401, post(port, null), "no token, no command");
        assertEquals(401, post(port, "0".repeat(64)), "a wrong token, no command");
        assertEquals(200, post(port, Files.readString(home.resolve("control.token")).trim()));

        GrayCommand.Result stopped = gray.run("server", "stop");
        assertEquals(0, stopped.exit(), stopped.toString());
        GrayCommand.Result status = gray.run("server", "status");
        assertEquals(3, status.exit(), status.toString());
        assertTrue(status.out().contains("not running"), status.toString());
        assertTrue(Files.notExists(home.resolve("control.token")), "the secret does not outlive the server");
    }

    private int post(int port, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/command"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"args\":[\"info\",\"data.torrent\"],\"cwd\":\"" + work + "\"}"));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
