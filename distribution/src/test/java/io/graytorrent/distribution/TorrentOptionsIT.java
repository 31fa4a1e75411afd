package io.graytorrent.distribution;

import static io.graytorrent.distribution.GrayCommand.assertSucceeds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graytorrent.testkit.Await;
import io.graytorrent.testkit.Slow;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streaming order and seeding goals through the real {@code bin/gray} against a running server and
 * through the API: {@code gray prio --sequential --first-last} shown by {@code gray info} and kept across
 * a restart; a global idle goal of 2 s stops a seeding torrent nobody downloads from; its own "none"
 * overrides the global goal; its own time goal with {@code --action remove} removes it, data kept.
 */
@Timeout(180)
@Slow
class TorrentOptionsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path work;
    private GrayCommand gray;

    @Test
    void pieceOrderAndSeedingGoalsThroughTheCommandsAndTheApi() throws Exception {
        byte[] data = new byte[1 << 20];
        new Random(3).nextBytes(data);
        Files.write(Files.createDirectories(work.resolve("seed")).resolve("data.bin"), data);
        gray = new GrayCommand(work.resolve("home"), work);
        assertSucceeds(gray.run("create", "seed/data.bin", "-o", "data.torrent"));
        try (ApiServer server = ApiServer.start(work.resolve("home"), work)) {
            assertSucceeds(gray.run("add", "data.torrent", "-d", "seed", "--paused"));

            GrayCommand.Result order = assertSucceeds(gray.run("prio", "1", "--sequential", "--first-last"));
            assertTrue(order.out().contains("piece order of 1 now sequential, first and last pieces first"), order.toString());
            GrayCommand.Result info = assertSucceeds(gray.run("info", "1"));
            assertTrue(info.out().contains("order:") && info.out().contains("sequential, first and last pieces first"),
                    info.toString());
            assertTrue(info.out().contains("seed goals:") && info.out().contains("ratio global, time global, idle global"),
                    info.toString());
            assertTrue(assertSucceeds(gray.run("prio", "1", "--no-first-last")).out().contains("now sequential"));

            GrayCommand.Result badRatio = gray.run("seed", "1", "--ratio", "lots");
            assertNotEquals(0, badRatio.exit(), badRatio.toString());
            assertTrue((badRatio.out() + badRatio.err()).contains("--ratio is a positive number"), badRatio.toString());
            GrayCommand.Result badGlobal = gray.run("seed", "--global", "--idle", "global");
            assertNotEquals(0, badGlobal.exit(), badGlobal.toString());

            // the API: the global goals in the settings, a bad one refused, a torrent's options
            HttpResponse<String> settings = server.send(server.authorised("/api/v1/settings"));
            assertEquals(0, JSON.readTree(settings.body()).get("seedingIdleLimit").asLong(), settings.body());
            assertEquals(400, patch(server, "/api/v1/settings", "{\"seedingIdleLimit\":-1}").statusCode());
            assertEquals(400, patch(server, "/api/v1/settings", "{\"seedingAction\":\"explode\"}").statusCode());
            HttpResponse<String> options = patch(server, "/api/v1/torrents/1/options", "{\"firstLastPiecesFirst\":true}");
            assertEquals(200, options.statusCode(), options.body());
            assertEquals(true, JSON.readTree(options.body()).get("sequential").asBoolean());
            assertEquals(true, JSON.readTree(options.body()).get("firstLastPiecesFirst").asBoolean());

            // a global idle goal of 2 s stops the seed nobody downloads from
            GrayCommand.Result global = assertSucceeds(gray.run("seed", "--global", "--idle", "2s"));
            assertTrue(global.out().contains("global seeding goals: ratio none, time none, idle 2s; then stop"),
                    global.toString());
            assertEquals(2, JSON.readTree(server.send(server.authorised("/api/v1/settings")).body())
                    .get("seedingIdleLimit").asLong());
            assertSucceeds(gray.run("start", "1"));
            awaitState("seeding");
            long seeded = System.nanoTime();
            awaitState("stopped");
            System.out.printf("idle goal of 2 s: stopped %.1f s after seeding was seen%n", (System.nanoTime() - seeded) / 1e9);
            info = assertSucceeds(gray.run("info", "1"));
            assertTrue(info.out().contains("in force:") && info.out().contains("idle 2s; then stop"), info.toString());

            // its own "none" wins over the global goal: it seeds on
            assertSucceeds(gray.run("seed", "1", "--idle", "none"));
            assertSucceeds(gray.run("start", "1"));
            awaitState("seeding");
            Thread.sleep(4000);
            assertEquals("seeding", torrent().get("state").asText(), "still seeding 4 s later, idle goal none");

            assertSucceeds(gray.run("server", "stop"));
            assertSucceeds(gray.run("server", "start"));
            JsonNode kept = JSON.readTree(assertSucceeds(gray.run("info", "1", "--json")).out());
            assertEquals(true, kept.get("options").get("sequential").asBoolean(), kept.toString());
            assertEquals(0, kept.get("options").get("seedingGoals").get("idleLimit").asLong(), kept.toString());
            assertEquals(0, kept.get("seeding").get("goals").get("idleLimit").asLong(), "its own none in force: " + kept);
            GrayCommand.Result globalKept = assertSucceeds(gray.run("seed", "--global"));
            assertTrue(globalKept.out().contains("idle 2s; then stop"), "the global goal kept: " + globalKept);
            assertTrue(kept.get("seeding").get("seedingSeconds").asLong() >= 4, "seeding time kept: " + kept);

            // its own time goal with remove: the torrent goes, its data stays
            GrayCommand.Result remove = assertSucceeds(gray.run("seed", "1", "--time", "1s", "--action", "remove"));
            assertTrue(remove.out().contains("time 1s") && remove.out().contains("then remove"), remove.toString());
            Await.until("the torrent removed by its seeding goal", WAIT,
                    () -> assertSucceeds(gray.run("ls")).out().contains("no torrents"));
            assertTrue(Files.exists(work.resolve("seed/data.bin")), "the data stays");
        }
    }

    private static HttpResponse<String> patch(ApiServer server, String path, String body) throws Exception {
        return server.send(server.authorised(path).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body)));
    }

    private JsonNode torrent() throws Exception {
        return JSON.readTree(assertSucceeds(gray.run("ls", "--json")).out()).get(0);
    }

    private void awaitState(String state) throws Exception {
        Await.value("torrent 1 " + state, WAIT, this::torrent, t -> t.get("state").asText().equals(state));
    }
}
