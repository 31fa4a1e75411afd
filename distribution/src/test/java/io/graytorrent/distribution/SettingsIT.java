package io.graytorrent.distribution;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graytorrent.testkit.Await;
import io.graytorrent.testkit.Slow;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watch folder and the encryption policy set through {@code PATCH /api/v1/settings} on a real
 * server (a copy of the distribution): a .torrent dropped into the folder set there is added; with
 * {@code required} the peer wire no longer answers a plaintext handshake it answered before; both hold
 * across a restart, and a later edit of the {@code .cfg} wins over the API's value.
 */
@Timeout(240)
@Slow
class SettingsIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void watchFolderAndEncryptionSetThroughTheApiApplyAtOnceAndTheLaterChangeWins() throws Exception {
        int peerPort = freePort();
        GrayCommand gray = GrayCommand.configured(work, "io.graytorrent.peerwire.cfg",
                "port=" + peerPort + "\nportRange=0\nbindAddress=127.0.0.1\ntransports=tcp\n");
        Path peerwireCfg = gray.configuration("io.graytorrent.peerwire.cfg");
        Path watched = Files.createDirectories(work.resolve("watched"));
        Path seed = Files.createDirectories(work.resolve("seed"));
        Files.write(seed.resolve("shared.bin"), new byte[80_000]);
        Files.write(seed.resolve("dropped.bin"), new byte[40_000]);
        Path home = work.resolve("home");
        GrayCommand.assertSucceeds(gray.run("create", "seed/shared.bin", "-o", "shared.torrent"));
        GrayCommand.assertSucceeds(gray.run("create", "seed/dropped.bin", "-o", "dropped.torrent"));
        GrayCommand.assertSucceeds(gray.run("server", "start"));
        try (ApiServer server = ApiServer.attach(gray, home)) {
            JsonNode before = settings(server);
            assertEquals("", before.get("watchDirectory").asText(), before.toString());
            assertEquals("preferred", before.get("encryption").asText(), before.toString());

            HttpResponse<String> refused = patch(server, "{\"watchDirectory\":\"relative\",\"encryption\":\"required\"}");
            assertEquals(400, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("watchDirectory must be an absolute path"), refused.body());
            assertEquals("preferred", settings(server).get("encryption").asText(), "a refused request applies nothing");
            assertEquals(400, patch(server, "{\"encryption\":\"always\"}").statusCode());

            // the watch folder, set through the API: a .torrent dropped there is added, paused as asked
            HttpResponse<String> set = patch(server, "{\"watchDirectory\":\"" + watched + "\",\"watchPaused\":true,"
                    + "\"watchSaveDirectory\":\"" + seed + "\"}");
            assertEquals(200, set.statusCode(), set.body());
            assertEquals(watched.toString(), JSON.readTree(set.body()).get("watchDirectory").asText());
            Files.copy(work.resolve("dropped.torrent"), watched.resolve("dropped.torrent"));
            Await.until("the dropped .torrent added", Duration.ofSeconds(30),
                    () -> Files.exists(watched.resolve("dropped.torrent.added")));
            String listed = GrayCommand.assertSucceeds(gray.run("ls")).out();
            assertTrue(listed.contains("dropped.bin") && listed.contains("stopped"), listed);

            // a seeding torrent answers a plaintext handshake under "preferred", not under "required"
            GrayCommand.assertSucceeds(gray.run("add", "shared.torrent", "-d", "seed"));
            byte[] infoHash = HexFormat.of().parseHex(infoHash(server, "shared.bin"));
            Await.until("the plaintext handshake answered", Duration.ofSeconds(30),
                    () -> Arrays.equals(infoHash, plaintextHandshake(peerPort, infoHash)));
            HttpResponse<String> required = patch(server, "{\"encryption\":\"required\"}");
            assertEquals(200, required.statusCode(), required.body());
            assertEquals("required", JSON.readTree(required.body()).get("encryption").asText());
            assertArrayEquals(null, plaintextHandshake(peerPort, infoHash), "required: a plaintext peer gets no handshake");
            assertTrue(Files.readString(home.resolve("state/peerwire-settings")).contains("encryption=required"));
        }

        GrayCommand.assertSucceeds(gray.run("server", "start"));
        try (ApiServer restarted = ApiServer.attach(gray, home)) {
            JsonNode kept = settings(restarted);
            assertEquals("required", kept.get("encryption").asText(), "kept across the restart: " + kept);
            assertEquals(watched.toString(), kept.get("watchDirectory").asText(), kept.toString());
            assertTrue(kept.get("watchPaused").asBoolean(), kept.toString());
            byte[] infoHash = HexFormat.of().parseHex(infoHash(restarted, "shared.bin"));
            assertArrayEquals(null, plaintextHandshake(peerPort, infoHash), "still required after the restart");

            // the .cfg edited later: its value wins, the API's is forgotten
            Files.writeString(peerwireCfg, Files.readString(peerwireCfg) + "encryption=enabled\n");
            Await.until("the .cfg's policy in force", Duration.ofSeconds(20),
                    () -> "enabled".equals(settings(restarted).get("encryption").asText()));
            Await.until("plaintext answered again", Duration.ofSeconds(20),
                    () -> Arrays.equals(infoHash, plaintextHandshake(peerPort, infoHash)));
            assertTrue(!Files.readString(home.resolve("state/peerwire-settings")).contains("encryption="),
                    Files.readString(home.resolve("state/peerwire-settings")));
            assertEquals(watched.toString(), settings(restarted).get("watchDirectory").asText(),
                    "the other owner's values are not touched");
        }
    }

    private static JsonNode settings(ApiServer server) throws IOException, InterruptedException {
        return JSON.readTree(server.send(server.authorised("/api/v1/settings")).body());
    }

    private static HttpResponse<String> patch(ApiServer server, String body) throws IOException, InterruptedException {
        return server.send(server.authorised("/api/v1/settings").header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body)));
    }

    private static String infoHash(ApiServer server, String name) throws IOException, InterruptedException {
        for (JsonNode torrent : JSON.readTree(server.send(server.authorised("/api/v1/torrents")).body()).get("torrents")) {
            if (name.equals(torrent.get("name").asText())) {
                return torrent.get("infoHash").asText();
            }
        }
        throw new AssertionError(name + " not listed");
    }

    /** The info hash of the handshake the server answers a plaintext one with; null when it closes or says nothing in 5 s. */
    private static byte[] plaintextHandshake(int port, byte[] infoHash) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            socket.setSoTimeout(5000);
            byte[] handshake = new byte[68];
            handshake[0] = 19;
            System.arraycopy("BitTorrent protocol".getBytes(StandardCharsets.US_ASCII), 0, handshake, 1, 19);
            System.arraycopy(infoHash, 0, handshake, 28, 20);
            System.arraycopy("-XX0001-settingsIT01".getBytes(StandardCharsets.US_ASCII), 0, handshake, 48, 20);
            socket.getOutputStream().write(handshake);
            InputStream in = socket.getInputStream();
            byte[] answer = in.readNBytes(48);
            return answer.length == 48 ? Arrays.copyOfRange(answer, 28, 48) : null;
        } catch (java.net.SocketTimeoutException | java.net.SocketException silentOrClosed) {
            return null;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}
