package io.graytorrent.distribution;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static io.graytorrent.distribution.GrayCommand.assertSucceeds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graytorrent.testkit.Await;
import io.graytorrent.testkit.Interop;
import io.graytorrent.testkit.LeftoverProcesses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Downloads through the real {@code gray} from a real libtorrent seeder on 127.0.0.1: the
 * one-shot {@code get}, and a server that is stopped and killed mid-download.
 */
@Interop
@ExtendWith(LeftoverProcesses.class)
class DownloadIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> FILES = List.of("a.bin", "sub/b.bin", "sub/c.txt");
    private static final int[] SIZES = {9 << 20, 15 << 20, 123_457};

    @TempDir
    Path work;
    private GrayCommand gray;
    private Path torrent;

    @BeforeEach
    void createTorrent() throws Exception {
        gray = new GrayCommand(work.resolve("home"), work);
        Random random = new Random(42);
        for (int i = 0; i < FILES.size(); i++) {
            Path file = work.resolve("seed/data").resolve(FILES.get(i));
            Files.createDirectories(file.getParent());
            byte[] bytes = new byte[SIZES[i]];
            random.nextBytes(bytes);
            Files.write(file, bytes);
        }
        GrayCommand.Result created = gray.run("create", "seed/data", "--piece-size", "256k", "-o", "data.torrent");
        assertEquals(0, created.exit(), created.toString());
        torrent = work.resolve("data.torrent");
    }

    @Test
    void getDownloadsFromLibtorrentAndEndsWhenComplete() throws Exception {
        try (LibtorrentSeeder seeder = LibtorrentSeeder.start(torrent, work.resolve("seed"), 0)) {
            long started = System.nanoTime();
            GrayCommand.Result got = gray.run("get", "data.torrent", "-d", "out", "--peer", seeder.address());
            System.out.printf("gray get of %.1f MiB from libtorrent: %.2f s%n", totalSize() / 1048576.0,
                    (System.nanoTime() - started) / 1e9);
            assertEquals(0, got.exit(), got.toString());
            assertTrue(got.out().contains("complete: data"), got.toString());
        }
        assertSameData(work.resolve("out/data"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "required"})
    void getDownloadsFromASeedThatForcesRc4(String encryption) throws Exception {
        try (LibtorrentSeeder seeder = LibtorrentSeeder.start(torrent, work.resolve("seed"), 0, true)) {
            List<String> args = new ArrayList<>(List.of("get", "data.torrent", "-d", "out", "--peer", seeder.address()));
            if (!encryption.equals("default")) {
                args.addAll(List.of("--encryption", encryption));
            }
            GrayCommand.Result got = gray.run(args.toArray(String[]::new));
            assertEquals(0, got.exit(), got.toString());
            assertTrue(got.out().contains("complete: data"), got.toString());
        }
        assertSameData(work.resolve("out/data"));
    }

    @Test
    void getRefusesAnUnknownEncryptionPolicy() throws Exception {
        GrayCommand.Result got = gray.run("get", "data.torrent", "-d", "out", "--encryption", "sometimes");
        assertEquals(1, got.exit(), got.toString());
        assertTrue(got.err().contains("--encryption is one of disabled, enabled, preferred, required"), got.toString());
    }

    @Test
    void getOfAMagnetLinkFetchesTheMetadataFromLibtorrentThenTheData() throws Exception {
        GrayCommand.Result info = gray.run("info", "--json", "data.torrent");
        assertEquals(0, info.exit(), info.toString());
        String infoHash = JSON.readTree(info.out()).get("infoHash").asText();
        try (LibtorrentSeeder seeder = LibtorrentSeeder.start(torrent, work.resolve("seed"), 0)) {
            String magnet = "magnet:?xt=urn:btih:" + infoHash + "&dn=the+data&x.pe=" + seeder.address();
            GrayCommand.Result shown = gray.run("info", magnet);
            assertEquals(0, shown.exit(), shown.toString());
            assertTrue(shown.out().contains("the data") && shown.out().contains(seeder.address()), shown.toString());

            GrayCommand.Result got = gray.run("get", magnet, "-d", "out");
            assertEquals(0, got.exit(), got.toString());
            assertTrue(got.out().contains("complete: data"), got.toString());
        }
        assertSameData(work.resolve("out/data"));
    }

    @Test
    void anInterruptedGetKeepsItsResumeDataAndTheNextGetFinishes() throws Exception {
        try (LibtorrentSeeder slow = LibtorrentSeeder.start(torrent, work.resolve("seed"), 2 << 20)) {
            Process get = gray.start(work.resolve("get1.out"), work.resolve("get1.err"),
                    "get", "data.torrent", "-d", "out", "--peer", slow.address());
            Path partial = work.resolve("out/data/sub/b.bin");
            Await.until("the download begun", Duration.ofSeconds(60), () -> Files.exists(partial) && Files.size(partial) > 0);
            Thread.sleep(2_000);
            get.destroy(); // SIGTERM, as Ctrl-C's SIGINT: the JVM runs the same shutdown hooks
            assertTrue(get.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "get stopped on the signal");
            assertNotEquals(0, get.exitValue(), "an interrupted get is not a success");
        }
        try (var records = Files.list(work.resolve("home/get"))) {
            assertTrue(records.anyMatch(p -> p.toString().endsWith(".resume")),
                    "the interrupted get left resume data under GRAY_HOME/get");
        }
        try (LibtorrentSeeder fast = LibtorrentSeeder.start(torrent, work.resolve("seed"), 0)) {
            GrayCommand.Result again = gray.run("get", "data.torrent", "-d", "out", "--peer", fast.address());
            assertEquals(0, again.exit(), again.toString());
        }
        assertSameData(work.resolve("out/data"));
    }

    @Test
    void getOnCompleteDataVerifiesItAndEnds() throws Exception {
        GrayCommand.Result got = gray.run("get", "data.torrent", "-d", "seed");
        assertEquals(0, got.exit(), got.toString());
        assertTrue(got.out().contains("complete: data"), got.toString());
    }

    @Test
    void aServerStoppedAndThenKilledMidDownloadKeepsItsTorrentAndVerifiedData() throws Exception {
        assertSucceeds(gray.run("server", "start"));
        String id;
        try (LibtorrentSeeder slow = LibtorrentSeeder.start(torrent, work.resolve("seed"), 2 << 20)) {
            GrayCommand.Result added = gray.run("add", "data.torrent", "-d", "out", "--peer", slow.address());
            assertEquals(0, added.exit(), added.toString());
            JsonNode before = awaitTorrent(t -> progress(t) >= 0.2);
            id = before.get("id").asText();

            assertSucceeds(gray.run("server", "stop")); // a clean stop mid-download
            assertSucceeds(gray.run("server", "start"));
            JsonNode afterStop = onlyTorrent();
            assertEquals(id, afterStop.get("id").asText(), "the id survives a restart");
            assertTrue(afterStop.get("verifiedBytes").asLong() >= before.get("verifiedBytes").asLong(),
                    "a clean stop loses nothing verified: " + afterStop);

            assertEquals(0, gray.run("connect", id, slow.address()).exit());
            awaitTorrent(t -> progress(t) >= 0.5);
            ProcessHandle server = ProcessHandle.of(Long.parseLong(Files.readString(work.resolve("home/server.pid")).trim()))
                    .orElseThrow();
            server.destroyForcibly(); // SIGKILL: no shutdown hook, no final checkpoint
            server.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
        assertSucceeds(gray.run("server", "start")); // again, after kill -9
        assertEquals(id, onlyTorrent().get("id").asText(), "the id survives kill -9");
        // no seeder now: whatever is verified after the restart was on disk before the kill
        // (recorded at a checkpoint, or re-checked because the files changed since)
        JsonNode afterKill = awaitTorrent(t -> !t.get("state").asText().equals("checking"));
        assertTrue(afterKill.get("verifiedBytes").asLong() > 0, "verified pieces survive kill -9: " + afterKill);

        try (LibtorrentSeeder fast = LibtorrentSeeder.start(torrent, work.resolve("seed"), 0)) {
            assertEquals(0, gray.run("connect", id, fast.address()).exit());
            awaitTorrent(t -> t.get("state").asText().equals("seeding"));
        }
        assertSameData(work.resolve("out/data"));
        assertSucceeds(gray.run("server", "stop"));
    }

    private static double progress(JsonNode torrent) {
        return torrent.get("progress").asDouble();
    }

    private JsonNode onlyTorrent() throws Exception {
        GrayCommand.Result ls = gray.run("ls", "--json");
        assertEquals(0, ls.exit(), ls.toString());
        JsonNode list = JSON.readTree(ls.out());
        assertEquals(1, list.size(), ls.toString());
        return list.get(0);
    }

    private JsonNode awaitTorrent(Predicate<JsonNode> condition) throws Exception {
        return Await.value("the torrent's awaited state", Duration.ofSeconds(120), this::onlyTorrent, torrent -> {
            assertNotEquals("error", torrent.get("state").asText(), torrent.toString());
            return condition.test(torrent);
        });
    }

    private long totalSize() {
        long total = 0;
        for (int size : SIZES) {
            total += size;
        }
        return total;
    }

    private void assertSameData(Path downloaded) throws IOException {
        for (String file : FILES) {
            assertArrayEquals(Files.readAllBytes(work.resolve("seed/data").resolve(file)),
                    Files.readAllBytes(downloaded.resolve(file)), file + " is byte for byte the seeder's");
        }
    }
}
