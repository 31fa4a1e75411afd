package io.graytorrent.distribution;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graytorrent.testkit.Await;
import io.graytorrent.testkit.Interop;
import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JSON API over real HTTP against a real server: what it must refuse, with our JSON errors, and a
 * torrent added through it that downloads from a real libtorrent seeder.
 */
@Timeout(240)
@Interop
class ApiIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    private Path createTorrent(int... sizes) throws Exception {
        Random random = new Random(11);
        for (int i = 0; i < sizes.length; i++) {
            byte[] bytes = new byte[sizes[i]];
            random.nextBytes(bytes);
            Path file = work.resolve("seed/data/file" + i + ".bin");
            Files.createDirectories(file.getParent());
            Files.write(file, bytes);
        }
        GrayCommand.assertSucceeds(new GrayCommand(work.resolve("tool-home"), work)
                .run("create", "seed/data", "--piece-size", "256k", "-o", "data.torrent"));
        return work.resolve("data.torrent");
    }

    private static void assertRefused(HttpResponse<String> response, int status, String code) throws IOException {
        assertEquals(status, response.statusCode(), response.body());
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertEquals(code, error.path("code").asText(), response.body());
        assertTrue(error.path("message").isTextual(), response.body());
    }

    @Test
    void refusesWhatItMustWithAJsonErrorEach() throws Exception {
        Path torrent = createTorrent(300_000, 5);
        try (ApiServer server = ApiServer.start(work.resolve("home"), work)) {
            assertRefused(server.send(HttpRequest.newBuilder(server.uri("/api/v1/torrents"))), 401, "unauthorized");
            assertRefused(server.send(HttpRequest.newBuilder(server.uri("/api/v1/torrents"))
                    .header("Authorization", "Bearer " + "0".repeat(server.token.length()))), 401, "unauthorized");
            assertRefused(server.send(server.authorised("/api/v1/torrents").header("Origin", "http://evil.example")),
                    403, "forbidden_origin");
            String rebound = raw(server.port, "GET /api/v1/torrents HTTP/1.1\r\nHost: rebound.example:" + server.port
                    + "\r\nAuthorization: Bearer " + server.token + "\r\n\r\n");
            assertTrue(rebound.startsWith("HTTP/1.1 403") && rebound.contains("forbidden_host"), rebound);

            assertRefused(server.send(server.authorised("/api/v1/torrents").header("Content-Type", "application/x-bittorrent")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[2 << 20]))), 413, "too_large");
            assertRefused(server.send(server.authorised("/api/v1/settings").header("Content-Type", "application/json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"maxConnections\":"))), 400, "bad_json");
            assertRefused(server.send(server.authorised("/api/v1/settings").header("Content-Type", "application/json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"maxConnections\":0}"))), 400, "bad_field");
            assertRefused(server.send(server.authorised("/api/v1/settings").header("Content-Type", "application/json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"uploadRateLimit\":-1}"))), 400, "bad_field");
            assertRefused(server.send(server.authorised("/api/v1/settings").header("Content-Type", "application/json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"password\":\"x\"}"))), 400, "bad_field");
            assertRefused(server.send(server.authorised("/api/v1/torrents").header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString("hello"))), 415, "unsupported_media_type");
            assertRefused(server.send(server.authorised("/api/v1/torrents").header("Content-Type", "application/x-bittorrent")
                    .POST(HttpRequest.BodyPublishers.ofString("not bencode"))), 400, "bad_request");
            HttpResponse<String> wrongMethod = server.send(server.authorised("/api/v1/torrents").DELETE());
            assertRefused(wrongMethod, 405, "method_not_allowed");
            assertEquals("GET, POST", wrongMethod.headers().firstValue("allow").orElse(""));
            assertRefused(server.send(server.authorised("/api/v1/nothing")), 404, "not_found");
            assertRefused(server.send(server.authorised("/api/v1/torrents/424242")), 404, "not_found");
            assertRefused(server.send(server.authorised("/api/v1/torrents/" + "f".repeat(40))), 404, "not_found");
            assertRefused(server.send(server.authorised("/api/v1/torrents/abc")), 400, "bad_id");
            assertRefused(server.send(server.authorised("/api/v1/torrents/..%2F..%2Fetc")), 404, "not_found");
            assertRefused(server.send(server.authorised("/api/v1/torrents?fields=id,secret")), 400, "bad_field");

            HttpResponse<String> added = server.send(server.authorised("/api/v1/torrents?paused=true")
                    .header("Content-Type", "application/x-bittorrent").POST(HttpRequest.BodyPublishers.ofFile(torrent)));
            assertEquals(201, added.statusCode(), added.body());
            String id = JSON.readTree(added.body()).get("id").asText();
            for (String bad : new String[] {"{\"indexes\":[0],\"priority\":\"urgent\"}", "{\"indexes\":[7],\"priority\":\"low\"}",
                    "{\"indexes\":[0,0],\"priority\":\"low\"}", "{\"indexes\":[],\"priority\":\"low\"}",
                    "{\"indexes\":[\"0\"],\"priority\":\"low\"}"}) {
                assertRefused(server.send(server.authorised("/api/v1/torrents/" + id + "/files").header("Content-Type", "application/json")
                        .method("PATCH", HttpRequest.BodyPublishers.ofString(bad))), 400, "bad_field");
            }

            // a browser session: changes need the CSRF token the login gave
            HttpResponse<String> login = server.send(HttpRequest.newBuilder(server.uri("/api/v1/login"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + server.token + "\"}")));
            assertEquals(200, login.statusCode(), login.body());
            String cookie = login.headers().firstValue("set-cookie").orElseThrow().split(";", 2)[0];
            String csrf = JSON.readTree(login.body()).get("csrfToken").asText();
            HttpResponse<String> listed = server.send(HttpRequest.newBuilder(server.uri("/api/v1/torrents?fields=id,state"))
                    .header("Cookie", cookie));
            assertEquals(200, listed.statusCode(), "reading needs only the cookie: " + listed.body());
            assertRefused(server.send(HttpRequest.newBuilder(server.uri("/api/v1/torrents/" + id + "/start"))
                    .header("Cookie", cookie).POST(HttpRequest.BodyPublishers.noBody())), 403, "csrf");
            assertEquals("stopped", JSON.readTree(server.send(server.authorised("/api/v1/torrents/" + id)).body())
                    .get("state").asText(), "the refused change did not happen");
            HttpResponse<String> started = server.send(HttpRequest.newBuilder(server.uri("/api/v1/torrents/" + id + "/start"))
                    .header("Cookie", cookie).header("X-CSRF-Token", csrf).POST(HttpRequest.BodyPublishers.noBody()));
            assertEquals(200, started.statusCode(), started.body());

            for (int i = 0; i < 5; i++) {
                assertRefused(server.send(HttpRequest.newBuilder(server.uri("/api/v1/login")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"guess" + i + "\"}"))), 401, "unauthorized");
            }
            HttpResponse<String> limited = server.send(HttpRequest.newBuilder(server.uri("/api/v1/login"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + server.token + "\"}")));
            assertRefused(limited, 429, "too_many_attempts");
            assertTrue(Integer.parseInt(limited.headers().firstValue("retry-after").orElseThrow()) > 0);
        }
    }

    @Test
    void aTorrentAddedThroughTheApiDownloadsFromLibtorrent() throws Exception {
        Path torrent = createTorrent(4 << 20, 2 << 20, 12_345);
        try (ApiServer server = ApiServer.start(work.resolve("home"), work);
             LibtorrentSeeder seeder = LibtorrentSeeder.start(torrent, work.resolve("seed"), 2 << 20)) {
            HttpResponse<String> added = server.send(server.authorised("/api/v1/torrents?saveDirectory="
                            + work.resolve("out") + "&peer=" + seeder.address())
                    .header("Content-Type", "application/x-bittorrent").POST(HttpRequest.BodyPublishers.ofFile(torrent)));
            assertEquals(201, added.statusCode(), added.body());
            String id = JSON.readTree(added.body()).get("id").asText();
            assertEquals("/api/v1/torrents/" + id, added.headers().firstValue("location").orElse(""));

            JsonNode peers = await(server, "/api/v1/torrents/" + id + "/peers", p -> p.get("peers").size() > 0);
            assertTrue(peers.get("peers").get(0).get("client").asText().startsWith("libtorrent"), peers.toString());
            JsonNode pieces = get(server, "/api/v1/torrents/" + id + "/pieces");
            assertEquals(25, pieces.get("pieceCount").asInt(), pieces.toString());
            JsonNode availability = pieces.get("availability");
            for (JsonNode count : availability) {
                assertEquals(1, count.asInt(), "the one seed has every piece: " + pieces);
            }
            assertEquals(25, availability.size());

            JsonNode done = await(server, "/api/v1/torrents/" + id, t -> t.get("state").asText().equals("seeding"));
            assertEquals(1.0, done.get("progress").asDouble());
            byte[] verified = Base64.getDecoder().decode(get(server, "/api/v1/torrents/" + id + "/pieces").get("verified").asText());
            assertArrayEquals(new byte[] {-1, -1, -1, (byte) 0x80}, verified, "all 25 pieces verified");
            assertEquals(1, get(server, "/api/v1/stats").get("byState").get("seeding").asInt());
            for (int i = 0; i < 3; i++) {
                assertEquals(-1, Files.mismatch(work.resolve("seed/data/file" + i + ".bin"), work.resolve("out/data/file" + i + ".bin")));
            }

            assertEquals(204, server.send(server.authorised("/api/v1/torrents/" + id + "?deleteData=true").DELETE()).statusCode());
            assertRefused(server.send(server.authorised("/api/v1/torrents/" + id)), 404, "not_found");
        }
    }

    private static JsonNode get(ApiServer server, String path) throws Exception {
        HttpResponse<String> response = server.send(server.authorised(path));
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return JSON.readTree(response.body());
    }

    private static JsonNode await(ApiServer server, String path, Predicate<JsonNode> condition) throws Exception {
        return Await.value(path + " reaching the awaited state", Duration.ofSeconds(120), () -> get(server, path), condition);
    }

    private static String raw(int port, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
