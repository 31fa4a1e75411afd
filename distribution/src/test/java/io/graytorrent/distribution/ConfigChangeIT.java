package io.graytorrent.distribution;

import static io.graytorrent.distribution.GrayCommand.assertSucceeds;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graytorrent.testkit.Await;
import io.graytorrent.testkit.Interop;
import io.graytorrent.testkit.LeftoverProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code .cfg} edited in the server's plugins/ folder while a torrent downloads from a libtorrent
 * seeder: the new limit applies to the running download, over the connection it already had.
 */
@Interop
@ExtendWith(LeftoverProcesses.class)
class ConfigChangeIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long LIMIT = 128 * 1024;
    /** The limit after the edit: the rest of the data takes seconds at it, so the download is still running when seen. */
    private static final long RAISED = 1024 * 1024;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path work;
    private GrayCommand gray;

    @Test
    void aDownloadLimitEditedInTheCfgAppliesAtOnceAndKeepsThePeerConnection() throws Exception {
        gray = GrayCommand.configured(work, "io.graytorrent.core.cfg", "downloadRateLimit=" + LIMIT + "\n");
        Path cfg = gray.configuration("io.graytorrent.core.cfg");
        byte[] data = new byte[8 << 20];
        new Random(15).nextBytes(data);
        Files.createDirectories(work.resolve("seed"));
        Files.write(work.resolve("seed/data.bin"), data);
        assertSucceeds(gray.run("create", "seed/data.bin", "--piece-size", "256k", "-o", "data.torrent"));

        try (LibtorrentSeeder seeder = LibtorrentSeeder.start(work.resolve("data.torrent"), work.resolve("seed"), 0)) {
            assertSucceeds(gray.run("server", "start"));
            assertSucceeds(gray.run("add", "data.torrent", "-d", "out", "--peer", seeder.address()));
            awaitTorrent(t -> t.get("downloaded").asLong() > LIMIT);
            List<String> before = Await.value("one connection at libtorrent's side", WAIT, seeder::peers,
                    peers -> peers.size() == 1);

            Files.writeString(cfg, "downloadRateLimit=" + RAISED + "\n");
            long edited = System.nanoTime();
            JsonNode raised = awaitTorrent(t -> t.get("downloadRate").asLong() > 3 * LIMIT);
            List<String> after = seeder.peers();
            System.out.printf("limit raised: %d B/s after %.1f s, %d of %d bytes downloaded%n",
                    raised.get("downloadRate").asLong(), (System.nanoTime() - edited) / 1e9,
                    raised.get("downloaded").asLong(), data.length);
            assertEquals("downloading", raised.get("state").asText(), raised.toString());
            assertEquals(before, after, "the same connection before and after the edit");

            Files.writeString(cfg, "downloadRateLimit=0\n");
            awaitTorrent(t -> t.get("state").asText().equals("seeding"));
        }
        assertArrayEquals(Files.readAllBytes(work.resolve("seed/data.bin")), Files.readAllBytes(work.resolve("out/data.bin")));
        assertSucceeds(gray.run("server", "stop"));
    }

    private JsonNode awaitTorrent(Predicate<JsonNode> condition) throws Exception {
        return Await.value("the torrent's awaited state", WAIT, () -> {
            GrayCommand.Result ls = assertSucceeds(gray.run("ls", "--json"));
            return JSON.readTree(ls.out()).get(0);
        }, torrent -> {
            assertNotEquals("error", torrent.get("state").asText(), torrent.toString());
            return condition.test(torrent);
        });
    }
}
