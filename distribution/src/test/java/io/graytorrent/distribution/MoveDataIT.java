package io.graytorrent.distribution;

import static io.graytorrent.distribution.GrayCommand.assertSucceeds;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graytorrent.testkit.Await;
import io.graytorrent.testkit.Interop;
import io.graytorrent.testkit.Tmpfs;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gray mv} through the real {@code bin/gray} against a running server, while a libtorrent seeder
 * (at 1 MiB/s) keeps sending: a move to a full 1 MiB tmpfs is refused with the reason (the API answers
 * 507 insufficient_storage), so is a move onto a file in the way ({@code gray mv} exits 1 saying so, the
 * API answers 409 target_exists), and the download goes on where it was; a move to a second file system (a 64 MiB tmpfs the test mounts; skipped with a
 * message where it cannot) carries the partial data, keeps the id and progress, and the download
 * finishes there byte-identical; then the API moves it back and a restart resumes at the new place
 * without hashing.
 */
@Interop
@Timeout(240)
class MoveDataIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int SIZE = 16 << 20;

    @TempDir
    Path work;
    private GrayCommand gray;

    @Test
    void aRunningDownloadMovesAcrossFileSystemsAndAFailedMoveLeavesItWhereItWas() throws Exception {
        Path other = Files.createDirectories(work.resolve("other"));
        Path full = Files.createDirectories(work.resolve("full"));
        Optional<Tmpfs> otherDisk = Tmpfs.mount(other, "64m", false);
        Assumptions.assumeTrue(otherDisk.isPresent(), "mounting a tmpfs is not permitted here: no second file system");
        Optional<Tmpfs> fullDisk = Tmpfs.mount(full, "1m", false);
        try (Tmpfs second = otherDisk.get(); Tmpfs small = fullDisk.orElseThrow()) {
            byte[] data = new byte[SIZE];
            new Random(23).nextBytes(data);
            Files.write(Files.createDirectories(work.resolve("seed")).resolve("data.bin"), data);
            gray = new GrayCommand(work.resolve("home"), work);
            assertSucceeds(gray.run("create", "seed/data.bin", "--piece-size", "256k", "-o", "data.torrent"));
            try (LibtorrentSeeder seeder = LibtorrentSeeder.start(work.resolve("data.torrent"), work.resolve("seed"),
                    1 << 20);
                 ApiServer server = ApiServer.start(work.resolve("home"), work)) {
                assertSucceeds(gray.run("add", "data.torrent", "-d", "out", "--peer", seeder.address()));
                JsonNode started = awaitTorrent(t -> t.get("verifiedBytes").asLong() > (2 << 20));

                GrayCommand.Result refused = gray.run("mv", "1", full.resolve("dl").toString());
                assertNotEquals(0, refused.exit(), refused.toString());
                assertTrue((refused.out() + refused.err()).contains("DISK_FULL"), refused.toString());
                assertTrue((refused.out() + refused.err()).contains("stays in " + work.resolve("out")), refused.toString());
                assertTrue(Files.exists(work.resolve("out/data.bin")));
                HttpResponse<String> noSpace = move(server, full.resolve("dl"));
                assertEquals(507, noSpace.statusCode(), noSpace.body());
                assertEquals("insufficient_storage", JSON.readTree(noSpace.body()).at("/error/code").asText());
                Path taken = Files.createDirectories(work.resolve("taken"));
                Files.writeString(taken.resolve("data.bin"), "somebody's");
                GrayCommand.Result inTheWay = gray.run("mv", "1", "taken");
                assertEquals(1, inTheWay.exit(), inTheWay.toString());
                assertTrue(inTheWay.err().contains("error: torrent 1 stays in " + work.resolve("out")
                        + ": TARGET_EXISTS: " + taken.resolve("data.bin") + " already exists"), inTheWay.toString());
                HttpResponse<String> conflict = move(server, taken);
                assertEquals(409, conflict.statusCode(), conflict.body());
                assertEquals("target_exists", JSON.readTree(conflict.body()).at("/error/code").asText());
                assertEquals("somebody's", Files.readString(taken.resolve("data.bin")));
                long downloadedThen = torrent().get("downloaded").asLong();
                awaitTorrent(t -> t.get("downloaded").asLong() > downloadedThen + (1 << 20)
                        && t.get("savePath").asText().equals(work.resolve("out").toString()));

                long verifiedBefore = torrent().get("verifiedBytes").asLong();
                long moveStarted = System.nanoTime();
                GrayCommand.Result moved = assertSucceeds(gray.run("mv", "1", "other/dl"));
                System.out.printf("gray mv across file systems at %d of %d verified bytes: %.2f s%n", verifiedBefore,
                        SIZE, (System.nanoTime() - moveStarted) / 1e9);
                assertTrue(moved.out().contains("moved 1: data.bin now in " + other.resolve("dl")), moved.toString());
                JsonNode after = torrent();
                assertEquals(1, after.get("id").asInt());
                assertEquals(other.resolve("dl").toString(), after.get("savePath").asText());
                assertTrue(after.get("verifiedBytes").asLong() >= verifiedBefore, "progress kept: " + after);
                assertFalse(Files.exists(work.resolve("out/data.bin")), "the old copy is gone");
                assertTrue(started.get("verifiedBytes").asLong() < SIZE, "it was moved while downloading");

                awaitTorrent(t -> t.get("state").asText().equals("seeding"));
                assertArrayEquals(data, Files.readAllBytes(other.resolve("dl/data.bin")));

                Path back = work.resolve("back");
                HttpResponse<String> apiMove = move(server, back);
                assertEquals(200, apiMove.statusCode(), apiMove.body());
                assertEquals(back.toString(), JSON.readTree(apiMove.body()).get("savePath").asText());
                HttpResponse<String> relative = server.send(server.authorised("/api/v1/torrents/1/move")
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"directory\":\"relative/dir\"}")));
                assertEquals(400, relative.statusCode(), relative.body());

                assertSucceeds(gray.run("server", "stop"));
                assertSucceeds(gray.run("server", "start"));
                JsonNode restarted = awaitTorrent(t -> t.get("state").asText().equals("seeding"));
                assertEquals(back.toString(), restarted.get("savePath").asText(), "the new directory was persisted");
                String log = Files.readString(work.resolve("home/logs/gray.log"));
                assertFalse(log.contains("is for another torrent or place; re-hashing"), "resumed without hashing");
                assertTrue(log.contains("bytes copied"), "copied across file systems, as the log says");
                assertArrayEquals(data, Files.readAllBytes(back.resolve("data.bin")));
            }
        }
    }

    private static HttpResponse<String> move(ApiServer server, Path directory) throws Exception {
        return server.send(server.authorised("/api/v1/torrents/1/move").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(
                        Map.of("directory", directory.toString())))));
    }

        private JsonNode torrent() throws Exception {
        return JSON.readTree(assertSucceeds(gray.run("ls", "--json")).out()).get(0);
    }

    private JsonNode awaitTorrent(Predicate<JsonNode> condition) throws Exception {
        return Await.value("the torrent's awaited state", WAIT, this::torrent, torrent -> {
            assertNotEquals("error", torrent.get("state").asText(), torrent.toString());
            return condition.test(torrent);
        });
    }
}
