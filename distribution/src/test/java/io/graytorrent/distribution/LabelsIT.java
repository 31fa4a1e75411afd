package io.graytorrent.distribution;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Labels through the real {@code bin/gray} and the API, kept across a server restart and dropped with the torrent. */
@Timeout(180)
@Slow
class LabelsIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void labelsAreSetFilteredShownAndKeptAcrossARestart() throws Exception {
        Path home = work.resolve("home");
        for (String name : new String[] {"one", "two"}) {
            Files.write(Files.createDirectories(work.resolve("seed")).resolve(name + ".bin"), new byte[100_000]);
        }
        GrayCommand gray = new GrayCommand(home, work);
        GrayCommand.assertSucceeds(gray.run("create", "seed/one.bin", "-o", "one.torrent"));
        GrayCommand.assertSucceeds(gray.run("create", "seed/two.bin", "-o", "two.torrent"));
        try (ApiServer server = ApiServer.start(home, work)) {
            GrayCommand.assertSucceeds(gray.run("add", "one.torrent", "--paused"));
            GrayCommand.assertSucceeds(gray.run("add", "two.torrent", "--paused"));
            GrayCommand.Result labelled = GrayCommand.assertSucceeds(gray.run("label", "1", "+linux", "+work"));
            assertTrue(labelled.out().contains("linux, work"), labelled.toString());
            GrayCommand.assertSucceeds(gray.run("label", "2", "+linux"));

            GrayCommand.Result refused = gray.run("label", "1", "+bad label");
            assertNotEquals(0, refused.exit(), refused.toString());
            assertTrue((refused.out() + refused.err()).contains("not a label"), refused.toString());
            GrayCommand.Result noSign = gray.run("label", "1", "linux");
            assertNotEquals(0, noSign.exit(), noSign.toString());

            GrayCommand.Result work1 = GrayCommand.assertSucceeds(gray.run("ls", "--label", "work"));
            assertTrue(work1.out().contains("one.bin") && !work1.out().contains("two.bin"), work1.toString());
            assertTrue(work1.out().contains("LABELS") && work1.out().contains("linux,work"), work1.toString());
            GrayCommand.Result both = GrayCommand.assertSucceeds(gray.run("ls", "--label", "linux"));
            assertTrue(both.out().contains("one.bin") && both.out().contains("two.bin"), both.toString());
            assertTrue(GrayCommand.assertSucceeds(gray.run("ls", "--label", "none")).out().contains("no torrents"));

            HttpResponse<String> patched = server.send(server.authorised("/api/v1/torrents/2/labels")
                    .header("Content-Type", "application/json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"add\":[\"tv\"],\"remove\":[\"linux\"]}")));
            assertEquals(200, patched.statusCode(), patched.body());
            assertEquals("[\"tv\"]", JSON.readTree(patched.body()).path("labels").toString());
            HttpResponse<String> filtered = server.send(server.authorised("/api/v1/torrents?label=tv"));
            JsonNode torrents = JSON.readTree(filtered.body()).path("torrents");
            assertEquals(1, torrents.size(), filtered.body());
            assertEquals(2, torrents.get(0).path("id").asInt());
            assertEquals("[\"tv\"]", torrents.get(0).path("labels").toString());
            HttpResponse<String> badLabel = server.send(server.authorised("/api/v1/torrents/2/labels")
                    .header("Content-Type", "application/json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"add\":[\"a,b\"]}")));
            assertEquals(400, badLabel.statusCode(), badLabel.body());

            GrayCommand.assertSucceeds(gray.run("server", "stop"));
            GrayCommand.assertSucceeds(gray.run("server", "start"));
            GrayCommand.Result info = GrayCommand.assertSucceeds(gray.run("info", "1"));
            assertTrue(info.out().contains("labels:") && info.out().contains("linux, work"), info.toString());
            JsonNode listed = JSON.readTree(GrayCommand.assertSucceeds(gray.run("ls", "--json")).out());
            assertEquals("[\"linux\",\"work\"]", listed.get(0).path("labels").toString(), listed.toString());
            assertEquals("[\"tv\"]", listed.get(1).path("labels").toString(), listed.toString());

            GrayCommand.assertSucceeds(gray.run("rm", "1"));
            Await.until("the labels go with the torrent", Duration.ofSeconds(10),
                    () -> !Files.exists(home.resolve("state/torrent-1.labels")));
            assertTrue(Files.exists(home.resolve("state/torrent-2.labels")));
        }
    }
}
